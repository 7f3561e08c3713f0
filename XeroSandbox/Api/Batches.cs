using System.Text.Json;
using System.Text.Json.Nodes;
using InventorySync.Xero.Models;
using InventorySync.XeroSandbox.State;

namespace InventorySync.XeroSandbox.Api;

/// <summary>
/// A batch element checked against the organisation, ready to be stored if the batch goes ahead. <see cref="Commit"/>
/// stores it and returns the stored element itself: its answer is written at once, under the organisation's lock.
/// </summary>
public sealed record Prepared(object Element, List<string> Errors, Func<IBatchElement> Commit);

/// <summary>What earlier elements of the same batch have claimed (numbers, names, amounts).</summary>
public sealed class BatchContext
{
    /// <summary>Decimal places kept on unit amounts: 2, or 4 with unitdp=4.</summary>
    public int UnitDecimals { get; init; } = 2;

    public HashSet<string> Claimed { get; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<Guid, decimal> Allocated { get; } = [];
}

/// <summary>PUT/POST of a list of elements, as Xero does it: with summarizeErrors=false each element succeeds or fails alone.</summary>
public static class Batches
{
    public const long MaxBodyBytes = 3_500_000;

    public static async Task<IResult> HandleAsync<T>(HttpContext http, SandboxState s, string name, Func<Org, T,
        BatchContext, Prepared> prepare)
        where T : class
    {
        if (http.Request.ContentLength > MaxBodyBytes)
            return Answers.Json(new XeroError { ErrorNumber = 413, Type = "RequestEntityTooLarge",
                Message = "The request is larger than 3.5 MB." }, 413);
        List<T> elements;
        try
        {
            elements = await ReadAsync<T>(http, name);
        }
        catch (JsonException e)
        {
            return RequestJson.Refused(e);
        }
        var summarize = !string.Equals(http.Request.Query["summarizeErrors"], "false",
            StringComparison.OrdinalIgnoreCase);
        var org = AccountingApi.OrgOf(http);
        lock (org.DocumentsGate)
        {
            var context = new BatchContext { UnitDecimals = Query.UnitDecimals(http) };
            var prepared = elements.Select(e => prepare(org, e, context)).ToList();
            if (summarize && prepared.Any(p => p.Errors.Count > 0))
                return Errors.ValidationOf(prepared.Where(p => p.Errors.Count > 0).Select(p => Errors.ElementWith(p.Element, p.Errors)));
            var answers = prepared.Select(p => p.Errors.Count == 0 ? Ok(p.Commit()) : Failed(p)).ToList();
            var envelope = Answers.Envelope(name, Array.Empty<object>(), s.Now);
            envelope[name] = new JsonArray(answers.ToArray());
            return Answers.Json(envelope);
        }
    }

    /// <summary>Xero takes {"Invoices": [...]} or a single element.</summary>
    private static async Task<List<T>> ReadAsync<T>(HttpContext http, string name)
    {
        var root = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body, XeroJson.Options);
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var list))
            return RequestJson.Read<List<T>>(list) ?? [];
        return root.ValueKind == JsonValueKind.Object
            ? [RequestJson.Read<T>(root)!]
            : throw new JsonException($"expected an object with '{name}'");
    }

    private static JsonNode Ok(IBatchElement stored)
    {
        var node = JsonSerializer.SerializeToNode(stored, stored.GetType(), XeroJson.Options)!;
        node["StatusAttributeString"] = "OK";
        return node;
    }

    private static JsonNode Failed(Prepared p)
    {
        var node = JsonSerializer.SerializeToNode(Errors.ElementWith(p.Element, p.Errors), XeroJson.Options)!;
        node["StatusAttributeString"] = "ERROR";
        if (p.Element is LineDocument) node["HasErrors"] = true;
        else if (p.Element is Contact or Payment) node["HasValidationErrors"] = true;
        return node;
    }

    public static T Clone<T>(T value) => JsonSerializer.Deserialize<T>(JsonSerializer.SerializeToUtf8Bytes(value,
        XeroJson.Options), XeroJson.Options)!;
}
