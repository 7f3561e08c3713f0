using System.Text.Json;
using InventorySync.Xero.Models;

namespace InventorySync.XeroSandbox.Api;

/// <summary>Xero's error bodies.</summary>
public static class Errors
{
    public static IResult Validation(string message) => ValidationOf([ElementWith(new { }, [message])]);

    public static IResult ValidationOf(IEnumerable<JsonElement> elements) => Answers.Json(new XeroError
    {
        ErrorNumber = 10, Type = "ValidationException", Message = "A validation exception occurred",
            Elements = elements.ToList(),
    }, 400);

    public static IResult NotFound(string what) => Answers.Json(new XeroError
    {
        ErrorNumber = 404, Type = "NotFoundException", Message = $"{what} could not be found.",
    }, 404);

    /// <summary>Xero's problem shape for 401, 403 and 429.</summary>
    public static IResult Problem(int status, string title, string detail) => Answers.Json(new
    {
        Type = (string?)null, Title = title, Status = status, Detail = detail, Instance = Guid.NewGuid().ToString(),
        Extensions = new { },
    }, status);

    public static IResult ServerError(int status, string type, string message) =>
        Answers.Json(new XeroError { ErrorNumber = status, Type = type, Message = message }, status);

    /// <summary>The element as it was sent, with the reasons Xero refused it.</summary>
    public static JsonElement ElementWith(object element, IReadOnlyList<string> messages)
    {
        var node = JsonSerializer.SerializeToNode(element, element.GetType(), XeroJson.Options)!.AsObject();
        node["ValidationErrors"] = JsonSerializer.SerializeToNode(messages.Select(m => new ValidationError { Message = m }).ToList(), XeroJson.Options);
        return JsonSerializer.SerializeToElement(node, XeroJson.Options);
    }
}
