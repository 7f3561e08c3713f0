using InventorySync.Contracts;
using InventorySync.Grains.Common;
using InventorySync.Storage.Entities;

namespace InventorySync.Grains.Documents;

/// <summary>
/// Xero's money rules (S2.4): amounts have 2 decimals, quantities and unit amounts up to 4; line amounts and
/// line taxes are rounded half away from zero to 2 decimals, and totals are the sums of the rounded lines.
/// </summary>
public static class Money
{
    public const decimal MaxAmount = 1_000_000_000_000m;
    public const decimal MaxQuantity = 1_000_000_000m;
    public const int MaxLines = 1000;

    /// <summary>Rounds half away from zero to 2 decimals and always shows both (adding 0.00m keeps a scale of 2).</summary>
    public static decimal Round(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero) + 0.00m;

    public static string Format(decimal value) => Round(value).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static bool HasAtMostDecimals(decimal value, int decimals) => Math.Round(value, decimals) == value;

    public static decimal LineAmount(decimal quantity, decimal unitAmount) => Round(quantity * unitAmount);

    public static decimal LineTax(LineAmountTypes types, decimal lineAmount, decimal taxRate) => types switch
    {
        LineAmountTypes.Exclusive => Round(lineAmount * taxRate / 100m),
        LineAmountTypes.Inclusive => Round(lineAmount * taxRate / (100m + taxRate)),
        _ => Round(0m),
    };

    /// <summary>A payment-like amount: required, positive, 2 decimals.</summary>
    public static decimal Amount(this Validation v, string field, decimal? value)
    {
        var amount = v.Required(field, value);
        if (value is null) return 0;
        v.Check(amount > 0, field, "must be more than zero.");
        v.Check(amount <= MaxAmount, field, $"must be at most {MaxAmount:N0}.");
        v.Check(HasAtMostDecimals(amount, 2), field, "must have at most 2 decimal places.");
        return Round(amount);
    }

    /// <summary>Validates the lines, computes their amounts and the document's totals, and checks any the caller sent.</summary>
    public static void ApplyLines(Validation v, LineItemDocument doc, LineAmountTypes? types, IReadOnlyList<LineRequest>? lines,
        decimal? subTotal, decimal? totalTax, decimal? total)
    {
        doc.LineAmountTypes = types ?? LineAmountTypes.Exclusive;
        if (lines is null || lines.Count == 0)
        {
            v.Add("lines", "at least one line is required.");
            return;
        }
        v.Check(lines.Count <= MaxLines, "lines", $"at most {MaxLines} lines are allowed.");

        doc.Lines = lines.Select((line, i) => Line(v.Nested($"lines[{i}]"), doc.LineAmountTypes, line, i + 1)).ToList();
        var tax = doc.Lines.Sum(l => l.TaxAmount);
        var amounts = doc.Lines.Sum(l => l.LineAmount);
        doc.TotalTax = Round(tax);
        doc.SubTotal = Round(doc.LineAmountTypes == LineAmountTypes.Inclusive ? amounts - tax : amounts);
        doc.Total = Round(doc.SubTotal + doc.TotalTax);

        CheckSent(v, "subTotal", subTotal, doc.SubTotal);
        CheckSent(v, "totalTax", totalTax, doc.TotalTax);
        CheckSent(v, "total", total, doc.Total);
        v.Check(doc.Total <= MaxAmount, "total", $"must be at most {MaxAmount:N0}.");
    }

    private static DocumentLine Line(Validation v, LineAmountTypes types, LineRequest r, int number)
    {
        var quantity = v.Required("quantity", r.Quantity);
        if (r.Quantity is not null)
        {
            v.Check(quantity > 0, "quantity", "must be more than zero.");
            v.Check(quantity <= MaxQuantity, "quantity", $"must be at most {MaxQuantity:N0}.");
            v.Check(HasAtMostDecimals(quantity, 4), "quantity", "must have at most 4 decimal places.");
        }
        var unitAmount = v.Required("unitAmount", r.UnitAmount);
        if (r.UnitAmount is not null)
        {
            v.Check(unitAmount >= 0, "unitAmount", "must not be negative.");
            v.Check(unitAmount <= MaxAmount, "unitAmount", $"must be at most {MaxAmount:N0}.");
            v.Check(HasAtMostDecimals(unitAmount, 4), "unitAmount", "must have at most 4 decimal places.");
        }
        var taxRate = r.TaxRate ?? 0m;
        v.Check(taxRate is >= 0 and <= 100, "taxRate", "must be a percentage between 0 and 100.");
        v.Check(HasAtMostDecimals(taxRate, 4), "taxRate", "must have at most 4 decimal places.");
        v.Check(types != LineAmountTypes.NoTax || taxRate == 0, "taxRate", "must be 0 when lineAmountTypes is NoTax.");

        // Out-of-range inputs are already reported; computing with them could overflow decimal.
        var computable = Math.Abs(quantity) <= MaxQuantity && Math.Abs(unitAmount) <= MaxAmount && taxRate is >= 0 and <= 100;
        var lineAmount = computable ? LineAmount(quantity, unitAmount) : Round(0m);
        var taxAmount = computable ? LineTax(types, lineAmount, taxRate) : Round(0m);
        if (computable && r.Quantity is not null && r.UnitAmount is not null)
        {
            CheckSent(v, "lineAmount", r.LineAmount, lineAmount);
            CheckSent(v, "taxAmount", r.TaxAmount, taxAmount);
        }
        return new DocumentLine
        {
            LineNumber = number,
            Description = v.Text("description", r.Description, 4000),
            Quantity = quantity,
            UnitAmount = unitAmount,
            AccountCode = v.OptionalText("accountCode", r.AccountCode, 10),
            TaxRate = taxRate,
            ItemCode = v.OptionalText("itemCode", r.ItemCode, 30),
            LineAmount = lineAmount,
            TaxAmount = taxAmount,
        };
    }

    private static void CheckSent(Validation v, string field, decimal? sent, decimal computed) =>
        v.Check(sent is null || sent.Value == computed, field, $"is {sent} but the lines add up to {Format(computed)}.");
}
