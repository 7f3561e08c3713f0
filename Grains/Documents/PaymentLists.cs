using InventorySync.Contracts;
using InventorySync.Grains.Common;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Documents;

/// <summary>
/// The payments list, and the changes feed through which the inventory side takes the payments pulled from Xero
/// (S5.3): ordered by their place in the feed, which a deletion in Xero moves to the end, so a reader that keeps the
/// last cursor sees every import and every deletion once, in order.
/// </summary>
public sealed class PaymentLists(AppDb db, IDocumentKind<Payment, PaymentRequest, PaymentResponse> kind)
{
    /// <summary>The source asked for, in any case (<c>source=xero</c>); a 400 for anything else.</summary>
    public static PaymentSource? SourceOf(PaymentListQuery q)
    {
        if (q.Source is null) return null;
        if (Enum.TryParse<PaymentSource>(q.Source, ignoreCase: true, out var source)
            && Enum.IsDefined(source)) return source;
        throw RequestValidationException.For("source", "must be xero (the changes feed) or inventory.");
    }

    public async Task<Paged<PaymentResponse>> ListAsync(Guid tenantId, PaymentListQuery q, CancellationToken ct)
    {
        var v = new Validation();
        v.Check(q.After is null, "after", "is the changes feed's cursor: use it with source=xero.");
        v.ThrowIfInvalid();
        var payments = kind.Query(db).Where(p => p.TenantId == tenantId);
        if (SourceOf(q) is PaymentSource.Inventory) payments = payments.Where(p => !p.FromXero);
        return await payments.OrderBy(d => d.Id).ToPagedAsync(new PageRequest(q.Page, q.PageSize), kind.ToResponse, ct);
    }

    public async Task<PaymentFeed> FeedAsync(Guid tenantId, PaymentListQuery q, CancellationToken ct)
    {
        var v = new Validation();
        v.Check(q.Page is null, "page", "the changes feed pages by cursor: pass the last answer's cursor as after.");
        v.Check(q.After is null or >= 0, "after", "must be 0 or more.");
        v.ThrowIfInvalid();
        var (_, size) = new PageRequest(1, q.PageSize).Checked();
        var after = q.After ?? 0;
        var page = await db.Payments.AsNoTracking()
            .Where(p => p.TenantId == tenantId && p.FeedSequence > after)
            .OrderBy(p => p.FeedSequence).Take(size + 1).ToListAsync(ct);
        var items = page.Take(size).ToList();
        return new PaymentFeed(items.Select(kind.ToResponse).ToList(), items.LastOrDefault()?.FeedSequence ?? after,
            page.Count > size);
    }
}
