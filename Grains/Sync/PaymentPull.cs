using InventorySync.Contracts;
using InventorySync.Grains.Activity;
using InventorySync.Grains.Connections;
using InventorySync.Grains.Documents;
using InventorySync.Grains.Webhooks;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using InventorySync.Xero;
using InventorySync.Xero.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using X = InventorySync.Xero.Models;

namespace InventorySync.Grains.Sync;

/// <summary>
/// Payments made in Xero come back (S5.3). Xero has no payment webhooks, so the tenant's coordinator asks for the
/// payments changed since its cursor (If-Modified-Since). A payment on an invoice or credit note we synced becomes a
/// payment of ours with Xero as its source, its document's amount due lowered, and a place in the changes feed; a
/// payment Xero deleted comes again in the feed, deleted. Payments we pushed, payments on documents we do not know
/// and payments identical to one we hold (same document, amount and day) are not imported (S5.5): when ours has not
/// reached Xero yet, it is linked to the one entered there instead of being sent.
/// </summary>
public sealed partial class PaymentPull(
    AppDb db, XeroApi api, XeroTokenStore tokens, DocumentGrains grains, PaymentWebhooks webhooks, ActivityLog activity,
    TimeProvider clock, ILogger<PaymentPull> log)
{
    /// <summary>
    /// Each pull asks again for this long before its cursor: Xero's clock is not ours, and a payment may commit in
    /// Xero just after a later one was read. What it has seen already it skips.
    /// </summary>
    public static readonly TimeSpan SafetyMargin = TimeSpan.FromMinutes(5);

    public sealed record Pulled(DateTime? Cursor, IReadOnlyList<Payment> Changed);

    /// <summary>Whether the tenant pulls: connected to Xero, and its setting is Pull or Both.</summary>
    public async Task<bool> PullsAsync(Guid tenantId, CancellationToken ct) =>
        await db.Settings.AnyAsync(s => s.TenantId == tenantId && s.PaymentDirection != PaymentDirection.Push, ct)
        && await db.XeroConnections.AnyAsync(c => c.TenantId == tenantId && c.Status == ConnectionStatus.Connected, ct);

    /// <summary>
    /// Pulls what changed in Xero since <paramref name="cursor"/> (Xero's own time of the last change seen); answers
    /// the next cursor and the payments imported or deleted, already committed.
    /// </summary>
    /// <param name="runId">The run this pull opens, if any: its transactions hold the payments linked.</param>
    public async Task<Pulled> PullAsync(Guid tenantId, Guid? runId, DateTime? cursor, CancellationToken ct)
    {
        // The setting, the connection and (before the first pull) when the first run began, in one query.
        var start = await (
            from s in db.Settings.AsNoTracking()
            where s.TenantId == tenantId
            join x in db.XeroConnections.AsNoTracking() on s.TenantId equals x.TenantId into connections
            from x in connections.DefaultIfEmpty()
            select new
            {
                s.PaymentDirection, Connection = x,
                FirstRunStarted = cursor == null
                    ? db.Runs.Where(r => r.TenantId == tenantId && r.StartedAt != null).Min(r => r.StartedAt)
                    : null,
            }).SingleAsync(ct);
        if (start.PaymentDirection == PaymentDirection.Push || start.Connection is not
                { Status: ConnectionStatus.Connected, XeroTenantId: { } xeroTenantId } connection)
            return new Pulled(cursor, []);
        // Before the first pull, nothing of ours can have been paid in Xero before our first run began.
        var since = cursor ?? start.FirstRunStarted;
        if (since is null) return new Pulled(null, []);
        var xero = api.For(tenantId, xeroTenantId, tokens.TokensOf(connection));
        var changed = await xero.GetAllAsync<X.Payment>("Payments",
            new XeroQuery(ModifiedSince: since.Value - SafetyMargin), parallel: 1, ct);
        var stamped = changed.Select(p => (Payment: p, At: X.XeroJson.ParseTimestamp(p.UpdatedDateUTC)))
            .OrderBy(p => p.At).ToList();
        var next = stamped.Select(p => p.At).Append(since).Max();
        var (imported, linked) = await ApplyAsync(tenantId, stamped.Select(p => p.Payment).ToList(), ct);
        await Task.WhenAll(linked.Select(l => grains.For(l.Ours).RecordAsync(new SyncOutcome(runId,
            l.Ours.Kind == PaymentKind.Payment ? SyncEntity.Payment : SyncEntity.Refund, PaymentLabel.Of(l.Ours),
            SyncAction.Link, SyncStatus.Synced, "linked to the identical payment entered in Xero", l.Ours.Version,
            l.XeroId, DocumentGrains.Seen(l.Ours)))));
        return new Pulled(next, imported);
    }

    private async Task<(List<Payment> Changed, List<(Payment Ours, string XeroId)> Linked)> ApplyAsync(
        Guid tenantId, List<X.Payment> changed, CancellationToken ct)
    {
        var linked = new List<(Payment Ours, string XeroId)>();
        if (changed.Count == 0) return ([], linked);
        var xeroIds = changed.Select(p => p.PaymentID.ToString()).ToList();
        var known = await db.Payments.Where(p => p.TenantId == tenantId && xeroIds.Contains(p.Sync.XeroId!))
            .ToDictionaryAsync(p => p.Sync.XeroId!, ct);
        var documentIds = changed.Select(p => (p.Invoice?.InvoiceID ?? p.CreditNote?.CreditNoteID)?.ToString())
            .OfType<string>().Distinct().ToList();
        var invoices = await db.Invoices.Where(i => i.TenantId == tenantId && documentIds.Contains(i.Sync.XeroId!))
            .ToDictionaryAsync(i => i.Sync.XeroId!, i => (LineItemDocument)i, ct);
        var notes = await db.CreditNotes.Where(n => n.TenantId == tenantId && documentIds.Contains(n.Sync.XeroId!))
            .ToDictionaryAsync(n => n.Sync.XeroId!, n => (LineItemDocument)n, ct);
        var ourDocumentIds = invoices.Values.Concat(notes.Values).Select(d => (Guid?)d.Id).ToList();
        var held = await db.Payments.Where(p => p.TenantId == tenantId && p.DeletedInXeroAt == null
                && (ourDocumentIds.Contains(p.InvoiceId) || ourDocumentIds.Contains(p.CreditNoteId)))
            .ToListAsync(ct);
        var sequence = await db.Payments.Where(p => p.TenantId == tenantId).MaxAsync(p => p.FeedSequence, ct) ?? 0;
        var now = clock.GetUtcNow().UtcDateTime;
        var result = new List<Payment>();
        foreach (var x in changed)
        {
            var id = x.PaymentID.ToString()!;
            if (known.TryGetValue(id, out var ours))
            {
                if (x.Status == "DELETED" && ours is { FromXero: true, DeletedInXeroAt: null })
                {
                    ours.DeletedInXeroAt = now;
                    ours.FeedSequence = ++sequence;
                    var target = await TargetOfAsync(ours);
                    target.AmountPaid = Money.Round(target.AmountPaid - ours.Amount);
                    result.Add(ours);
                }
                continue;
            }
            if (x.Status == "DELETED") continue;
            var document = x.Invoice?.InvoiceID is { } invoiceId ? invoices.GetValueOrDefault(invoiceId.ToString())
                : x.CreditNote?.CreditNoteID is { } noteId ? notes.GetValueOrDefault(noteId.ToString())
                : null;
            if (document is null)
            {
                LogNotOurs(tenantId, x.PaymentID, x.Invoice?.InvoiceNumber ?? x.CreditNote?.CreditNoteNumber);
                continue;
            }
            var payment = new Payment
            {
                Id = Guid.CreateVersion7(), TenantId = tenantId, FromXero = true,
                Kind = document is Invoice ? PaymentKind.Payment : PaymentKind.Refund,
                InvoiceId = document is Invoice ? document.Id : null,
                CreditNoteId = document is CreditNote ? document.Id : null,
                Amount = x.Amount ?? 0m, Date = X.XeroJson.ParseDate(x.Date) ?? DateOnly.FromDateTime(now),
                Reference = x.Reference, AccountCode = x.Account?.Code,
            };
            if (held.FirstOrDefault(h => h.DocumentId == document.Id && h.Amount == payment.Amount
                                         && h.Date == payment.Date) is { } same)
            {
                if (same.Sync.XeroId is null && linked.All(l => l.Ours != same)) linked.Add((same, id));
                else LogDuplicate(tenantId, x.PaymentID, same.Id);
                continue;
            }
            payment.MarkChanged(now);
            (payment.Sync.Status, payment.Sync.XeroId, payment.Sync.SyncedVersion) = (SyncStatus.Synced, id, 1);
            payment.FeedSequence = ++sequence;
            document.AmountPaid = Money.Round(document.AmountPaid + payment.Amount);
            db.Payments.Add(payment);
            held.Add(payment);
            result.Add(payment);
        }
        if (result.Count == 0) return (result, linked);
        var deleted = result.Count(p => p.DeletedInXeroAt is not null);
        activity.Add(tenantId, ActivityType.PaymentsPulled, null,
            $"Pulled {result.Count - deleted} payments from Xero" + (deleted > 0 ? $", {deleted} deleted there" : ""),
            new { Imported = result.Count - deleted, Deleted = deleted });
        // The payments and their webhook events commit together: each event goes out at least once.
        await webhooks.EnqueueAsync(tenantId, result, ct);
        await using var tx = await db.BeginWriteAsync(ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (result, linked);

        async Task<LineItemDocument> TargetOfAsync(Payment p) => p.InvoiceId is { } i
            ? await db.Invoices.SingleAsync(d => d.Id == i, ct)
            : await db.CreditNotes.SingleAsync(d => d.Id == p.CreditNoteId, ct);
    }

    [LoggerMessage(EventId = 6301, Level = LogLevel.Information,
        Message = "Tenant {TenantId}: Xero payment {PaymentId} on {Document} is not on a document we synced; ignored")]
    private partial void LogNotOurs(Guid tenantId, Guid? paymentId, string? document);

    [LoggerMessage(EventId = 6302, Level = LogLevel.Information,
        Message = "Tenant {TenantId}: Xero payment {PaymentId} is identical to our payment {OurId}; not imported "
                  + "again")]
    private partial void LogDuplicate(Guid tenantId, Guid? paymentId, Guid ourId);
}
