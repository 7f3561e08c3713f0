using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace InventorySync.Tests.Infrastructure;

public static class Http
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body, string? idempotencyKey = null) =>
        client.SendAsync(Request(HttpMethod.Post, url, JsonContent.Create(body, options: Json), idempotencyKey));

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, object body) =>
        client.SendAsync(Request(HttpMethod.Put, url, JsonContent.Create(body, options: Json), null));

    /// <summary>Sends a body exactly as written, for malformed and mistyped JSON.</summary>
    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string url, string body) =>
        client.SendAsync(Request(HttpMethod.Post, url, new StringContent(body, System.Text.Encoding.UTF8, "application/json"), null));

    public static HttpRequestMessage Request(HttpMethod method, string url, HttpContent? content, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    public static Task<JsonNode> ReadNodeAsync(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK) =>
        response.ReadAsync<JsonNode>(expected);

    /// <summary>Asserts a problem-details answer with this status, and that it names each given field; returns the body.</summary>
    public static async Task<JsonNode> ProblemAsync(this HttpResponseMessage response, HttpStatusCode expected, params string[] fields)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadNodeAsync(expected);
        Assert.Equal((int)expected, (int)problem["status"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["detail"]), "a problem must say what was wrong");
        foreach (var field in fields)
            Assert.True(problem["errors"]?[field] is not null, $"expected an error for '{field}' in {problem.ToJsonString()}");
        return problem;
    }
}
