namespace InventorySync.Contracts;

/// <summary>Where a document stands with Xero (S3.9).</summary>
public sealed record SyncInfo(
    SyncStatus Status,
    DateTime? PendingSince,
    string? XeroId,
    int? SyncedVersion,
    int Attempts,
    string? LastError,
    Guid? LastRunId);

public sealed record ContactRequest(
    string? Name,
    string? Email,
    bool? IsCustomer,
    bool? IsSupplier,
    string? TaxNumber,
    string? AccountNumber,
    string? Phone);

public sealed record ContactResponse(
    Guid Id, string Name, string? Email, bool IsCustomer, bool IsSupplier, string? TaxNumber,
    string? AccountNumber, string? Phone, int Version, DateTime CreatedAt, DateTime UpdatedAt, SyncInfo Sync) : IResource;

/// <summary>
/// One line of an invoice, bill or credit note. LineAmount, TaxAmount and the document totals are
/// computed; when the caller sends them too they are checked against the computation (S2.4).
/// </summary>
public sealed record LineRequest(
    string? Description,
    decimal? Quantity,
    decimal? UnitAmount,
    string? AccountCode,
    decimal? TaxRate,
    string? ItemCode,
    decimal? LineAmount,
    decimal? TaxAmount);

public sealed record LineResponse(
    int LineNumber, string Description, decimal Quantity, decimal UnitAmount, string? AccountCode,
    decimal TaxRate, string? ItemCode, decimal LineAmount, decimal TaxAmount);

public sealed record InvoiceRequest(
    string? InvoiceNumber,
    string? Reference,
    DateOnly? Date,
    DateOnly? DueDate,
    string? CurrencyCode,
    LineAmountTypes? LineAmountTypes,
    IReadOnlyList<LineRequest>? Lines,
    decimal? SubTotal,
    decimal? TotalTax,
    decimal? Total);

public sealed record InvoiceResponse(
    Guid Id, Guid OrderId, string? InvoiceNumber, string? Reference, DateOnly Date, DateOnly? DueDate,
    string CurrencyCode, LineAmountTypes LineAmountTypes, DocumentStatus Status, IReadOnlyList<LineResponse> Lines,
    decimal SubTotal, decimal TotalTax, decimal Total, decimal AmountPaid, decimal AmountDue,
    int Version, DateTime CreatedAt, DateTime UpdatedAt, SyncInfo Sync) : IResource;

/// <summary>A sale (with its invoices) or a purchase (with its bills).</summary>
public sealed record OrderRequest(Guid? ContactId, string? Reference, IReadOnlyList<InvoiceRequest>? Invoices);

public sealed record OrderResponse(
    Guid Id, Guid ContactId, string? Reference, IReadOnlyList<InvoiceResponse> Invoices, DateTime CreatedAt, DateTime UpdatedAt) : IResource;

public sealed record CreditNoteRequest(
    OrderKind? Kind,
    Guid? ContactId,
    Guid? OrderId,
    string? CreditNoteNumber,
    string? Reference,
    DateOnly? Date,
    string? CurrencyCode,
    LineAmountTypes? LineAmountTypes,
    IReadOnlyList<LineRequest>? Lines,
    decimal? SubTotal,
    decimal? TotalTax,
    decimal? Total);

public sealed record CreditNoteResponse(
    Guid Id, OrderKind Kind, Guid ContactId, Guid? OrderId, string? CreditNoteNumber, string? Reference, DateOnly Date,
    string CurrencyCode, LineAmountTypes LineAmountTypes, DocumentStatus Status, IReadOnlyList<LineResponse> Lines,
    decimal SubTotal, decimal TotalTax, decimal Total, decimal AmountRefunded, decimal RemainingCredit,
    int Version, DateTime CreatedAt, DateTime UpdatedAt, SyncInfo Sync) : IResource;

public sealed record PaymentRequest(Guid? InvoiceId, decimal? Amount, DateOnly? Date, string? Reference, string? AccountCode);

public sealed record RefundRequest(Guid? CreditNoteId, decimal? Amount, DateOnly? Date, string? Reference, string? AccountCode);

/// <param name="FeedSequence">A pulled payment's place in the changes feed (<c>after</c> takes it).</param>
/// <param name="DeletedInXeroAt">When the pull found the payment deleted in Xero.</param>
public sealed record PaymentResponse(
    Guid Id, PaymentKind Kind, Guid DocumentId, decimal Amount, DateOnly Date, string? Reference, string? AccountCode,
    PaymentSource Source, long? FeedSequence, DateTime? DeletedInXeroAt,
    int Version, DateTime CreatedAt, DateTime UpdatedAt, SyncInfo Sync) : IResource;

/// <summary>
/// A page of the payments pulled from Xero, in the order they were pulled (a deletion in Xero comes again, later);
/// the next page is <c>after=Cursor</c>.
/// </summary>
/// <summary>
/// <c>source=xero</c> reads the changes feed (payments and refunds pulled from Xero, <c>after</c> a cursor);
/// <c>source=inventory</c> lists the payments recorded here; without a source, every payment.
/// </summary>
public sealed record PaymentListQuery(string? Source, long? After, int? Page, int? PageSize);

public sealed record PaymentFeed(IReadOnlyList<PaymentResponse> Items, long Cursor, bool More);

public sealed record CustomerCreditRequest(Guid? SaleId, decimal? Amount, DateOnly? Date, string? Reference);

public sealed record SupplierDepositRequest(Guid? PurchaseId, decimal? Amount, DateOnly? Date, string? Reference);

public sealed record BankTransactionResponse(
    Guid Id, BankTransactionKind Kind, Guid OrderId, Guid ContactId, decimal Amount, DateOnly Date, string? Reference,
    int Version, DateTime CreatedAt, DateTime UpdatedAt, SyncInfo Sync) : IResource;

public sealed record AttachmentResponse(Guid Id, Guid OrderId, string FileName, string ContentType, long Size, DateTime CreatedAt) : IResource;
