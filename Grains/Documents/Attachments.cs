using System.Security.Cryptography;
using InventorySync.Contracts;
using InventorySync.Grains.Common;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InventorySync.Grains.Documents;

public sealed class AttachmentOptions
{
    public const string Section = "Attachments";

    /// <summary>The largest file accepted. Xero takes 10 MB: a larger one is kept but not exported.</summary>
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;
}

/// <summary>
/// Files attached to a sale or a purchase, kept in the database with their content (S4). One added to an order whose
/// invoice Xero already holds is handed to the tenant's coordinator to export at once (S4.2).
/// </summary>
public sealed partial class Attachments(
    AppDb db, IGrainFactory grains, TimeProvider clock, IOptions<AttachmentOptions> options, ILogger<Attachments> log)
{
    public sealed record Download(string FileName, string ContentType, byte[] Content);

    public long MaxBytes => options.Value.MaxBytes;

    public async Task<AttachmentResponse> UploadAsync(Guid tenantId, OrderKind kind, Guid orderId, string? fileName, string? contentType,
        Stream content, CancellationToken ct)
    {
        await EnsureOrderAsync(tenantId, kind, orderId, ct);
        var v = new Validation();
        var name = Path.GetFileName(v.Text("file", fileName, 255));
        v.Check(name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0, "file", "the file name has characters a file name cannot have.");
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, ct);
        v.Check(buffer.Length > 0, "file", "is empty.");
        v.Check(buffer.Length <= MaxBytes, "file", $"is {buffer.Length} bytes; at most {MaxBytes} are allowed.");
        v.ThrowIfInvalid();

        var bytes = buffer.ToArray();
        var attachment = new Attachment
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            OrderId = orderId,
            FileName = name,
            ContentType = string.IsNullOrWhiteSpace(contentType) ? "application/octet-stream" : contentType,
            Size = bytes.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Attachments.Add(attachment);
        db.AttachmentContents.Add(new AttachmentContent { AttachmentId = attachment.Id, Content = bytes });
        await db.SaveChangesAsync(ct);
        await ExportNowAsync(tenantId, orderId, attachment.Id, ct);
        return ToResponse(attachment);
    }

    private async Task ExportNowAsync(Guid tenantId, Guid orderId, Guid attachmentId, CancellationToken ct)
    {
        if (!await db.Settings.AnyAsync(s => s.TenantId == tenantId && s.ExportAttachments, ct)
            || !await db.Invoices.Where(AttachmentExports.InXero)
                .AnyAsync(i => i.TenantId == tenantId && i.OrderId == orderId, ct))
            return;
        try
        {
            await grains.GetGrain<ISyncCoordinatorGrain>(tenantId).ExportAttachmentAsync(attachmentId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The attachment is stored: the next run exports it.
            LogNotHandedOver(e, attachmentId);
        }
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning,
        Message = "Attachment {AttachmentId} could not be handed over for export now; the next run exports it")]
    private partial void LogNotHandedOver(Exception exception, Guid attachmentId);

    public async Task<IReadOnlyList<AttachmentResponse>> ListAsync(Guid tenantId, OrderKind kind, Guid orderId, CancellationToken ct)
    {
        await EnsureOrderAsync(tenantId, kind, orderId, ct);
        var list = await db.Attachments.Where(a => a.TenantId == tenantId && a.OrderId == orderId).OrderBy(a => a.Id).ToListAsync(ct);
        return list.Select(ToResponse).ToList();
    }

    public async Task<Download> DownloadAsync(Guid tenantId, OrderKind kind, Guid orderId, Guid attachmentId, CancellationToken ct)
    {
        await EnsureOrderAsync(tenantId, kind, orderId, ct);
        var found = await db.Attachments
            .Where(a => a.TenantId == tenantId && a.OrderId == orderId && a.Id == attachmentId)
            .Join(db.AttachmentContents, a => a.Id, c => c.AttachmentId, (a, c) => new { a.FileName, a.ContentType, c.Content })
            .FirstOrDefaultAsync(ct) ?? throw new NotFoundException($"The attachment {attachmentId}");
        return new Download(found.FileName, found.ContentType, found.Content);
    }

    private async Task EnsureOrderAsync(Guid tenantId, OrderKind kind, Guid orderId, CancellationToken ct)
    {
        if (!await db.Orders.AnyAsync(o => o.TenantId == tenantId && o.Kind == kind && o.Id == orderId, ct))
            throw new NotFoundException($"The {kind.ToString().ToLowerInvariant()} {orderId}");
    }

    private static AttachmentResponse ToResponse(Attachment a) => new(a.Id, a.OrderId, a.FileName, a.ContentType, a.Size, a.CreatedAt);
}
