using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace InventorySync.Contracts;

/// <summary>
/// Writes every decimal with at least two decimals and no trailing zeros beyond them (25.00, 12.345), whatever
/// scale the database handed back: an amount reads the same on create, in a list and in a webhook.
/// </summary>
public sealed class TwoDecimalsConverter : JsonConverter<decimal>
{
    private const string Format = "0.00############################";

    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDecimal();

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.ToString(Format, CultureInfo.InvariantCulture), skipInputValidation: true);
}
