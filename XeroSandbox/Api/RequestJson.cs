using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using InventorySync.Xero.Models;

namespace InventorySync.XeroSandbox.Api;

/// <summary>
/// How the emulator reads request bodies: a field it does not model is refused with a 400 naming it, never dropped
/// in silence (Xero would act on it, so a test that passes here could fail against Xero).
/// </summary>
public static partial class RequestJson
{
    public static readonly JsonSerializerOptions Strict =
        new(XeroJson.Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public static T? Read<T>(JsonElement element) => element.Deserialize<T>(Strict);

    public static async Task<T?> ReadAsync<T>(HttpRequest request) =>
        await JsonSerializer.DeserializeAsync<T>(request.Body, Strict);

    /// <summary>The 400 for a body that could not be read, naming the field that is not emulated.</summary>
    public static IResult Refused(JsonException e) => Errors.Validation(
        NotMapped().Match(e.Message) is { Success: true } m
            ? $"{m.Groups["type"].Value}.{m.Groups["field"].Value} is not emulated by XeroSandbox (at {e.Path}): "
              + "it refuses a field it does not model rather than ignore it."
            : $"The request body could not be read: {e.Message}");

    [GeneratedRegex(
        @"The JSON property '(?<field>[^']+)' could not be mapped to any \.NET member contained in type "
        + @"'(?:[\w.+]+[.+])?(?<type>\w+)'")]
    private static partial Regex NotMapped();
}
