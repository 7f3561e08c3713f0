using InventorySync.Contracts;
using InventorySync.Grains.Common;
using InventorySync.Grains.Documents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace InventorySync.Api.Endpoints;

/// <summary>Sales with their invoices and purchases with their bills, and the files attached to either (S2.1, S4).</summary>
public static class OrdersApi
{
    public static RouteGroupBuilder MapOrdersApi(this RouteGroupBuilder tenant)
    {
        tenant.MapOrders("/sales", OrderKind.Sale, "invoices", "Sales");
        tenant.MapOrders("/purchases", OrderKind.Purchase, "bills", "Purchases");
        tenant.MapGet("/invoices/{invoiceId:guid}", (Guid tenantId, Guid invoiceId, Orders s, CancellationToken ct) => s.GetInvoiceAsync(tenantId, invoiceId, ct))
            .WithTags("Sales", "Purchases");
        return tenant;
    }

    private static void MapOrders(this RouteGroupBuilder tenant, string path, OrderKind kind, string invoices, string tag)
    {
        var orders = tenant.MapGroup(path).WithTags(tag);
        orders.MapPost("/", async Task<Created<OrderResponse>> (Guid tenantId, OrderRequest body, Orders s, HttpRequest req, CancellationToken ct) =>
            OperatorApi.Created(req, await s.CreateAsync(tenantId, kind, body, ct)));
        orders.MapPost("/batch", async Task<Created<BatchResponse<OrderResponse>>> (Guid tenantId, BatchRequest<OrderRequest> body, Orders s, CancellationToken ct) =>
            TypedResults.Created((string?)null, await s.CreateManyAsync(tenantId, kind, body, ct)));
        orders.MapGet("/", (Guid tenantId, [AsParameters] PageRequest page, Orders s, CancellationToken ct) => s.ListAsync(tenantId, kind, page, ct));
        orders.MapGet("/{orderId:guid}", (Guid tenantId, Guid orderId, Orders s, CancellationToken ct) => s.GetAsync(tenantId, kind, orderId, ct));
        orders.MapPut("/{orderId:guid}", (Guid tenantId, Guid orderId, OrderRequest body, Orders s, CancellationToken ct) =>
            s.UpdateAsync(tenantId, kind, orderId, body, ct));

        var one = orders.MapGroup($"/{{orderId:guid}}/{invoices}");
        one.MapPost("/", async Task<Created<InvoiceResponse>> (Guid tenantId, Guid orderId, InvoiceRequest body, Orders s, HttpRequest req, CancellationToken ct) =>
            OperatorApi.Created(req, await s.AddInvoiceAsync(tenantId, kind, orderId, body, ct)));
        one.MapGet("/{invoiceId:guid}", (Guid tenantId, Guid orderId, Guid invoiceId, Orders s, CancellationToken ct) =>
            s.GetInvoiceAsync(tenantId, kind, orderId, invoiceId, ct));
        one.MapPut("/{invoiceId:guid}", (Guid tenantId, Guid orderId, Guid invoiceId, InvoiceRequest body, Orders s, CancellationToken ct) =>
            s.UpdateInvoiceAsync(tenantId, kind, orderId, invoiceId, body, ct));
        one.MapPost("/{invoiceId:guid}/authorise", (Guid tenantId, Guid orderId, Guid invoiceId, Orders s, CancellationToken ct) =>
            s.AuthoriseAsync(tenantId, kind, orderId, invoiceId, ct));
        one.MapPost("/{invoiceId:guid}/void", (Guid tenantId, Guid orderId, Guid invoiceId, Orders s, CancellationToken ct) =>
            s.VoidAsync(tenantId, kind, orderId, invoiceId, ct));

        var files = orders.MapGroup("/{orderId:guid}/attachments").WithTags("Attachments");
        files.MapPost("/", async Task<Created<AttachmentResponse>> (Guid tenantId, Guid orderId, HttpRequest req, Attachments s, CancellationToken ct) =>
        {
            var file = await ReadFileAsync(req, s.MaxBytes, ct);
            await using var content = file.OpenReadStream();
            return OperatorApi.Created(req, await s.UploadAsync(tenantId, kind, orderId, file.FileName, file.ContentType, content, ct));
        }).DisableAntiforgery().Accepts<IFormFile>("multipart/form-data");
        files.MapGet("/", (Guid tenantId, Guid orderId, Attachments s, CancellationToken ct) => s.ListAsync(tenantId, kind, orderId, ct));
        files.MapGet("/{attachmentId:guid}/content", async Task<FileContentHttpResult> (Guid tenantId, Guid orderId, Guid attachmentId, Attachments s, CancellationToken ct) =>
        {
            var file = await s.DownloadAsync(tenantId, kind, orderId, attachmentId, ct);
            return TypedResults.File(file.Content, file.ContentType, file.FileName);
        });
    }

    /// <summary>Reads the one multipart part named "file"; too large a body is refused before it is buffered.</summary>
    private static async Task<IFormFile> ReadFileAsync(HttpRequest req, long maxBytes, CancellationToken ct)
    {
        // Multipart framing adds a little to the file itself.
        var limit = maxBytes + 64 * 1024;
        if (req.ContentLength > limit)
            throw new PayloadTooLargeException($"The upload is {req.ContentLength} bytes; files may be at most {maxBytes} bytes.");
        if (!req.HasFormContentType)
            throw RequestValidationException.For("file", "send the file as multipart/form-data in a part named 'file'.");
        IFormCollection form;
        try
        {
            form = await req.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = limit }, ct);
        }
        catch (InvalidDataException e)
        {
            throw new PayloadTooLargeException($"The upload could not be read within the {maxBytes}-byte limit: {e.Message}");
        }
        return form.Files.GetFile("file") ?? throw RequestValidationException.For("file", "no part named 'file' was sent.");
    }
}
