using InventorySync.Contracts;

namespace InventorySync.Storage.Entities;

/// <summary>Where a document stands with Xero (S3.9); stored in the document's own row.</summary>
public sealed class SyncState
{
    public SyncStatus Status { get; set; } = SyncStatus.Pending;
    public DateTime? PendingSince { get; set; }
    public string? XeroId { get; set; }
    public int? SyncedVersion { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public Guid? LastRunId { get; set; }
}

/// <summary>A document we sync: versioned, and pending from its last change until a run syncs it (S2.3).</summary>
public abstract class TenantDocument
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public int Version { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public SyncState Sync { get; set; } = new();

    public void MarkChanged(DateTime now)
    {
        if (Version == 0) CreatedAt = now;
        Version++;
        UpdatedAt = now;
        Sync.Status = SyncStatus.Pending;
        Sync.PendingSince = now;
    }
}

public sealed class Contact : TenantDocument
{
    public string Name { get; set; } = "";
    public string? Email { get; set; }
    public bool IsCustomer { get; set; }
    public bool IsSupplier { get; set; }
    public string? TaxNumber { get; set; }
    public string? AccountNumber { get; set; }
    public string? Phone { get; set; }
}

/// <summary>A sale or a purchase. Not synced itself: its invoices (bills) and attachments are.</summary>
public sealed class Order
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public OrderKind Kind { get; set; }
    public Guid ContactId { get; set; }
    public string? Reference { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<Invoice> Invoices { get; set; } = [];
}

public sealed class DocumentLine
{
    public int LineNumber { get; set; }
    public required string Description { get; set; }
    public decimal Quantity { get; set; }
    public decimal UnitAmount { get; set; }
    public string? AccountCode { get; set; }
    public decimal TaxRate { get; set; }
    public string? ItemCode { get; set; }
    public decimal LineAmount { get; set; }
    public decimal TaxAmount { get; set; }
}

/// <summary>What invoices, bills and credit notes share: lines, totals and the draft → authorised → voided lifecycle.</summary>
public abstract class LineItemDocument : TenantDocument
{
    public OrderKind Kind { get; set; }
    public string? Reference { get; set; }
    public DateOnly Date { get; set; }
    public string CurrencyCode { get; set; } = "";
    public LineAmountTypes LineAmountTypes { get; set; }
    public DocumentStatus Status { get; set; }
    public List<DocumentLine> Lines { get; set; } = [];
    public decimal SubTotal { get; set; }
    public decimal TotalTax { get; set; }
    public decimal Total { get; set; }
    /// <summary>Payments applied to an invoice, refunds to a credit note: kept here so amount due needs no sum.</summary>
    public decimal AmountPaid { get; set; } = 0.00m;

    public decimal AmountDue => Total - AmountPaid;
}

/// <summary>A sale invoice (Xero ACCREC) or a purchase bill (ACCPAY).</summary>
public sealed class Invoice : LineItemDocument
{
    public Guid OrderId { get; set; }
    public Order? Order { get; set; }
    public string? InvoiceNumber { get; set; }
    public DateOnly? DueDate { get; set; }
}

/// <summary>A sale credit note (Xero ACCRECCREDIT) or a purchase one (ACCPAYCREDIT).</summary>
public sealed class CreditNote : LineItemDocument
{
    public Guid ContactId { get; set; }
    public Guid? OrderId { get; set; }
    public string? CreditNoteNumber { get; set; }
}

/// <summary>A payment applied to an invoice, or a refund applied to a credit note (S5.2).</summary>
public sealed class Payment : TenantDocument
{
    public PaymentKind Kind { get; set; }
    public Guid? InvoiceId { get; set; }
    public Guid? CreditNoteId { get; set; }
    public decimal Amount { get; set; }
    public DateOnly Date { get; set; }
    public string? Reference { get; set; }
    public string? AccountCode { get; set; }
    /// <summary>Pulled from Xero rather than recorded on the inventory side (S5.3).</summary>
    public bool FromXero { get; set; }
    /// <summary>
    /// A pulled payment's place in the tenant's changes feed: given when it is pulled, and again when Xero deletes
    /// it, so that a reader following the feed sees both.
    /// </summary>
    public long? FeedSequence { get; set; }
    /// <summary>When the pull found that Xero deleted (or voided) this pulled payment.</summary>
    public DateTime? DeletedInXeroAt { get; set; }

    public Guid? DocumentIdOrNull => InvoiceId ?? CreditNoteId;
    public Guid DocumentId => DocumentIdOrNull!.Value;
}

/// <summary>A customer credit (Receive Money) or a supplier deposit (Spend Money) (S5.4).</summary>
public sealed class BankTransaction : TenantDocument
{
    public BankTransactionKind Kind { get; set; }
    public Guid OrderId { get; set; }
    public Guid ContactId { get; set; }
    public decimal Amount { get; set; }
    public DateOnly Date { get; set; }
    public string? Reference { get; set; }
}

public sealed class Attachment
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid OrderId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>The bytes of an attachment, in their own table so that listings never load them.</summary>
public sealed class AttachmentContent
{
    public Guid AttachmentId { get; set; }
    public required byte[] Content { get; set; }
}

/// <summary>One attachment exported to one invoice: an advanced sale's attachment goes to each invoice (S4.3).</summary>
public sealed class AttachmentExport
{
    public Guid AttachmentId { get; set; }
    public Guid InvoiceId { get; set; }
    public Guid TenantId { get; set; }
    public SyncStatus Status { get; set; }
    public string? XeroAttachmentId { get; set; }
    public string? LastError { get; set; }
    public int Attempts { get; set; }
    public DateTime? ExportedAt { get; set; }
}
