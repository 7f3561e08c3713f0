using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace InventorySync.Xero.Models;

/// <summary>Xero's JSON: PascalCase names exactly as declared, nulls left out.</summary>
public static partial class XeroJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = true,
        // Xero writes "/Date(1551139200000+0000)/" with a literal '+'.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Xero's "/Date(1551139200000+0000)/" for a calendar date.</summary>
    public static string Date(DateOnly date) => Timestamp(date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));

    public static string Timestamp(DateTime utc) => $"/Date({new DateTimeOffset(utc, TimeSpan.Zero).ToUnixTimeMilliseconds()}+0000)/";

    /// <summary>Reads Xero's "/Date(ms±zzzz)/" or an ISO date ("2026-11-02", "2026-11-02T00:00:00").</summary>
    public static DateTime? ParseTimestamp(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var match = MsDate().Match(text);
        if (match.Success)
            return DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)).UtcDateTime;
        return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : null;
    }

    public static DateOnly? ParseDate(string? text) => ParseTimestamp(text) is { } t ? DateOnly.FromDateTime(t) : null;

    [GeneratedRegex(@"^/Date\((-?\d+)([+-]\d{4})?\)/$")]
    private static partial Regex MsDate();
}

public sealed class ValidationError
{
    public string? Message { get; set; }
}

public sealed class Pagination
{
    [JsonPropertyName("page")] public int Page { get; set; }
    [JsonPropertyName("pageSize")] public int PageSize { get; set; }
    [JsonPropertyName("pageCount")] public int PageCount { get; set; }
    [JsonPropertyName("itemCount")] public int ItemCount { get; set; }
}

/// <summary>Xero's error body for 400 (ValidationException) and most other refusals.</summary>
public sealed class XeroError
{
    public int ErrorNumber { get; set; }
    public string? Type { get; set; }
    public string? Message { get; set; }
    public List<JsonElement>? Elements { get; set; }
}

/// <summary>What every element of a batch answer says of itself when summarizeErrors=false.</summary>
public interface IBatchElement
{
    string? StatusAttributeString { get; set; }
    List<ValidationError>? ValidationErrors { get; set; }
}

/// <summary>An element's identity inside another document: {"ContactID": ...} or {"InvoiceID": ...}.</summary>
public sealed class AccountRef
{
    public Guid? AccountID { get; set; }
    public string? Code { get; set; }
}
