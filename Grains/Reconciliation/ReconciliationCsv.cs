using System.Globalization;
using System.Text;
using InventorySync.Contracts;

namespace InventorySync.Grains.Reconciliation;

/// <summary>
/// A report as a CSV file (RFC 4180): the differences of a detailed report, else the totals per document type (all
/// accounts) and per account.
/// </summary>
public static class ReconciliationCsv
{
    public static string Of(ReconciliationResult result)
    {
        var csv = new StringBuilder();
        if (result.Differences is { } differences)
        {
            Row(csv, "document type", "status", "missing from", "our number", "our amount", "xero number",
                "xero amount",
                "our link", "xero id");
            foreach (var d in differences)
                Row(csv, d.DocumentType.ToString(), d.Status, d.Side switch { "ours" => "Xero", "xero" => "ours",
                    _ => "" },
                    d.OurNumber, Money(d.OurAmount), d.XeroNumber, Money(d.XeroAmount), d.OurLink, d.XeroId);
        }
        else
        {
            Row(csv, "account", "document type", "our count", "ours", "xero count", "xero", "difference");
            foreach (var t in result.Totals)
                Row(csv, "all", t.DocumentType.ToString(), Count(t.OurCount), Money(t.Ours), Count(t.XeroCount),
                    Money(t.Xero), Money(t.Difference));
            foreach (var a in result.Accounts)
                Row(csv, a.AccountCode, a.DocumentType.ToString(), null, Money(a.Ours), null, Money(a.Xero),
                    Money(a.Difference));
        }
        return csv.ToString();
    }

    private static void Row(StringBuilder csv, params string?[] fields) =>
        csv.Append(string.Join(',', fields.Select(Field))).Append("\r\n");

    private static string Field(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\r', '\n']) < 0 ? value : $"\"{value.Replace("\"",
            "\"\"")}\"";

    private static string? Money(decimal? amount) => amount?.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);
}
