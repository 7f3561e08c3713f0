using InventorySync.Contracts;
using InventorySync.Grains.Common;
using InventorySync.Storage.Entities;

namespace InventorySync.Grains.Documents;

/// <summary>Draft → authorised → voided, for invoices, bills and credit notes (S2.3).</summary>
public static class Lifecycle
{
    public static void EnsureEditable(LineItemDocument d, string name)
    {
        if (d.Status == DocumentStatus.Voided)
            throw new ConflictException($"The {name} {d.Id} is voided and can no longer be changed.");
    }

    public static void Authorise(LineItemDocument d, string name)
    {
        if (d.Status != DocumentStatus.Draft)
            throw new ConflictException($"The {name} {d.Id} is {d.Status}; only a draft can be authorised.");
        d.Status = DocumentStatus.Authorised;
    }

    public static void Void(LineItemDocument d, string name)
    {
        EnsureEditable(d, name);
        if (d.AmountPaid > 0)
            throw new ConflictException($"The {name} {d.Id} has {Money.Format(d.AmountPaid)} applied to it; Xero cannot void it until that is removed.");
        d.Status = DocumentStatus.Voided;
    }

    /// <summary>Dates, currency and lines: what every invoice, bill and credit note checks alike.</summary>
    public static void ApplyCommon(Validation v, LineItemDocument d, DateOnly? date, string? currencyCode, string? reference,
        LineAmountTypes? types, IReadOnlyList<LineRequest>? lines, decimal? subTotal, decimal? totalTax, decimal? total)
    {
        d.Date = v.Required("date", date);
        d.Reference = v.OptionalText("reference", reference, 255);
        d.CurrencyCode = References.Currency(v, "currencyCode", currencyCode);
        Money.ApplyLines(v, d, types, lines, subTotal, totalTax, total);
        v.Check(d.AmountPaid == 0 || d.Total >= d.AmountPaid, "total", $"must not fall below the {Money.Format(d.AmountPaid)} already applied to this document.");
    }

    public static IReadOnlyList<LineResponse> ToResponse(this IEnumerable<DocumentLine> lines) =>
        lines.OrderBy(l => l.LineNumber)
            .Select(l => new LineResponse(l.LineNumber, l.Description, l.Quantity, l.UnitAmount, l.AccountCode, l.TaxRate, l.ItemCode, l.LineAmount, l.TaxAmount))
            .ToList();
}
