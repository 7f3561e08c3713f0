using System.Net.Mail;

namespace InventorySync.Grains.Common;

/// <summary>Collects every problem of a request, so that one answer names all the fields to fix.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private readonly string _prefix;

    public Validation(string prefix = "") => _prefix = prefix;

    private Validation(Dictionary<string, List<string>> errors, string prefix)
    {
        _errors = errors;
        _prefix = prefix;
    }

    public bool IsValid => _errors.Count == 0;

    /// <summary>Errors of a nested object land under <c>prefix.field</c>, e.g. <c>lines[2].quantity</c>.</summary>
    public Validation Nested(string field) => new(_errors, Path(field));

    public void Add(string field, string message)
    {
        var key = Path(field);
        if (!_errors.TryGetValue(key, out var list)) _errors[key] = list = [];
        list.Add(message);
    }

    public void Check(bool ok, string field, string message)
    {
        if (!ok) Add(field, message);
    }

    public T Required<T>(string field, T? value) where T : struct
    {
        if (value is null) Add(field, "is required.");
        return value.GetValueOrDefault();
    }

    public Guid RequiredId(string field, Guid? value)
    {
        Check(value is null || value != Guid.Empty, field, "must not be the empty id.");
        return Required(field, value);
    }

    public string Text(string field, string? value, int maxLength, bool required = true)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            if (required) Add(field, "is required.");
            return "";
        }
        Check(trimmed.Length <= maxLength, field, $"must be at most {maxLength} characters.");
        return trimmed;
    }

    public string? OptionalText(string field, string? value, int maxLength) =>
        Text(field, value, maxLength, required: false) is { Length: > 0 } text ? text : null;

    public string? Email(string field, string? value)
    {
        var text = OptionalText(field, value, 254);
        Check(text is null || IsEmail(text), field, $"'{text}' is not an e-mail address.");
        return text;
    }

    public static bool IsEmail(string text) =>
        MailAddress.TryCreate(text, out var address) && address.Address == text && text.Contains('.', StringComparison.Ordinal);

    public void ThrowIfInvalid()
    {
        if (!IsValid)
            throw new RequestValidationException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }

    private string Path(string field) => _prefix.Length == 0 ? field : field.StartsWith('[') ? _prefix + field : $"{_prefix}.{field}";
}
