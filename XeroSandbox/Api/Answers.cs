using System.Text.Json;
using System.Text.Json.Nodes;
using InventorySync.Xero.Models;

namespace InventorySync.XeroSandbox.Api;

/// <summary>Xero's answers: lists wrapped in an object named after them, every body in PascalCase.</summary>
public static class Answers
{
    /// <summary>{"Id", "Status", "ProviderName", "DateTimeUTC", name: [...], "pagination"?}.</summary>
    public static JsonObject Envelope<T>(string name, IEnumerable<T> items, DateTime now, Pagination? pagination = null)
    {
        var envelope = new JsonObject
        {
            ["Id"] = Guid.NewGuid().ToString(),
            ["Status"] = "OK",
            ["ProviderName"] = "InventorySync",
            ["DateTimeUTC"] = XeroJson.Timestamp(now),
            [name] = JsonSerializer.SerializeToNode(items, XeroJson.Options),
        };
        if (pagination is not null) envelope["pagination"] = JsonSerializer.SerializeToNode(pagination,
            XeroJson.Options);
        return envelope;
    }

    public static IResult List<T>(string name, IEnumerable<T> items, DateTime now, Pagination? pagination = null) =>
        Json(Envelope(name, items, now, pagination));

    public static IResult Json(object body, int status = 200) => Results.Json(body, XeroJson.Options,
        statusCode: status);
}
