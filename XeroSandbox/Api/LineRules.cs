using InventorySync.Xero.Models;
using InventorySync.XeroSandbox.State;

namespace InventorySync.XeroSandbox.Api;

/// <summary>Lines and totals of invoices, credit notes and bank transactions, computed as Xero does.</summary>
public static class LineRules
{
    public static readonly string[] LineAmountTypes = ["Exclusive", "Inclusive", "NoTax"];

    public static decimal Round(decimal v) => Math.Round(v, 2, MidpointRounding.AwayFromZero);

    /// <summary>Checks and completes the lines (amounts and tax); returns SubTotal, TotalTax, Total.</summary>
    public static (decimal SubTotal, decimal TotalTax, decimal Total) Apply(Org org, List<LineItem> lines, string lineAmountTypes,
        bool accountRequired, List<string> errors)
    {
        if (!LineAmountTypes.Contains(lineAmountTypes, StringComparer.OrdinalIgnoreCase))
            errors.Add($"LineAmountTypes '{lineAmountTypes}' is not one of Exclusive, Inclusive, NoTax.");
        decimal sub = 0, tax = 0;
        foreach (var line in lines)
        {
            line.LineItemID ??= Guid.NewGuid();
            if (string.IsNullOrWhiteSpace(line.Description) && string.IsNullOrWhiteSpace(line.ItemCode))
                errors.Add("Description or ItemCode is required on every line item.");
            line.Quantity ??= 1m;
            line.UnitAmount ??= 0m;
            if (line.AccountCode is { } code && org.Accounts.All(a => a.Code != code))
                errors.Add($"Account code '{code}' is not a valid code for this document.");
            else if (line.AccountCode is null && accountRequired)
                errors.Add("AccountCode is required on every line item of an authorised document.");
            var rate = 0m;
            if (line.TaxType is { } taxType && !Org.TaxRates.TryGetValue(taxType, out rate))
                errors.Add($"The TaxType code '{taxType}' does not exist or cannot be used for this type of transaction.");
            line.LineAmount = Round(line.Quantity.Value * line.UnitAmount.Value);
            line.TaxAmount ??= lineAmountTypes.ToLowerInvariant() switch
            {
                "exclusive" => Round(line.LineAmount.Value * rate / 100m),
                "inclusive" => Round(line.LineAmount.Value * rate / (100m + rate)),
                _ => 0m,
            };
            tax += line.TaxAmount.Value;
            sub += string.Equals(lineAmountTypes, "Inclusive", StringComparison.OrdinalIgnoreCase) ? line.LineAmount.Value - line.TaxAmount.Value : line.LineAmount.Value;
        }
        return (Round(sub), Round(tax), Round(sub + tax));
    }

    /// <summary>The contact a document names: by ContactID, or by Name (found, or created when the document is stored).</summary>
    public static Contact? ResolveContact(Org org, Contact? reference, List<string> errors)
    {
        if (reference?.ContactID is { } id)
        {
            if (org.Contacts.TryGetValue(id, out var found)) return found;
            errors.Add($"The contact {id} could not be found.");
            return null;
        }
        if (!string.IsNullOrWhiteSpace(reference?.Name))
            return org.Contacts.Values.FirstOrDefault(c => string.Equals(c.Name, reference.Name, StringComparison.OrdinalIgnoreCase))
                   ?? new Contact { Name = reference.Name };
        errors.Add("The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber");
        return null;
    }

    /// <summary>Stores a contact that a document created by name.</summary>
    public static Contact Store(Org org, Contact contact, DateTime now)
    {
        if (contact.ContactID is null)
        {
            contact.ContactID = Guid.NewGuid();
            contact.ContactStatus = "ACTIVE";
            contact.UpdatedDateUTC = Xero.Models.XeroJson.Timestamp(now);
            org.Contacts[contact.ContactID.Value] = contact;
            org.UpdatedAt[contact.ContactID.Value] = now;
        }
        return contact;
    }

    public static Contact Reference(Contact c) => new() { ContactID = c.ContactID, Name = c.Name };
}
