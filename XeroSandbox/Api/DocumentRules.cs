using InventorySync.Xero.Models;
using InventorySync.XeroSandbox.State;

namespace InventorySync.XeroSandbox.Api;

/// <summary>What Xero accepts and refuses for contacts, invoices, credit notes, payments and bank transactions.</summary>
public static class DocumentRules
{
    private static readonly string[] InvoiceStatuses = ["DRAFT", "SUBMITTED", "AUTHORISED", "VOIDED", "DELETED"];
    private static readonly string[] PhoneTypes = ["DEFAULT", "DDI", "MOBILE", "FAX", "OFFICE"];

    public static Prepared Contact(Org org, Contact c, BatchContext batch, DateTime now)
    {
        var errors = new List<string>();
        Contact? existing = null;
        if (c.ContactID is { } id && !org.Contacts.TryGetValue(id, out existing))
            errors.Add($"The contact {id} could not be found.");
        var name = c.Name ?? existing?.Name;
        if (string.IsNullOrWhiteSpace(name))
            errors.Add("The contact name must be provided.");
        else if (org.Contacts.Values.Any(o => o.ContactID != c.ContactID && string.Equals(o.Name, name,
            StringComparison.OrdinalIgnoreCase)) || !batch.Claimed.Add("contact:" + name))
            errors.Add($"The contact name {name} is already assigned to another contact. The contact name must be unique across all active contacts.");
        if (c.EmailAddress is { Length: > 0 } email && !email.Contains('@'))
            errors.Add("Email address must be valid.");
        if (c.FirstName?.Length > 255 || c.LastName?.Length > 255)
            errors.Add("First and last names may be at most 255 characters.");
        foreach (var phone in c.Phones ?? [])
            if (!PhoneTypes.Contains(phone.PhoneType ?? "DEFAULT"))
                errors.Add($"PhoneType '{phone.PhoneType}' is not one of {string.Join(", ", PhoneTypes)}.");
            else if (phone.PhoneNumber?.Length > 50 || phone.PhoneAreaCode?.Length > 10
                     || phone.PhoneCountryCode?.Length > 20)
                errors.Add("A phone number may be at most 50 characters, its area code 10 and its country code 20.");
        return new Prepared(c, errors, () =>
        {
            var stored = existing ?? new Contact { ContactID = Guid.NewGuid(), ContactStatus = "ACTIVE" };
            stored.Name = name;
            stored.FirstName = c.FirstName ?? stored.FirstName;
            stored.LastName = c.LastName ?? stored.LastName;
            stored.Phones = c.Phones?.Select(p => Batches.Clone(p)).ToList() ?? stored.Phones;
            foreach (var phone in stored.Phones ?? []) phone.PhoneType ??= "DEFAULT";
            stored.EmailAddress = c.EmailAddress ?? stored.EmailAddress;
            stored.TaxNumber = c.TaxNumber ?? stored.TaxNumber;
            stored.AccountNumber = c.AccountNumber ?? stored.AccountNumber;
            stored.ContactNumber = c.ContactNumber ?? stored.ContactNumber;
            stored.IsCustomer = c.IsCustomer ?? stored.IsCustomer ?? false;
            stored.IsSupplier = c.IsSupplier ?? stored.IsSupplier ?? false;
            stored.UpdatedDateUTC = XeroJson.Timestamp(now);
            org.Contacts[stored.ContactID!.Value] = stored;
            org.UpdatedAt[stored.ContactID.Value] = now;
            return stored;
        });
    }

    public static Prepared Invoice(Org org, Invoice i, BatchContext batch, DateTime now)
    {
        var d = Prepare(org, i, i.InvoiceID is { } id ? (org.Invoices.GetValueOrDefault(id),
            $"The invoice {id} could not be found.") : null, ["ACCREC", "ACCPAY"], batch, now);
        var merged = d.Merged;
        if (merged.Type == "ACCREC")
        {
            if (string.IsNullOrWhiteSpace(merged.InvoiceNumber) && d.Existing is null)
                merged.InvoiceNumber = $"INV-{org.NextInvoiceNumber:0000}";
            var number = merged.InvoiceNumber;
            if ((number is not null && org.SaleInvoiceNumbers.TryGetValue(number,
                out var owner) && owner != merged.InvoiceID)
                || !batch.Claimed.Add("invoice:" + number))
                d.Errors.Add("Invoice # must be unique.");
        }
        if (merged.DueDate is { } due && XeroJson.ParseDate(due) is null) d.Errors.Add($"DueDate '{due}' is not a date.");
        return new Prepared(i, d.Errors, () =>
        {
            merged.InvoiceID ??= Guid.NewGuid();
            if (d.Existing is null && merged.Type == "ACCREC" && merged.InvoiceNumber == $"INV-{org.NextInvoiceNumber:0000}") org.NextInvoiceNumber++;
            Complete(org, d, now);
            merged.DueDate = XeroJson.ParseDate(merged.DueDate) is { } dueDate ? XeroJson.Date(dueDate) : null;
            merged.AmountPaid ??= 0m;
            merged.AmountCredited ??= 0m;
            merged.AmountDue = merged.Total - merged.AmountPaid - merged.AmountCredited;
            org.Invoices[merged.InvoiceID.Value] = merged;
            org.UpdatedAt[merged.InvoiceID.Value] = now;
            if (d.Existing?.InvoiceNumber is { } previous) org.SaleInvoiceNumbers.Remove(previous);
            if (merged is { Type: "ACCREC",
                InvoiceNumber: { } current } && merged.Status != "DELETED") org.SaleInvoiceNumbers[current] = merged.InvoiceID.Value;
            return merged;
        });
    }

    public static Prepared CreditNote(Org org, CreditNote n, BatchContext batch, DateTime now)
    {
        var d = Prepare(org, n, n.CreditNoteID is { } id ? (org.CreditNotes.GetValueOrDefault(id),
            $"The credit note {id} could not be found.") : null, ["ACCRECCREDIT", "ACCPAYCREDIT"], batch, now);
        var merged = d.Merged;
        if (merged.CreditNoteNumber is { Length: > 0 } number && merged.Type == "ACCRECCREDIT"
            && (org.CreditNotes.Values.Any(o => o.Type == "ACCRECCREDIT" && o.CreditNoteID != merged.CreditNoteID && string.Equals(o.CreditNoteNumber, number, StringComparison.OrdinalIgnoreCase))
                || !batch.Claimed.Add("creditnote:" + number)))
            d.Errors.Add("Credit Note # must be unique.");
        return new Prepared(n, d.Errors, () =>
        {
            merged.CreditNoteID ??= Guid.NewGuid();
            var refunded = d.Existing?.Allocated() ?? 0m;
            Complete(org, d, now);
            merged.RemainingCredit = merged.Total - refunded;
            org.CreditNotes[merged.CreditNoteID.Value] = merged;
            org.UpdatedAt[merged.CreditNoteID.Value] = now;
            return merged;
        });
    }

    /// <summary>An invoice or credit note checked and merged with what Xero holds, ready to be completed on commit.</summary>
    private sealed record Draft<T>(T Merged, T? Existing, List<string> Errors, Contact? Contact, (decimal SubTotal,
        decimal TotalTax, decimal Total) Totals, DateOnly Date)
        where T : LineDocument;

    private static Draft<T> Prepare<T>(Org org, T incoming, (T? Found, string Missing)? lookup, string[] types,
        BatchContext batch, DateTime now) where T : LineDocument
    {
        var errors = new List<string>();
        var existing = lookup?.Found;
        if (lookup is { Found: null } l) errors.Add(l.Missing);
        var merged = existing is null ? Batches.Clone(incoming) : Merge(Batches.Clone(existing), incoming);
        if (!types.Contains(merged.Type)) errors.Add($"Type must be {string.Join(" or ", types)}.");
        merged.Status = CheckStatus(existing?.Status, existing?.Allocated() ?? 0, merged.Status, errors);
        var contact = LineRules.ResolveContact(org, merged.Contact, errors);
        merged.LineItems ??= [];
        merged.LineAmountTypes ??= "Exclusive";
        var totals = ApplyLines(org, merged, batch, errors);
        if (totals.Total < (existing?.Allocated() ?? 0)) errors.Add("The total cannot be less than what is already paid or refunded.");
        return new Draft<T>(merged, existing, errors, contact, totals,
            XeroJson.ParseDate(merged.Date) ?? DateOnly.FromDateTime(now));
    }

    private static void Complete<T>(Org org, Draft<T> d, DateTime now) where T : LineDocument
    {
        var merged = d.Merged;
        merged.Contact = LineRules.Reference(LineRules.Store(org, d.Contact!, now));
        merged.Date = XeroJson.Date(d.Date);
        merged.CurrencyCode ??= org.BaseCurrency;
        (merged.SubTotal, merged.TotalTax, merged.Total) = d.Totals;
        merged.UpdatedDateUTC = XeroJson.Timestamp(now);
    }

    public static Prepared Payment(Org org, Payment p, BatchContext batch, DateTime now)
    {
        var errors = new List<string>();
        Invoice? invoice = null;
        CreditNote? note = null;
        if (p.Invoice is { } ir)
        {
            invoice = ir.InvoiceID is { } iid ? org.Invoices.GetValueOrDefault(iid)
                : org.Invoices.Values.FirstOrDefault(x => ir.InvoiceNumber is not null && x.InvoiceNumber == ir.InvoiceNumber);
            if (invoice is null) errors.Add("Invoice could not be found.");
        }
        else if (p.CreditNote is { } cr)
        {
            note = cr.CreditNoteID is { } cid ? org.CreditNotes.GetValueOrDefault(cid)
                : org.CreditNotes.Values.FirstOrDefault(x => cr.CreditNoteNumber is not null && x.CreditNoteNumber == cr.CreditNoteNumber);
            if (note is null) errors.Add("Credit note could not be found.");
        }
        else errors.Add("A payment must be applied to an Invoice or a CreditNote.");

        var account = org.FindAccount(p.Account);
        if (account is null) errors.Add("Account could not be found.");
        else if (account.Type != "BANK" && account.EnablePaymentsToAccount != true)
            errors.Add($"Payments can only be made to bank accounts or accounts with payments enabled; {account.Code} is neither.");
        var status = invoice?.Status ?? note?.Status;
        if (status is not null && status != "AUTHORISED")
            errors.Add($"Payment cannot be applied: the document's status is {status}; it must be AUTHORISED.");
        var date = XeroJson.ParseDate(p.Date);
        if (date is null) errors.Add("Date is required.");
        var amount = p.Amount ?? 0m;
        if (amount <= 0) errors.Add("Amount must be greater than zero.");
        var documentId = invoice?.InvoiceID ?? note?.CreditNoteID;
        var outstanding = (invoice?.AmountDue ?? note?.RemainingCredit ?? 0m) - (documentId is { } d ? batch.Allocated.GetValueOrDefault(d) : 0m);
        if (status == "AUTHORISED" && amount > outstanding)
            errors.Add("Payment amount exceeds the amount outstanding on this document.");
        if (errors.Count == 0 && documentId is { } doc) batch.Allocated[doc] = batch.Allocated.GetValueOrDefault(doc) + amount;
        return new Prepared(p, errors, () =>
        {
            var stored = new Payment
            {
                PaymentID = Guid.NewGuid(), Amount = amount, Date = XeroJson.Date(date!.Value),
                    Reference = p.Reference, Status = "AUTHORISED",
                Account = new AccountRef { AccountID = account!.AccountID, Code = account.Code },
                PaymentType = invoice is not null ? (invoice.Type == "ACCREC" ? "ACCRECPAYMENT" : "ACCPAYPAYMENT") : (note!.Type == "ACCRECCREDIT" ? "ARCREDITPAYMENT" : "APCREDITPAYMENT"),
                Invoice = invoice is null ? null : new Invoice { InvoiceID = invoice.InvoiceID,
                    InvoiceNumber = invoice.InvoiceNumber, Type = invoice.Type },
                CreditNote = note is null ? null : new CreditNote { CreditNoteID = note.CreditNoteID,
                    CreditNoteNumber = note.CreditNoteNumber, Type = note.Type },
                UpdatedDateUTC = XeroJson.Timestamp(now),
            };
            Allocate(org, stored, +1, now);
            org.Payments[stored.PaymentID.Value] = stored;
            org.UpdatedAt[stored.PaymentID.Value] = now;
            return stored;
        });
    }

    /// <summary>
    /// Part of an authorised credit note set against an authorised invoice of the same side and contact, within what
    /// is left of both; the invoice's AmountCredited and the note's RemainingCredit move, and each is PAID at zero.
    /// </summary>
    public static Prepared Allocation(Org org, Guid creditNoteId, Allocation a, BatchContext batch, DateTime now)
    {
        var errors = new List<string>();
        var note = org.CreditNotes.GetValueOrDefault(creditNoteId);
        var invoice = a.Invoice?.InvoiceID is { } invoiceId ? org.Invoices.GetValueOrDefault(invoiceId) : null;
        if (note is null) errors.Add($"The credit note {creditNoteId} could not be found.");
        if (invoice is null) errors.Add("Invoice could not be found.");
        if (note is not null && invoice is not null)
        {
            if (note.Status != "AUTHORISED" || invoice.Status != "AUTHORISED")
                errors.Add("Only an AUTHORISED credit note can be allocated, and only to an AUTHORISED invoice.");
            if ((note.Type == "ACCRECCREDIT") != (invoice.Type == "ACCREC"))
                errors.Add("A sales credit note goes to a sales invoice, a purchase credit note to a bill.");
            if (note.Contact?.ContactID != invoice.Contact?.ContactID)
                errors.Add("The credit note and the invoice must be for the same contact.");
        }
        var date = XeroJson.ParseDate(a.Date);
        if (date is null) errors.Add("Date is required.");
        var amount = a.Amount ?? 0m;
        if (amount <= 0) errors.Add("Amount must be greater than zero.");
        else if (note is not null && invoice is not null)
        {
            if (amount > (note.RemainingCredit ?? 0) - batch.Allocated.GetValueOrDefault(creditNoteId))
                errors.Add("The amount exceeds the credit note's remaining credit.");
            if (amount > (invoice.AmountDue ?? 0) - batch.Allocated.GetValueOrDefault(invoice.InvoiceID!.Value))
                errors.Add("The amount exceeds the invoice's amount due.");
        }
        if (errors.Count == 0)
            foreach (var id in new[] { creditNoteId, invoice!.InvoiceID!.Value })
                batch.Allocated[id] = batch.Allocated.GetValueOrDefault(id) + amount;
        return new Prepared(a, errors, () =>
        {
            var stored = new Allocation
            {
                AllocationID = Guid.NewGuid(), Amount = amount, Date = XeroJson.Date(date!.Value),
                Invoice = new Invoice { InvoiceID = invoice!.InvoiceID, InvoiceNumber = invoice.InvoiceNumber },
            };
            (note!.Allocations ??= []).Add(stored);
            note.RemainingCredit -= amount;
            note.Status = note.RemainingCredit == 0 ? "PAID" : note.Status;
            invoice.AmountCredited = (invoice.AmountCredited ?? 0) + amount;
            invoice.AmountDue = (invoice.Total ?? 0) - (invoice.AmountPaid ?? 0) - invoice.AmountCredited;
            invoice.Status = invoice.AmountDue == 0 ? "PAID" : invoice.Status;
            foreach (var (document, id) in new (LineDocument, Guid)[] { (note, creditNoteId), (invoice,
                invoice.InvoiceID!.Value) })
            {
                document.UpdatedDateUTC = XeroJson.Timestamp(now);
                org.UpdatedAt[id] = now;
            }
            var answer = Batches.Clone(stored);
            answer.CreditNote = new CreditNote { CreditNoteID = note.CreditNoteID,
                CreditNoteNumber = note.CreditNoteNumber };
            return answer;
        });
    }

    /// <summary>Deletes a payment, giving back what it paid; answers why not when it cannot.</summary>
    public static string? DeletePayment(Org org, Payment payment, DateTime now)
    {
        if (payment.Status == "DELETED") return "The payment has already been deleted.";
        Allocate(org, payment, -1, now);
        payment.Status = "DELETED";
        payment.UpdatedDateUTC = XeroJson.Timestamp(now);
        org.UpdatedAt[payment.PaymentID!.Value] = now;
        return null;
    }

    /// <summary>Applies (+1) or reverses (-1) a payment on its invoice or credit note, which is PAID when nothing is left.</summary>
    public static void Allocate(Org org, Payment p, int sign, DateTime now)
    {
        var amount = sign * (p.Amount ?? 0);
        if (p.Invoice?.InvoiceID is { } iid && org.Invoices.TryGetValue(iid, out var invoice))
        {
            invoice.AmountPaid = (invoice.AmountPaid ?? 0) + amount;
            invoice.AmountDue = (invoice.Total ?? 0) - invoice.AmountPaid - (invoice.AmountCredited ?? 0);
            invoice.Status = invoice.AmountDue == 0 ? "PAID" : "AUTHORISED";
            invoice.UpdatedDateUTC = XeroJson.Timestamp(now);
            org.UpdatedAt[iid] = now;
        }
        if (p.CreditNote?.CreditNoteID is { } cid && org.CreditNotes.TryGetValue(cid, out var note))
        {
            note.RemainingCredit = (note.RemainingCredit ?? 0) - amount;
            note.Status = note.RemainingCredit == 0 ? "PAID" : "AUTHORISED";
            note.UpdatedDateUTC = XeroJson.Timestamp(now);
            org.UpdatedAt[cid] = now;
        }
    }

    public static Prepared BankTransaction(Org org, BankTransaction b, BatchContext batch, DateTime now)
    {
        var errors = new List<string>();
        if (b.BankTransactionID is not null) errors.Add("Updating bank transactions is not supported by this emulator.");
        if (b.Type is not ("RECEIVE" or "SPEND")) errors.Add("BankTransaction Type must be RECEIVE or SPEND.");
        var bank = org.FindAccount(b.BankAccount);
        if (bank is null) errors.Add("BankAccount could not be found.");
        else if (bank.Type != "BANK") errors.Add($"The BankAccount must be a bank account; {bank.Code} is {bank.Type}.");
        var contact = LineRules.ResolveContact(org, b.Contact, errors);
        var lines = b.LineItems ?? [];
        if (lines.Count == 0) errors.Add("A bank transaction must have at least one line item.");
        var (sub, tax, total) =
            LineRules.Apply(org, lines, b.LineAmountTypes ?? "Exclusive", true, false, batch.UnitDecimals, errors);
        var date = XeroJson.ParseDate(b.Date) ?? DateOnly.FromDateTime(now);
        return new Prepared(b, errors, () =>
        {
            var stored = Batches.Clone(b);
            stored.BankTransactionID = Guid.NewGuid();
            stored.Status = "AUTHORISED";
            stored.BankAccount = new AccountRef { AccountID = bank!.AccountID, Code = bank.Code };
            stored.Contact = LineRules.Reference(LineRules.Store(org, contact!, now));
            stored.LineItems = lines;
            stored.LineAmountTypes ??= "Exclusive";
            stored.Date = XeroJson.Date(date);
            stored.CurrencyCode ??= org.BaseCurrency;
            (stored.SubTotal, stored.TotalTax, stored.Total) = (sub, tax, total);
            stored.UpdatedDateUTC = XeroJson.Timestamp(now);
            org.BankTransactions[stored.BankTransactionID.Value] = stored;
            org.UpdatedAt[stored.BankTransactionID.Value] = now;
            return stored;
        });
    }

    private static (decimal SubTotal, decimal TotalTax, decimal Total) ApplyLines(Org org, LineDocument document,
        BatchContext batch, List<string> errors)
    {
        var authorised = document.Status is "AUTHORISED" or "SUBMITTED";
        if (authorised && document.LineItems!.Count == 0)
            errors.Add("A document must have at least one line item before it can be approved.");
        return LineRules.Apply(org, document.LineItems!, document.LineAmountTypes!, authorised,
            discounts: document.Type == "ACCREC", batch.UnitDecimals, errors);
    }

    /// <summary>Xero's lifecycle: a paid or voided document is final; only drafts are deleted; only approved ones voided.</summary>
    private static string CheckStatus(string? before, decimal allocated, string? requested, List<string> errors)
    {
        var status = requested ?? before ?? "DRAFT";
        if (!InvoiceStatuses.Contains(status))
            errors.Add($"Status '{status}' is not valid here.");
        else if (before is null)
        {
            if (status is "VOIDED" or "DELETED") errors.Add($"A new document cannot be {status}.");
        }
        else if (before is "VOIDED" or "DELETED" or "PAID" || allocated > 0)
            errors.Add("This document cannot be edited as it has a payment or credit note allocated to it, or it is voided or deleted.");
        else if (status == "DELETED" && before is not ("DRAFT" or "SUBMITTED"))
            errors.Add("Only DRAFT or SUBMITTED documents can be deleted; void it instead.");
        else if (status == "VOIDED" && before is not ("AUTHORISED" or "SUBMITTED"))
            errors.Add("Only AUTHORISED or SUBMITTED documents can be voided; delete a draft instead.");
        else if (before == "AUTHORISED" && status is "DRAFT" or "SUBMITTED")
            errors.Add("An AUTHORISED document cannot go back to DRAFT or SUBMITTED.");
        return status;
    }

    private static T Merge<T>(T stored, T incoming) where T : class
    {
        foreach (var property in typeof(T).GetProperties().Where(p => p.CanWrite))
            if (property.GetValue(incoming) is { } value) property.SetValue(stored, value);
        return stored;
    }
}
