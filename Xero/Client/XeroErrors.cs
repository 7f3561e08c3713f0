using System.Net;
using System.Text.Json;
using InventorySync.Xero.Models;

namespace InventorySync.Xero.Client;

/// <summary>Turns Xero's error answers into typed exceptions that carry Xero's own messages.</summary>
public static class XeroErrors
{
    public static async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var body = await response.Content.ReadAsStringAsync(ct);
        var status = (int)response.StatusCode;
        throw response.StatusCode switch
        {
            HttpStatusCode.BadRequest => new XeroValidationException(ValidationMessages(body)),
            HttpStatusCode.Unauthorized => new XeroUnauthorizedException($"Xero did not accept the access token: {Detail(body)}"),
            HttpStatusCode.Forbidden => new XeroForbiddenException($"Xero refused access to this organisation: {Detail(body)}"),
            HttpStatusCode.NotFound => new XeroNotFoundException($"Xero has no such resource: {Detail(body)}"),
            _ when status >= 500 => new XeroUnavailableException($"Xero answered {status}: {Detail(body)}", status),
            _ => new XeroException($"Xero answered {status}: {Detail(body)}", status),
        };
    }

    /// <summary>The Message of a ValidationException and every ValidationErrors[].Message of its Elements.</summary>
    public static IReadOnlyList<string> ValidationMessages(string body)
    {
        try
        {
            var error = JsonSerializer.Deserialize<XeroError>(body, XeroJson.Options);
            var messages = (error?.Elements ?? [])
                .SelectMany(e => e.TryGetProperty("ValidationErrors", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray() : [])
                .Select(v => v.TryGetProperty("Message", out var m) ? m.GetString() : null)
                .OfType<string>().ToList();
            return messages.Count > 0 ? messages : [error?.Message ?? body];
        }
        catch (JsonException)
        {
            return [body];
        }
    }

    private static string Detail(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            foreach (var name in new[] { "Detail", "Message", "Title" })
                if (doc.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String) return value.GetString()!;
        }
        catch (JsonException)
        {
            // not JSON: the text itself is the detail
        }
        return body.Length > 300 ? body[..300] : body;
    }
}
