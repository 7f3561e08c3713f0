using System.Linq.Expressions;
using InventorySync.Contracts;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using InventorySync.Xero;
using InventorySync.Xero.Client;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Documents;

/// <summary>
/// Exports one attachment to the invoices (or bills) of its order that Xero holds authorised (S4): e-mails, types Xero
/// does not take and files over its limits are skipped with the reason before any call; each export is counted before
/// it leaves, and one that may have reached Xero is looked up there by file name instead of being sent twice. Every
/// outcome is an <see cref="AttachmentExport"/> row and a sync transaction about the invoice.
/// </summary>
public sealed class AttachmentExports(AppDb db, XeroApi api, TimeProvider clock)
{
    private static readonly string[] Emails = ["eml", "msg"];

    /// <summary>An invoice Xero holds authorised: what attachments go to.</summary>
    public static readonly Expression<Func<Invoice, bool>> InXero = i =>
        i.Status == DocumentStatus.Authorised && i.Sync.XeroId != null && i.Sync.Status == SyncStatus.Synced;

    /// <summary>A tenant's attachments owed to at least one invoice (a failed export only to a manual run).</summary>
    public static IQueryable<Guid> Waiting(AppDb db, Guid tenantId, bool retryFailed) =>
        from a in db.Attachments
        where a.TenantId == tenantId
        where db.Invoices.Where(InXero).Any(i => i.TenantId == tenantId && i.OrderId == a.OrderId
            && !db.AttachmentExports.Any(e => e.AttachmentId == a.Id && e.InvoiceId == i.Id
                && (e.Status == SyncStatus.Synced || e.Status == SyncStatus.Skipped
                    || (!retryFailed && e.Status == SyncStatus.Failed))))
        orderby a.Id
        select a.Id;

    public async Task ExportAsync(Guid tenantId, Guid attachmentId, AttachmentExportStart start, CancellationToken ct)
    {
        if (!await db.Settings.AnyAsync(s => s.TenantId == tenantId && s.ExportAttachments, ct)) return;
        var connection = await db.XeroConnections.AsNoTracking().FirstOrDefaultAsync(c => c.TenantId == tenantId, ct);
        if (connection is not { Status: ConnectionStatus.Connected, XeroTenantId: { } xeroTenantId }) return;
        var attachment = await db.Attachments.AsNoTracking()
            .FirstOrDefaultAsync(a => a.TenantId == tenantId && a.Id == attachmentId, ct);
        if (attachment is null) return;
        var invoices = await db.Invoices.AsNoTracking().Where(InXero)
            .Where(i => i.TenantId == tenantId && i.OrderId == attachment.OrderId).OrderBy(i => i.Id).ToListAsync(ct);
        var exports = await db.AttachmentExports.Where(e => e.AttachmentId == attachmentId)
            .ToDictionaryAsync(e => e.InvoiceId, ct);
        var xero = api.For(tenantId, xeroTenantId);
        byte[]? content = null;
        foreach (var invoice in invoices)
        {
            var export = exports.GetValueOrDefault(invoice.Id);
            if (export?.Status is SyncStatus.Synced or SyncStatus.Skipped) continue;
            if (export?.Status == SyncStatus.Failed && !start.RetryFailed) continue;
            if (export is null)
            {
                export = new AttachmentExport
                    { AttachmentId = attachmentId, InvoiceId = invoice.Id, TenantId = tenantId };
                db.AttachmentExports.Add(export);
            }
            var label =
                $"{attachment.FileName} on {invoice.InvoiceNumber ?? invoice.Reference ?? invoice.Id.ToString()}";
            if (await WhyNotAsync(attachment, invoice, ct) is { } reason)
            {
                await RecordAsync(export, start, label, SyncStatus.Skipped, reason, null, ct);
                continue;
            }
            var earlierAttempt = export.Attempts > 0;
            export.Attempts++;
            await db.SaveChangesAsync(ct);
            var invoiceInXero = Guid.Parse(invoice.Sync.XeroId!);
            try
            {
                var found = earlierAttempt
                    ? (await xero.GetAttachmentsAsync("Invoices", invoiceInXero, ct))
                        .FirstOrDefault(a => a.FileName == attachment.FileName)
                    : null;
                content ??= await db.AttachmentContents.Where(c => c.AttachmentId == attachmentId)
                    .Select(c => c.Content).SingleAsync(ct);
                var stored = found ?? await xero.UploadAttachmentAsync("Invoices", invoiceInXero, attachment.FileName,
                    attachment.ContentType, content, $"attachment-{attachmentId:N}-{invoice.Id:N}", ct);
                await RecordAsync(export, start, label, SyncStatus.Synced,
                    found is null ? null : "found in Xero after an earlier attempt", stored.AttachmentID, ct);
            }
            catch (XeroException e) when (e is XeroValidationException or XeroNotFoundException)
            {
                await RecordAsync(export, start, label, SyncStatus.Failed, e.Message, null, ct);
            }
        }
    }

    /// <summary>Why Xero would not take the file on this invoice, or null.</summary>
    private async Task<string?> WhyNotAsync(Attachment attachment, Invoice invoice, CancellationToken ct)
    {
        var type = XeroAttachmentRules.TypeOf(attachment.FileName);
        if (Emails.Contains(type)) return $"e-mails (.{type}) are not exported to Xero.";
        if (!XeroAttachmentRules.Takes(attachment.FileName))
            return $"Xero does not take files of type {(type.Length == 0 ? "(none)" : "." + type)}.";
        if (attachment.Size > XeroAttachmentRules.MaxBytes)
            return $"the file is {attachment.Size} bytes; Xero takes at most {XeroAttachmentRules.MaxBytes}.";
        var exported = await db.AttachmentExports.CountAsync(
            e => e.InvoiceId == invoice.Id && e.Status == SyncStatus.Synced, ct);
        return exported >= XeroAttachmentRules.MaxPerDocument
            ? $"the invoice has {exported} attachments in Xero, which takes at most "
              + $"{XeroAttachmentRules.MaxPerDocument}."
            : null;
    }

    private async Task RecordAsync(AttachmentExport export, AttachmentExportStart start, string label,
        SyncStatus status, string? message, Guid? xeroId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        (export.Status, export.LastError) = (status, status == SyncStatus.Synced ? null : message);
        if (status == SyncStatus.Synced) (export.XeroAttachmentId, export.ExportedAt) = (xeroId?.ToString(), now);
        db.SyncTransactions.Add(new SyncTransaction
        {
            RunId = start.RunId, TenantId = export.TenantId, Entity = SyncEntity.Attachment,
            DocumentId = export.InvoiceId, DocumentLabel = label, Action = SyncAction.Export, Status = status,
            Message = message, XeroId = export.XeroAttachmentId, At = now,
        });
        await db.SaveChangesAsync(ct);
    }
}
