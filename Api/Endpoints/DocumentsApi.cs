using InventorySync.Contracts;
using InventorySync.Grains.Documents;
using InventorySync.Storage.Entities;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace InventorySync.Api.Endpoints;

/// <summary>The inventory side's documents (S2): contacts, credit notes, payments, refunds, customer credits, supplier deposits.</summary>
public static class DocumentsApi
{
    public static RouteGroupBuilder MapDocumentsApi(this RouteGroupBuilder tenant)
    {
        tenant.MapDocuments<Contact, ContactRequest, ContactResponse>("/contacts", "Contacts");
        var creditNotes = tenant.MapDocuments<CreditNote, CreditNoteRequest, CreditNoteResponse>("/credit-notes", "Credit notes");
        creditNotes.MapPost("/{id:guid}/authorise", (Guid tenantId, Guid id, DocumentService<CreditNote, CreditNoteRequest, CreditNoteResponse> s, CancellationToken ct) =>
            s.ChangeAsync(tenantId, id, Lifecycle.Authorise, ct));
        creditNotes.MapPost("/{id:guid}/void", (Guid tenantId, Guid id, DocumentService<CreditNote, CreditNoteRequest, CreditNoteResponse> s, CancellationToken ct) =>
            s.ChangeAsync(tenantId, id, Lifecycle.Void, ct));
        tenant.MapDocuments<Payment, PaymentRequest, PaymentResponse>("/payments", "Payments", list: false)
            .MapGet("/", ListPaymentsAsync);
        tenant.MapDocuments<Payment, RefundRequest, PaymentResponse>("/refunds", "Refunds");
        tenant.MapDocuments<BankTransaction, CustomerCreditRequest, BankTransactionResponse>("/customer-credits", "Customer credits");
        tenant.MapDocuments<BankTransaction, SupplierDepositRequest, BankTransactionResponse>("/supplier-deposits", "Supplier deposits");
        return tenant;
    }

    /// <summary>The payments recorded here, or (<c>source=xero</c>) the changes feed of those pulled from Xero.
    /// </summary>
    private static async Task<Results<Ok<Paged<PaymentResponse>>, Ok<PaymentFeed>>> ListPaymentsAsync(Guid tenantId,
        [AsParameters] PaymentListQuery query, PaymentLists s, CancellationToken ct) =>
        PaymentLists.SourceOf(query) == PaymentSource.Xero
            ? TypedResults.Ok(await s.FeedAsync(tenantId, query, ct))
            : TypedResults.Ok(await s.ListAsync(tenantId, query, ct));

    private static RouteGroupBuilder MapDocuments<TEntity, TRequest, TResponse>(this RouteGroupBuilder tenant,
        string path, string tag, bool list = true)
        where TEntity : TenantDocument, new()
        where TRequest : class
        where TResponse : IResource
    {
        var group = tenant.MapGroup(path).WithTags(tag);
        group.MapPost("/", async Task<Created<TResponse>> (Guid tenantId, TRequest body, DocumentService<TEntity, TRequest, TResponse> s, HttpRequest req, CancellationToken ct) =>
            OperatorApi.Created(req, await s.CreateAsync(tenantId, body, ct)));
        if (list)
            group.MapGet("/", (Guid tenantId, [AsParameters] PageRequest page,
                DocumentService<TEntity, TRequest, TResponse> s, CancellationToken ct) =>
                s.ListAsync(tenantId, page, ct));
        group.MapGet("/{id:guid}", (Guid tenantId, Guid id, DocumentService<TEntity, TRequest, TResponse> s, CancellationToken ct) =>
            s.GetAsync(tenantId, id, ct));
        group.MapPut("/{id:guid}", (Guid tenantId, Guid id, TRequest body, DocumentService<TEntity, TRequest, TResponse> s, CancellationToken ct) =>
            s.UpdateAsync(tenantId, id, body, ct));
        return group;
    }
}
