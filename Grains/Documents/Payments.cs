using InventorySync.Contracts;
using InventorySync.Grains.Common;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Documents;

/// <summary>Payments apply to invoices and bills, refunds to credit notes (S5.2); both only to authorised documents, never above what is due.</summary>
public abstract class PaymentKindBase<TRequest>(PaymentKind kind, string name, string targetField, string targetName)
    : IDocumentKind<Payment, TRequest, PaymentResponse>
{
    protected sealed record Fields(Guid? TargetId, decimal? Amount, DateOnly? Date, string? Reference, string? AccountCode);

    public string Name => name;

    protected abstract Fields Read(TRequest request);

    protected abstract Task<LineItemDocument?> FindTargetAsync(AppDb db, Guid tenantId, Guid id, CancellationToken ct);

    public IQueryable<Payment> Query(AppDb db) => db.Payments.Where(p => p.Kind == kind);

    public async Task ApplyAsync(AppDb db, Payment p, TRequest request, CancellationToken ct)
    {
        if (p.FromXero)
            throw new ConflictException(
                $"This {name} was pulled from Xero ({p.Sync.XeroId}): change or delete it there.");
        var r = Read(request);
        var v = new Validation();
        v.RequiredId(targetField, r.TargetId);
        var target = r.TargetId is { } id ? await FindTargetAsync(db, p.TenantId, id, ct) : null;
        v.Check(r.TargetId is null || target is not null, targetField, $"no {targetName} {r.TargetId} exists.");
        var amount = v.Amount("amount", r.Amount);
        var date = v.Required("date", r.Date);
        var reference = v.OptionalText("reference", r.Reference, 255);
        var accountCode = v.OptionalText("accountCode", r.AccountCode, 10);
        if (target is not null)
        {
            v.Check(target.Status == DocumentStatus.Authorised, targetField, $"the {targetName} is {target.Status}; only an authorised one can take a {name}.");
            var alreadyCounted = p.DocumentIdOrNull == target.Id ? p.Amount : 0m;
            var due = target.AmountDue + alreadyCounted;
            v.Check(amount <= due, "amount", $"is more than the {Money.Format(due)} due on the {targetName}.");
        }
        v.ThrowIfInvalid();
        await RefuseDuplicateAsync(db, p, target!, amount, date, ct);

        if (p.DocumentIdOrNull is { } previousId && previousId != target!.Id && await FindTargetAsync(db, p.TenantId, previousId, ct) is { } previous)
            previous.AmountPaid = Money.Round(previous.AmountPaid - p.Amount);
        target!.AmountPaid = Money.Round(target.AmountPaid + amount - (p.DocumentIdOrNull == target.Id ? p.Amount : 0m));

        p.Kind = kind;
        p.InvoiceId = kind == PaymentKind.Payment ? target.Id : null;
        p.CreditNoteId = kind == PaymentKind.Refund ? target.Id : null;
        p.Amount = amount;
        p.Date = date;
        p.Reference = reference;
        p.AccountCode = accountCode;
    }

    /// <summary>Two payments of one amount on one document on one day are one payment (S5.5).</summary>
    private async Task RefuseDuplicateAsync(AppDb db, Payment p, LineItemDocument target, decimal amount, DateOnly date,
        CancellationToken ct)
    {
        var same = await db.Payments.Where(x => x.TenantId == p.TenantId && x.Id != p.Id
                && (x.InvoiceId == target.Id || x.CreditNoteId == target.Id) && x.Amount == amount && x.Date == date
                && x.DeletedInXeroAt == null)
            .Select(x => (Guid?)x.Id).FirstOrDefaultAsync(ct);
        if (same is { } first)
            throw new ConflictException($"The {targetName} already has a {name} of {Money.Format(amount)} on "
                + $"{date:yyyy-MM-dd} ({first}); two identical {name}s on one day are one. Change that one instead.");
    }

    public PaymentResponse ToResponse(Payment p) =>
        new(p.Id, p.Kind, p.DocumentId, p.Amount, p.Date, p.Reference, p.AccountCode,
            p.FromXero ? PaymentSource.Xero : PaymentSource.Inventory, p.FeedSequence, p.DeletedInXeroAt, p.Version,
            p.CreatedAt, p.UpdatedAt, p.Sync.ToInfo());
}

public sealed class Payments() : PaymentKindBase<PaymentRequest>(PaymentKind.Payment, "payment", "invoiceId", "invoice")
{
    protected override Fields Read(PaymentRequest r) => new(r.InvoiceId, r.Amount, r.Date, r.Reference, r.AccountCode);

    protected override async Task<LineItemDocument?> FindTargetAsync(AppDb db, Guid tenantId, Guid id, CancellationToken ct) =>
        await db.Invoices.FirstOrDefaultAsync(i => i.TenantId == tenantId && i.Id == id, ct);
}

public sealed class Refunds() : PaymentKindBase<RefundRequest>(PaymentKind.Refund, "refund", "creditNoteId", "credit note")
{
    protected override Fields Read(RefundRequest r) => new(r.CreditNoteId, r.Amount, r.Date, r.Reference, r.AccountCode);

    protected override async Task<LineItemDocument?> FindTargetAsync(AppDb db, Guid tenantId, Guid id, CancellationToken ct) =>
        await db.CreditNotes.FirstOrDefaultAsync(n => n.TenantId == tenantId && n.Id == id, ct);
}
