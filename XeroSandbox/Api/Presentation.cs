using InventorySync.Xero.Models;
using InventorySync.XeroSandbox.State;

namespace InventorySync.XeroSandbox.Api;

/// <summary>
/// What Xero adds to a stored document when it answers for it: the payments, refunds and credit notes linked to it,
/// whether it has attachments or discounts, the full contact; unit amounts to the precision asked (unitdp); less
/// with summaryOnly=true.
/// </summary>
public static class Presentation
{
    public static Contact Contact(Org org, Contact stored, HttpContext http)
    {
        var shown = Batches.Clone(stored);
        if (Query.SummaryOnly(http)) shown.Phones = null;
        return shown;
    }

    public static Invoice Invoice(Org org, Invoice stored, HttpContext http)
    {
        var shown = Batches.Clone(stored);
        var id = stored.InvoiceID!.Value;
        shown.HasAttachments = org.Attachments.GetValueOrDefault(id)?.Count > 0;
        shown.IsDiscounted = stored.LineItems?.Any(l => l.DiscountRate > 0 || l.DiscountAmount > 0) == true;
        if (Query.SummaryOnly(http))
        {
            shown.LineItems = null;
            return shown;
        }
        RoundUnits(shown.LineItems, http);
        if (stored.Contact?.ContactID is { } contactId && org.Contacts.TryGetValue(contactId, out var contact))
            shown.Contact = Batches.Clone(contact);
        var links = LinksOf(org, http);
        shown.Payments = [.. links.Payments[id]];
        shown.CreditNotes = [.. links.Credits[id]];
        return shown;
    }

    public static CreditNote CreditNote(Org org, CreditNote stored, HttpContext http)
    {
        var shown = Batches.Clone(stored);
        var id = stored.CreditNoteID!.Value;
        shown.HasAttachments = org.Attachments.GetValueOrDefault(id)?.Count > 0;
        RoundUnits(shown.LineItems, http);
        if (stored.Contact?.ContactID is { } contactId && org.Contacts.TryGetValue(contactId, out var contact))
            shown.Contact = Batches.Clone(contact);
        shown.Payments = [.. LinksOf(org, http).Payments[id]];
        shown.Allocations ??= [];
        return shown;
    }

    public static BankTransaction BankTransaction(Org org, BankTransaction stored, HttpContext http)
    {
        var shown = Batches.Clone(stored);
        shown.HasAttachments = org.Attachments.GetValueOrDefault(stored.BankTransactionID!.Value)?.Count > 0;
        RoundUnits(shown.LineItems, http);
        return shown;
    }

    public static T AsStored<T>(Org org, T stored, HttpContext http) => stored;

    /// <summary>
    /// The payments (or refunds) made to each document and the credit notes allocated to each invoice, as Xero lists
    /// them on it: gathered once per request, however many documents a page shows.
    /// </summary>
    private sealed record Links(ILookup<Guid, Payment> Payments, ILookup<Guid, CreditNote> Credits);

    private static Links LinksOf(Org org, HttpContext http) => (Links)(http.Items[nameof(Links)] ??= new Links(
        org.Payments.Values.Where(p => p.Status != "DELETED")
            .ToLookup(p => (p.Invoice?.InvoiceID ?? p.CreditNote?.CreditNoteID)!.Value, p => new Payment
            {
                PaymentID = p.PaymentID, Date = p.Date, Amount = p.Amount, Reference = p.Reference,
            }),
        org.CreditNotes.Values.SelectMany(n => (n.Allocations ?? []).Select(a => (Invoice: a.Invoice!.InvoiceID!.Value,
                Note: new CreditNote
                {
                    CreditNoteID = n.CreditNoteID, CreditNoteNumber = n.CreditNoteNumber, Total = n.Total,
                    AppliedAmount = a.Amount, Date = a.Date,
                })))
            .ToLookup(x => x.Invoice, x => x.Note)));

    /// <summary>Unit amounts are kept to 4 decimals and shown to 2 unless unitdp=4 is asked.</summary>
    private static void RoundUnits(List<LineItem>? lines, HttpContext http)
    {
        var decimals = Query.UnitDecimals(http);
        foreach (var line in lines ?? [])
            if (line.UnitAmount is { } unit) line.UnitAmount = Math.Round(unit, decimals,
                MidpointRounding.AwayFromZero);
    }
}
