using InventorySync.Contracts;
using InventorySync.Grains.Common;
using InventorySync.Grains.Documents;
using InventorySync.Storage.Entities;

namespace InventorySync.Tests.Documents;

public sealed class MoneyTests
{
    [Theory]
    [InlineData("2.345", "2.35")]
    [InlineData("-2.345", "-2.35")]
    [InlineData("2.344999", "2.34")]
    [InlineData("7", "7.00")]
    public void Amounts_round_half_away_from_zero_to_two_decimals(string value, string expected) =>
        Assert.Equal(expected, Money.Format(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData(LineAmountTypes.Exclusive, "100.00", "12.5", "12.50")]
    [InlineData(LineAmountTypes.Inclusive, "112.50", "12.5", "12.50")]
    [InlineData(LineAmountTypes.Inclusive, "10.00", "15", "1.30")]
    [InlineData(LineAmountTypes.NoTax, "10.00", "0", "0.00")]
    public void Line_tax_follows_the_line_amount_type(LineAmountTypes types, string lineAmount, string rate, string expected)
    {
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        Assert.Equal(expected, Money.Format(Money.LineTax(types, decimal.Parse(lineAmount, culture), decimal.Parse(rate, culture))));
    }

    [Fact]
    public void Totals_are_sums_of_rounded_lines_not_a_rounded_sum()
    {
        var invoice = new Invoice();
        // Each line: 1 × 0.3350 = 0.335 → 0.34, tax 10% = 0.034 → 0.03. Unrounded sums would give 1.01 and 0.10.
        var line = new LineRequest("Clip", 1m, 0.3350m, null, 10m, null, null, null);
        var v = new Validation();
        Money.ApplyLines(v, invoice, LineAmountTypes.Exclusive, [line, line, line], null, null, null);
        Assert.True(v.IsValid);
        Assert.Equal((1.02m, 0.09m, 1.11m), (invoice.SubTotal, invoice.TotalTax, invoice.Total));
    }

    [Fact]
    public void Sent_totals_that_differ_are_named_with_the_computed_figure()
    {
        var v = new Validation("invoices[0]");
        Money.ApplyLines(v, new Invoice(), LineAmountTypes.Exclusive,
            [new LineRequest("Widget", 3m, 10m, null, 15m, null, 30m, 4.49m)], 30m, 4.49m, 34.49m);
        var errors = Assert.Throws<RequestValidationException>(v.ThrowIfInvalid).Errors;
        Assert.Equal(["invoices[0].lines[0].taxAmount", "invoices[0].totalTax", "invoices[0].total"], errors.Keys);
        Assert.Contains("34.50", errors["invoices[0].total"][0]);
    }
}
