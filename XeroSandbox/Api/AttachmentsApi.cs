using InventorySync.Xero.Models;
using InventorySync.XeroSandbox.State;

namespace InventorySync.XeroSandbox.Api;

/// <summary>Attachments on invoices, credit notes and bank transactions: raw file bodies, at most 10 per document and 10 MB each.</summary>
public static class AttachmentsApi
{
    public const int MaxPerDocument = 10;
    public const int MaxBytes = 10 * 1024 * 1024;

    public static void MapAttachmentsApi(this RouteGroupBuilder api)
    {
        foreach (var kind in new[] { "Invoices", "CreditNotes", "BankTransactions" })
        {
            api.MapGet($"/{kind}/{{id:guid}}/Attachments", (Guid id, HttpContext h, SandboxState s) =>
            {
                lock (s.Gate)
                {
                    var org = AccountingApi.OrgOf(h);
                    if (!Exists(org, kind, id)) return Errors.NotFound($"{kind[..^1]} {id}");
                    return Results.Json(Envelope.Write("Attachments", org.Attachments.GetValueOrDefault(id, []).Select(a => Describe(h, kind, id, a))), XeroJson.Options);
                }
            });
            api.MapGet($"/{kind}/{{id:guid}}/Attachments/{{file}}", (Guid id, string file, HttpContext h, SandboxState s) =>
            {
                lock (s.Gate)
                {
                    var found = AccountingApi.OrgOf(h).Attachments.GetValueOrDefault(id, [])
                        .FirstOrDefault(a => a.FileName == file || a.Id.ToString() == file);
                    return found is null ? Errors.NotFound($"Attachment {file}") : Results.Bytes(found.Content, found.MimeType);
                }
            });
            api.MapPut($"/{kind}/{{id:guid}}/Attachments/{{file}}", (Guid id, string file, HttpContext h, SandboxState s) => UploadAsync(h, s, kind, id, file, replace: false));
            api.MapPost($"/{kind}/{{id:guid}}/Attachments/{{file}}", (Guid id, string file, HttpContext h, SandboxState s) => UploadAsync(h, s, kind, id, file, replace: true));
        }
    }

    private static async Task<IResult> UploadAsync(HttpContext h, SandboxState s, string kind, Guid id, string file, bool replace)
    {
        using var buffer = new MemoryStream();
        await h.Request.Body.CopyToAsync(buffer);
        if (buffer.Length > MaxBytes) return Errors.Validation($"The file is {buffer.Length} bytes; attachments may be at most {MaxBytes} bytes.");
        if (buffer.Length == 0) return Errors.Validation("The attachment is empty.");
        var mime = h.Request.ContentType ?? "application/octet-stream";
        lock (s.Gate)
        {
            var org = AccountingApi.OrgOf(h);
            if (!Exists(org, kind, id)) return Errors.NotFound($"{kind[..^1]} {id}");
            var list = org.Attachments.TryGetValue(id, out var existing) ? existing : org.Attachments[id] = [];
            var same = list.FindIndex(a => a.FileName == file);
            if (replace && same >= 0) list.RemoveAt(same);
            if (list.Count >= MaxPerDocument) return Errors.Validation($"A document can have at most {MaxPerDocument} attachments.");
            var stored = new StoredAttachment(Guid.NewGuid(), file, mime, buffer.ToArray());
            list.Add(stored);
            org.UpdatedAt[id] = s.Now;
            return Results.Json(Envelope.Write("Attachments", [Describe(h, kind, id, stored)]), XeroJson.Options);
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
        Url = $"{h.Request.Scheme}://{h.Request.Host}{AccountingApi.Base}/{kind}/{id}/Attachments/{Uri.EscapeDataString(a.FileName)}",
    };
}
