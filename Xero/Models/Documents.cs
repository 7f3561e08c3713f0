using System.Text.Json;
using System.Text.Json.Serialization;

namespace InventorySync.Xero.Models;

public sealed class Contact : IBatchElement
{
    public Guid? ContactID { get; set; }
    public string? ContactNumber { get; set; }
    public string? ContactStatus { get; set; }
    public string? Name { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? EmailAddress { get; set; }
    public string? TaxNumber { get; set; }
    public string? AccountNumber { get; set; }
    public bool? IsSupplier { get; set; }
    public bool? IsCustomer { get; set; }
    public List<Phone>? Phones { get; set; }
    public string? UpdatedDateUTC { get; set; }
    public bool? HasValidationErrors { get; set; }
    public string? StatusAttributeString { get; set; }
    public List<ValidationError>? ValidationErrors { get; set; }
}

public sealed class Phone
{
    /// <summary>DEFAULT, DDI, MOBILE, FAX or OFFICE.</summary>
    public string? PhoneType { get; set; }
    public string? PhoneNumber { get; set; }
    public string? PhoneAreaCode { get; set; }
    public string? PhoneCountryCode { get; set; }
}

public sealed class LineItem
{
    public Guid? LineItemID { get; set; }
    public string? Description { get; set; }
    public decimal? Quantity { get; set; }
    public decimal? UnitAmount { get; set; }
    public string? ItemCode { get; set; }
    public string? AccountCode { get; set; }
    public string? TaxType { get; set; }
    public decimal? TaxAmount { get; set; }
    public decimal? LineAmount { get; set; }
    /// <summary>A percentage off the line (sale invoices only).</summary>
    public decimal? DiscountRate { get; set; }
    /// <summary>An amount off the line (sale invoices only).</summary>
    public decimal? DiscountAmount { get; set; }
}

/// <summary>What Xero's invoices and credit notes share: contact, lines, totals and status.</summary>
public abstract class LineDocument : IBatchElement
{
    public string? Type { get; set; }
    public string? Reference { get; set; }
    public Contact? Contact { get; set; }
    public string? Date { get; set; }
    public string? Status { get; set; }
    public string? LineAmountTypes { get; set; }
    public List<LineItem>? LineItems { get; set; }
    public decimal? SubTotal { get; set; }
    public decimal? TotalTax { get; set; }
    public decimal? Total { get; set; }
    public string? CurrencyCode { get; set; }
    public bool? HasAttachments { get; set; }
    public string? UpdatedDateUTC { get; set; }
    public bool? HasErrors { get; set; }
    public string? StatusAttributeString { get; set; }
    public List<ValidationError>? ValidationErrors { get; set; }
    public List<ValidationError>? Warnings { get; set; }

    /// <summary>What payments and refunds have taken from the total so far.</summary>
    public abstract decimal Allocated();
}

/// <summary>An invoice (ACCREC) or bill (ACCPAY).</summary>
public sealed class Invoice : LineDocument
{
    public Guid? InvoiceID { get; set; }
    public string? InvoiceNumber { get; set; }
    public string? DueDate { get; set; }
    public decimal? AmountDue { get; set; }
    public decimal? AmountPaid { get; set; }
    public decimal? AmountCredited { get; set; }
    public bool? IsDiscounted { get; set; }
    /// <summary>The payments made to it (read only).</summary>
    public List<Payment>? Payments { get; set; }
    /// <summary>The credit notes allocated to it, each with its AppliedAmount (read only).</summary>
    public List<CreditNote>? CreditNotes { get; set; }

    public override decimal Allocated() => (AmountPaid ?? 0) + (AmountCredited ?? 0);
}

public sealed class CreditNote : LineDocument
{
    public Guid? CreditNoteID { get; set; }
    public string? CreditNoteNumber { get; set; }
    public decimal? RemainingCredit { get; set; }
    /// <summary>What of it is allocated to the invoice that lists it (read only).</summary>
    public decimal? AppliedAmount { get; set; }
    /// <summary>The refunds paid against it (read only).</summary>
    public List<Payment>? Payments { get; set; }
    /// <summary>Its allocations to invoices (read only; made with PUT CreditNotes/{id}/Allocations).</summary>
    public List<Allocation>? Allocations { get; set; }

    public override decimal Allocated() => (Total ?? 0) - (RemainingCredit ?? Total ?? 0);
}

/// <summary>A payment to an invoice, or a refund against a credit note.</summary>
public sealed class Payment : IBatchElement
{
    public Guid? PaymentID { get; set; }
    public Invoice? Invoice { get; set; }
    public CreditNote? CreditNote { get; set; }
    public AccountRef? Account { get; set; }
    public string? Date { get; set; }
    public decimal? Amount { get; set; }
    public string? Reference { get; set; }
    public string? Status { get; set; }
    public string? PaymentType { get; set; }
    public string? UpdatedDateUTC { get; set; }
    public bool? HasValidationErrors { get; set; }
    public string? StatusAttributeString { get; set; }
    public List<ValidationError>? ValidationErrors { get; set; }
}

/// <summary>Part of a credit note set against an invoice.</summary>
public sealed class Allocation : IBatchElement
{
    public Guid? AllocationID { get; set; }
    public Invoice? Invoice { get; set; }
    public CreditNote? CreditNote { get; set; }
    public decimal? Amount { get; set; }
    public string? Date { get; set; }
    public bool? IsDeleted { get; set; }
    public string? StatusAttributeString { get; set; }
    public List<ValidationError>? ValidationErrors { get; set; }
}

/// <summary>Receive Money (RECEIVE) or Spend Money (SPEND).</summary>
public sealed class BankTransaction : IBatchElement
{
    public Guid? BankTransactionID { get; set; }
    public string? Type { get; set; }
    public Contact? Contact { get; set; }
    public List<LineItem>? LineItems { get; set; }
    public AccountRef? BankAccount { get; set; }
    public string? Date { get; set; }
    public string? Reference { get; set; }
    public string? Status { get; set; }
    public string? LineAmountTypes { get; set; }
    public string? CurrencyCode { get; set; }
    public decimal? SubTotal { get; set; }
    public decimal? TotalTax { get; set; }
    public decimal? Total { get; set; }
    public bool? HasAttachments { get; set; }
    public string? UpdatedDateUTC { get; set; }
    public string? StatusAttributeString { get; set; }
    public List<ValidationError>? ValidationErrors { get; set; }
}

public sealed class Account
{
    public Guid? AccountID { get; set; }
    public string? Code { get; set; }
    public string? Name { get; set; }
    public string? Type { get; set; }
    public string? Class { get; set; }
    public string? Status { get; set; }
    public string? BankAccountNumber { get; set; }
    public string? TaxType { get; set; }
    public bool? EnablePaymentsToAccount { get; set; }
    public string? UpdatedDateUTC { get; set; }
}

public sealed class Organisation
{
    public Guid? OrganisationID { get; set; }
    public string? Name { get; set; }
    public string? LegalName { get; set; }
    public string? BaseCurrency { get; set; }
    public string? CountryCode { get; set; }
    public string? OrganisationType { get; set; }
    public string? OrganisationStatus { get; set; }
    public string? Timezone { get; set; }
    public string? ShortCode { get; set; }
    public string? Version { get; set; }
    public bool? IsDemoCompany { get; set; }
    public string? SalesTaxBasis { get; set; }
    public int? FinancialYearEndDay { get; set; }
    public int? FinancialYearEndMonth { get; set; }
    public string? CreatedDateUTC { get; set; }
}

public sealed class Attachment
{
    public Guid? AttachmentID { get; set; }
    public string? FileName { get; set; }
    public string? Url { get; set; }
    public string? MimeType { get; set; }
    public int? ContentLength { get; set; }
    public bool? IncludeOnline { get; set; }
}

/// <summary>Xero wraps every list in an object named after it ({"Invoices": [...]}), with "pagination" on paged lists.</summary>
public static class Envelope
{
    public static (List<T> Items, Pagination? Pagination) Read<T>(System.Text.Json.JsonElement root, string name) =>
        (root.TryGetProperty(name, out var items) ? items.Deserialize<List<T>>(XeroJson.Options) ?? [] : [],
         root.TryGetProperty("pagination", out var p) ? p.Deserialize<Pagination>(XeroJson.Options) : null);
}
