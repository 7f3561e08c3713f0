using System.Globalization;
using InventorySync.Storage.Entities;
using InventorySync.Xero.Client;
using X = InventorySync.Xero.Models;

namespace InventorySync.Grains.Sync;

/// <summary>A contact of ours already in Xero, and what matched it.</summary>
public sealed record ContactMatch(Contact Ours, X.Contact Theirs, string By);

/// <summary>An invoice or bill of ours whose number Xero already holds: linked when it is the same, refused when not.
/// </summary>
public sealed record InvoiceMatch(Invoice Ours, X.Invoice Theirs, string? Conflict);

/// <summary>A payment of ours whose twin (same invoice, amount and day) Xero already holds.</summary>
public sealed record PaymentMatch(Payment Ours, X.Payment Theirs);

/// <summary>
/// Finds what an organisation already in use holds of ours before anything is created (an onboarding): contacts by
/// name as Xero compares it (without regard to case), then by account number or e-mail; invoices and bills by number.
/// A look-up spends as few calls as the counts allow: filtered queries for a few, the organisation's whole list
/// (1,000 a page) when that takes fewer pages.
/// </summary>
public static class XeroMatches
{
    /// <summary>Contacts per <c>where</c> query: each adds up to three clauses joined by OR.</summary>
    public const int ContactsPerQuery = 25;

    /// <summary>Numbers per <c>InvoiceNumbers</c> query.</summary>
    public const int NumbersPerQuery = 50;

    /// <summary>The contacts of ours already in Xero, and the calls the look-up took.</summary>
    public static async Task<(List<ContactMatch> Matches, int Calls)> ContactsAsync(XeroOrganisation xero,
        IReadOnlyList<Contact> ours, CancellationToken ct)
    {
        if (ours.Count == 0) return ([], 0);
        var (theirs, calls) = await LookUpAsync<X.Contact, Contact>(xero, "Contacts", ours, ContactsPerQuery,
            batch => string.Join(" OR ", batch.SelectMany(Clauses)) is { Length: > 0 } where
                ? new XeroQuery(Where: where)
                : null, ct);
        var matches = new List<ContactMatch>();
        foreach (var contact in ours)
            if (Match(contact, theirs) is { } match)
                matches.Add(match);
        return (matches, calls);
    }

    /// <param name="contacts">Our contacts of these invoices: their names, and their ids in Xero where they have one.
    /// </param>
    public static async Task<(List<InvoiceMatch> Matches, int Calls)> InvoicesAsync(XeroOrganisation xero,
        IReadOnlyList<Invoice> ours, IReadOnlyDictionary<Guid, (string Name, string? XeroId)> contacts,
        CancellationToken ct)
    {
        var numbered = ours.Where(i => i.InvoiceNumber is not null).ToList();
        if (numbered.Count == 0) return ([], 0);
        var (theirs, calls) = await LookUpAsync<X.Invoice, Invoice>(xero, "Invoices", numbered, NumbersPerQuery,
            batch => new XeroQuery(Numbers: batch.Select(i => i.InvoiceNumber!).ToList()), ct);
        var matches = new List<InvoiceMatch>();
        foreach (var invoice in numbered)
        {
            var type = invoice.Kind == Contracts.OrderKind.Sale ? "ACCREC" : "ACCPAY";
            var found = theirs.FirstOrDefault(t => t.Type == type && t.Status is not ("DELETED" or "VOIDED")
                && string.Equals(t.InvoiceNumber, invoice.InvoiceNumber, StringComparison.OrdinalIgnoreCase));
            if (found is null) continue;
            var contact = contacts[invoice.Order!.ContactId];
            var same = contact.XeroId is not null && found.Contact?.ContactID?.ToString() == contact.XeroId
                       && found.Total == invoice.Total;
            matches.Add(new InvoiceMatch(invoice, found, same
                ? null
                : $"Xero already holds {invoice.InvoiceNumber} for {found.Contact?.Name ?? "another contact"}, total "
                  + $"{Money(found.Total)}; ours is for {contact.Name}, total {Money(invoice.Total)}. Give ours "
                  + "another number, or change or delete the one in Xero."));
        }
        return (matches, calls);
    }

    /// <summary>Invoices per <c>IDs</c> query.</summary>
    public const int IdsPerQuery = 50;

    /// <summary>
    /// The payments of ours that Xero already holds on their invoices (S5.5), e.g. entered there during a bank
    /// reconciliation; each of Xero's payments matches one of ours at most, and none that we already hold.
    /// </summary>
    /// <param name="invoiceOf">The Xero id of a payment's invoice.</param>
    /// <param name="heldOf">Which of these Xero payment ids we already hold.</param>
    public static async Task<List<PaymentMatch>> PaymentsAsync(XeroOrganisation xero, IReadOnlyList<Payment> ours,
        Func<Payment, string> invoiceOf, Func<IReadOnlyList<string>, Task<List<string>>> heldOf, CancellationToken ct)
    {
        if (ours.Count == 0) return [];
        var invoiceIds = ours.Select(invoiceOf).Distinct().ToList();
        var (invoices, _) = await LookUpAsync<X.Invoice, string>(xero, "Invoices", invoiceIds, IdsPerQuery,
            batch => new XeroQuery(Ids: batch), ct);
        var theirs = invoices.Where(i => invoiceIds.Contains(i.InvoiceID.ToString()!))
            .SelectMany(i => (i.Payments ?? []).Select(p => (Invoice: i.InvoiceID.ToString(), Payment: p)))
            .Where(x => x.Payment.Status != "DELETED").ToList();
        var held = (await heldOf(theirs.Select(x => x.Payment.PaymentID.ToString()!).ToList())).ToHashSet();
        theirs.RemoveAll(x => held.Contains(x.Payment.PaymentID.ToString()!));
        var matches = new List<PaymentMatch>();
        foreach (var payment in ours)
        {
            var twin = theirs.FirstOrDefault(x => x.Invoice == invoiceOf(payment) && x.Payment.Amount == payment.Amount
                && X.XeroJson.ParseDate(x.Payment.Date) == payment.Date);
            if (twin.Payment is null) continue;
            theirs.Remove(twin);
            matches.Add(new PaymentMatch(payment, twin.Payment));
        }
        return matches;
    }

    /// <summary>
    /// What the organisation holds of <paramref name="ours"/>: filtered queries when they fit in one, else the first
    /// page of the whole list, then whichever takes fewer calls: its other pages, or the filtered queries.
    /// </summary>
    private static async Task<(List<T> Found, int Calls)> LookUpAsync<T, TOurs>(XeroOrganisation xero, string resource,
        IReadOnlyList<TOurs> ours, int perQuery, Func<TOurs[], XeroQuery?> filtered, CancellationToken ct)
    {
        var found = new List<T>();
        var calls = 0;
        if (ours.Count > perQuery)
        {
            calls++;
            var first = await xero.GetPageAsync<T>(resource,
                new XeroQuery(Page: 1, PageSize: XeroOrganisation.MaxPageSize), ct);
            found.AddRange(first.Items);
            var pages = first.Pagination?.PageCount ?? 1;
            var queries = (ours.Count + perQuery - 1) / perQuery;
            if (pages - 1 <= queries)
            {
                for (var page = 2; page <= pages; page++, calls++)
                    found.AddRange((await xero.GetPageAsync<T>(resource,
                        new XeroQuery(Page: page, PageSize: XeroOrganisation.MaxPageSize), ct)).Items);
                return (found, calls);
            }
        }
        foreach (var batch in ours.Chunk(perQuery))
            if (filtered(batch) is { } query)
            {
                // Unpaged: a filtered answer holds every match (at most three a contact, one a number).
                found.AddRange((await xero.GetPageAsync<T>(resource, query, ct)).Items);
                calls++;
            }
        return (found, calls);
    }

    private static ContactMatch? Match(Contact ours, List<X.Contact> theirs)
    {
        static bool Same(string? a, string? b) =>
            a is { Length: > 0 } && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
        var active = theirs.Where(t => t.ContactStatus is null or "ACTIVE").ToList();
        return active.FirstOrDefault(t => Same(ours.Name, t.Name)) is { } byName ? new(ours, byName, "name")
            : active.FirstOrDefault(t => Same(ours.AccountNumber, t.AccountNumber)) is { } byAccount
                ? new(ours, byAccount, "account number")
            : active.FirstOrDefault(t => Same(ours.Email, t.EmailAddress)) is { } byEmail ? new(ours, byEmail, "e-mail")
            : null;
    }

    /// <summary>A contact's clauses for a <c>where</c> query; values with a double quote cannot be written in one.
    /// </summary>
    private static IEnumerable<string> Clauses(Contact c)
    {
        var fields = new[] { ("Name", c.Name), ("AccountNumber", c.AccountNumber), ("EmailAddress", c.Email) };
        foreach (var (field, value) in fields)
            if (value is { Length: > 0 } && !value.Contains('"'))
                yield return $"{field}==\"{value}\"";
    }

    private static string Money(decimal? amount) => (amount ?? 0).ToString("0.00", CultureInfo.InvariantCulture);
}
