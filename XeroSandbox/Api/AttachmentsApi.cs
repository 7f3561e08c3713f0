using InventorySync.Xero.Client;
using InventorySync.Xero.Models;
using InventorySync.XeroSandbox.State;
using Microsoft.AspNetCore.StaticFiles;

namespace InventorySync.XeroSandbox.Api;

/// <summary>
/// Attachments on invoices, credit notes and bank transactions: raw file bodies, at most 10 per document and 10 MB
/// each, their MIME type taken from the file name as Xero does (not from the request's Content-Type).
/// </summary>
public static class AttachmentsApi
{
    private static readonly FileExtensionContentTypeProvider MimeTypes = new();


    public static void MapAttachmentsApi(this RouteGroupBuilder api)
    {
        foreach (var kind in new[] { "Invoices", "CreditNotes", "BankTransactions" })
        {
            api.MapGet($"/{kind}/{{id:guid}}/Attachments", (Guid id, HttpContext h, SandboxState s) =>
            {
                var org = AccountingApi.OrgOf(h);
                lock (org.DocumentsGate)
                {
                    if (!Exists(org, kind, id)) return Errors.NotFound($"{kind[..^1]} {id}");
                    return Answers.List("Attachments", org.Attachments.GetValueOrDefault(id,
                        []).Select(a => Describe(h, kind, id, a)), s.Now);
                }
            });
            api.MapGet($"/{kind}/{{id:guid}}/Attachments/{{file}}", (Guid id, string file, HttpContext h,
                SandboxState s) =>
            {
                var org = AccountingApi.OrgOf(h);
                lock (org.DocumentsGate)
                {
                    var found = org.Attachments.GetValueOrDefault(id, [])
                        .FirstOrDefault(a => a.FileName == file || a.Id.ToString() == file);
                    return found is null ? Errors.NotFound($"Attachment {file}") : Results.Bytes(found.Content,
                        found.MimeType);
                }
            });
            api.MapPut($"/{kind}/{{id:guid}}/Attachments/{{file}}", (Guid id, string file, HttpContext h,
                SandboxState s) =>
                Query.RefuseOthers(h, ["IncludeOnline"]) is { } refused
                    ? Task.FromResult(refused)
                    : UploadAsync(h, s, kind, id, file, replace: false));
            api.MapPost($"/{kind}/{{id:guid}}/Attachments/{{file}}", (Guid id, string file, HttpContext h,
                SandboxState s) =>
                Query.RefuseOthers(h, []) is { } refused
                    ? Task.FromResult(refused)
                    : UploadAsync(h, s, kind, id, file, replace: true));
        }
    }

    private static async Task<IResult> UploadAsync(HttpContext h, SandboxState s, string kind, Guid id, string file,
        bool replace)
    {
        using var buffer = new MemoryStream();
        await h.Request.Body.CopyToAsync(buffer);
        if (!XeroAttachmentRules.Takes(file))
            return Errors.Validation($"Files of type .{XeroAttachmentRules.TypeOf(file)} cannot be attached.");
        if (buffer.Length > XeroAttachmentRules.MaxBytes)
            return Errors.Validation(
                $"The file is {buffer.Length} bytes; attachments may be at most {XeroAttachmentRules.MaxBytes} bytes.");
        if (buffer.Length == 0) return Errors.Validation("The attachment is empty.");
        var mime = MimeTypes.TryGetContentType(file, out var byName) ? byName : "application/octet-stream";
        var online = string.Equals(h.Request.Query["IncludeOnline"], "true", StringComparison.OrdinalIgnoreCase);
        var org = AccountingApi.OrgOf(h);
        lock (org.DocumentsGate)
        {
            if (!Exists(org, kind, id)) return Errors.NotFound($"{kind[..^1]} {id}");
            var list = org.Attachments.TryGetValue(id, out var existing) ? existing : org.Attachments[id] = [];
            var same = list.FindIndex(a => a.FileName == file);
            if (replace && same >= 0) list.RemoveAt(same);
            if (list.Count >= XeroAttachmentRules.MaxPerDocument)
                return Errors.Validation(
                    $"A document can have at most {XeroAttachmentRules.MaxPerDocument} attachments.");
            var stored = new StoredAttachment(Guid.NewGuid(), file, mime, buffer.ToArray(), online);
            list.Add(stored);
            org.UpdatedAt[id] = s.Now;
            return Answers.List("Attachments", [Describe(h, kind, id, stored)], s.Now);
        }
    }

    private static bool Exists(Org org, string kind, Guid id) => kind switch
    {
        "Invoices" => org.Invoices.ContainsKey(id),
        "CreditNotes" => org.CreditNotes.ContainsKey(id),
        _ => org.BankTransactions.ContainsKey(id),
    };

    private static Attachment Describe(HttpContext h, string kind, Guid id, StoredAttachment a) => new()
    {
        AttachmentID = a.Id, FileName = a.FileName, MimeType = a.MimeType, ContentLength = a.Content.Length,
        IncludeOnline = a.IncludeOnline,
        Url = $"{h.Request.Scheme}://{h.Request.Host}{AccountingApi.Base}/{kind}/{id}/Attachments/{Uri.EscapeDataString(a.FileName)}",
    };
}
