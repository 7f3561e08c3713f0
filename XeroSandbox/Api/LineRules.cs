using InventorySync.Xero.Models;
using InventorySync.XeroSandbox.State;

namespace InventorySync.XeroSandbox.Api;

/// <summary>Lines and totals of invoices, credit notes and bank transactions, computed as Xero does.</summary>
public static class LineRules
{
    public static readonly string[] LineAmountTypes = ["Exclusive", "Inclusive", "NoTax"];

    public static decimal Round(decimal v) => Math.Round(v, 2, MidpointRounding.AwayFromZero);

    /// <summary>Checks and completes the lines (amounts and tax); returns SubTotal, TotalTax, Total.</summary>
    public static (decimal SubTotal, decimal TotalTax, decimal Total) Apply(Org org, List<LineItem> lines,
        string lineAmountTypes, bool accountRequired, bool discounts, int unitDecimals, List<string> errors)
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
            line.UnitAmount = Math.Round(line.UnitAmount ?? 0m, unitDecimals, MidpointRounding.AwayFromZero);
            if (line.AccountCode is { } code && org.Accounts.All(a => a.Code != code))
                errors.Add($"Account code '{code}' is not a valid code for this document.");
            else if (line.AccountCode is null && accountRequired)
                errors.Add("AccountCode is required on every line item of an authorised document.");
            var rate = 0m;
            if (line.TaxType is { } taxType && !Org.TaxRates.TryGetValue(taxType, out rate))
                errors.Add($"The TaxType code '{taxType}' does not exist or cannot be used for this type of transaction.");
            line.LineAmount = Round(Discounted(line, discounts, errors));
            line.TaxAmount ??= lineAmountTypes.ToLowerInvariant() switch
            {
                "exclusive" => Round(line.LineAmount.Value * rate / 100m),
                "inclusive" => Round(line.LineAmount.Value * rate / (100m + rate)),
                _ => 0m,
            };
            tax += line.TaxAmount.Value;
            sub += string.Equals(lineAmountTypes, "Inclusive",
                StringComparison.OrdinalIgnoreCase) ? line.LineAmount.Value - line.TaxAmount.Value : line.LineAmount.Value;
        }
        return (Round(sub), Round(tax), Round(sub + tax));
    }

    /// <summary>
    /// Quantity × unit amount, less DiscountRate (a percentage) or DiscountAmount, which Xero takes on sale
    /// invoices only and never both on one line.
    /// </summary>
    private static decimal Discounted(LineItem line, bool discounts, List<string> errors)
    {
        var gross = line.Quantity!.Value * line.UnitAmount!.Value;
        if (line.DiscountRate is null && line.DiscountAmount is null) return gross;
        if (!discounts) errors.Add("Discounts are only supported on sales invoices (ACCREC).");
        if (line is { DiscountRate: not null, DiscountAmount: not null })
            errors.Add("A line item can have a DiscountRate or a DiscountAmount, not both.");
        if (line.DiscountRate is < 0 or > 100) errors.Add("DiscountRate must be between 0 and 100.");
        if (line.DiscountAmount < 0 || line.DiscountAmount > gross)
            errors.Add("DiscountAmount must be between 0 and the line's quantity times its unit amount.");
        return line.DiscountRate is { } rate ? gross * (100m - rate) / 100m : gross - (line.DiscountAmount ?? 0m);
    }

    /// <summary>
    /// The contact a document names: by ContactID, by ContactNumber, or by Name (found, or created when the document
    /// is stored).
    /// </summary>
    public static Contact? ResolveContact(Org org, Contact? reference, List<string> errors)
    {
        if (reference?.ContactID is { } id)
        {
            if (org.Contacts.TryGetValue(id, out var found)) return found;
            errors.Add($"The contact {id} could not be found.");
            return null;
        }
        if (reference?.ContactNumber is { Length: > 0 } number
            && org.Contacts.Values.FirstOrDefault(c => c.ContactNumber == number) is { } numbered)
            return numbered;
        if (!string.IsNullOrWhiteSpace(reference?.Name))
            return org.Contacts.Values.FirstOrDefault(c => string.Equals(c.Name, reference.Name,
                StringComparison.OrdinalIgnoreCase))
                   ?? new Contact { Name = reference.Name, ContactNumber = reference.ContactNumber };
        if (reference?.ContactNumber is { Length: > 0 } unknown)
        {
            errors.Add($"The contact with ContactNumber {unknown} could not be found; give a Name to create it.");
            return null;
        }
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
