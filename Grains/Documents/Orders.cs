using InventorySync.Contracts;
using InventorySync.Grains.Common;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Documents;

/// <summary>Sales with their invoices and purchases with their bills: one behaviour, told apart by <see cref="OrderKind"/>.</summary>
public sealed class Orders(AppDb db, TimeProvider clock, DocumentGrains grains, GroupedInserts inserts)
{
    public const int MaxInvoicesPerRequest = 50;
    public const int MaxOrdersPerBatch = 100;

    public static string InvoiceName(OrderKind kind) => kind == OrderKind.Sale ? "invoice" : "bill";

    public async Task<OrderResponse> CreateAsync(Guid tenantId, OrderKind kind, OrderRequest r, CancellationToken ct)
    {
        var v = new Validation();
        var order = await BuildAsync(v, tenantId, kind, r, ct);
        v.ThrowIfInvalid();
        // One sale is a small write: it shares a commit with the sales other requests create at the same moment.
        await inserts.InsertAsync(db, [order], ct);
        return ToResponse(order);
    }

    /// <summary>All or nothing: one bad order refuses the whole batch, its errors named under <c>items[i]</c>.</summary>
    public async Task<BatchResponse<OrderResponse>> CreateManyAsync(Guid tenantId, OrderKind kind, BatchRequest<OrderRequest> r, CancellationToken ct)
    {
        var v = new Validation();
        var items = r.Items ?? [];
        v.Check(items.Count is > 0 and <= MaxOrdersPerBatch, "items", $"between 1 and {MaxOrdersPerBatch} are required.");
        var orders = new List<Order>();
        for (var i = 0; i < items.Count && items.Count <= MaxOrdersPerBatch; i++)
            orders.Add(await BuildAsync(v.Nested($"items[{i}]"), tenantId, kind, items[i], ct));
        CheckRepeatedNumbers(v, "items", orders.SelectMany(o => o.Invoices));
        v.ThrowIfInvalid();
        // A batch is a large transaction already: grouping it with others would only lengthen the writer's turn.
        db.Orders.AddRange(orders);
        await db.SaveChangesAsync(ct);
        return new BatchResponse<OrderResponse>(orders.Select(ToResponse).ToList());
    }

    private async Task<Order> BuildAsync(Validation v, Guid tenantId, OrderKind kind, OrderRequest? r, CancellationToken ct)
    {
        var now = Now;
        var order = new Order { Id = Guid.CreateVersion7(), TenantId = tenantId, Kind = kind, CreatedAt = now, UpdatedAt = now };
        if (r is null)
        {
            v.Add("body", "a JSON object is required.");
            return order;
        }
        await ApplyOrderAsync(v, order, r, ct);
        if (r.Invoices is null || r.Invoices.Count == 0)
            v.Add("invoices", $"at least one {InvoiceName(kind)} is required.");
        else if (r.Invoices.Count > MaxInvoicesPerRequest)
            v.Add("invoices", $"at most {MaxInvoicesPerRequest} are allowed in one request.");
        else
        {
            for (var i = 0; i < r.Invoices.Count; i++)
            {
                var invoice = NewInvoice(order);
                await ApplyInvoiceAsync(v.Nested($"invoices[{i}]"), invoice, r.Invoices[i], ct);
                order.Invoices.Add(invoice);
            }
            CheckRepeatedNumbers(v, "invoices", order.Invoices);
        }
        foreach (var invoice in order.Invoices) invoice.MarkChanged(now);
        return order;
    }

    private static void CheckRepeatedNumbers(Validation v, string field, IEnumerable<Invoice> invoices)
    {
        var repeated = invoices.Where(i => i.Kind == OrderKind.Sale && !string.IsNullOrEmpty(i.InvoiceNumber))
            .GroupBy(i => i.InvoiceNumber).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        v.Check(repeated.Count == 0, field, $"invoice numbers repeat: {string.Join(", ", repeated)}.");
    }

    public async Task<OrderResponse> UpdateAsync(Guid tenantId, OrderKind kind, Guid id, OrderRequest r, CancellationToken ct)
    {
        var order = await FindAsync(tenantId, kind, id, ct);
        var v = new Validation();
        var contactBefore = order.ContactId;
        await ApplyOrderAsync(v, order, r, ct);
        v.Check(r.Invoices is null, "invoices", $"change {InvoiceName(kind)}s through their own resource, not through the {kind.ToString().ToLowerInvariant()}.");
        v.ThrowIfInvalid();
        order.UpdatedAt = Now;
        // The contact is part of every invoice Xero holds, so changing it changes each live invoice.
        var changed = order.ContactId == contactBefore ? [] : order.Invoices.Where(i => i.Status != DocumentStatus.Voided).ToList();
        foreach (var invoice in changed) invoice.MarkChanged(order.UpdatedAt);
        await db.SaveChangesAsync(ct);
        await Task.WhenAll(changed.Select(grains.EditedAsync));
        return ToResponse(order);
    }

    public async Task<OrderResponse> GetAsync(Guid tenantId, OrderKind kind, Guid id, CancellationToken ct) =>
        ToResponse(await FindAsync(tenantId, kind, id, ct));

    public Task<Paged<OrderResponse>> ListAsync(Guid tenantId, OrderKind kind, PageRequest page, CancellationToken ct) =>
        db.Orders.Include(o => o.Invoices).Where(o => o.TenantId == tenantId && o.Kind == kind)
            .OrderBy(o => o.Id).ToPagedAsync(page, ToResponse, ct);

    public async Task<InvoiceResponse> AddInvoiceAsync(Guid tenantId, OrderKind kind, Guid orderId, InvoiceRequest r, CancellationToken ct)
    {
        var order = await FindAsync(tenantId, kind, orderId, ct);
        var invoice = NewInvoice(order);
        var v = new Validation();
        await ApplyInvoiceAsync(v, invoice, r, ct);
        v.ThrowIfInvalid();
        invoice.MarkChanged(Now);
        db.Invoices.Add(invoice);
        await db.SaveChangesAsync(ct);
        return ToResponse(invoice);
    }

    public async Task<InvoiceResponse> UpdateInvoiceAsync(Guid tenantId, OrderKind kind, Guid orderId, Guid invoiceId, InvoiceRequest r, CancellationToken ct)
    {
        var invoice = await FindInvoiceAsync(tenantId, kind, orderId, invoiceId, ct);
        Lifecycle.EnsureEditable(invoice, InvoiceName(kind));
        var v = new Validation();
        await ApplyInvoiceAsync(v, invoice, r, ct);
        v.ThrowIfInvalid();
        return await SaveChangedAsync(invoice, ct);
    }

    public async Task<InvoiceResponse> GetInvoiceAsync(Guid tenantId, OrderKind kind, Guid orderId, Guid invoiceId, CancellationToken ct) =>
        ToResponse(await FindInvoiceAsync(tenantId, kind, orderId, invoiceId, ct));

    /// <summary>An invoice or bill by its own id, whichever sale or purchase it belongs to.</summary>
    public async Task<InvoiceResponse> GetInvoiceAsync(Guid tenantId, Guid invoiceId, CancellationToken ct) =>
        ToResponse(await db.Invoices.FirstOrDefaultAsync(i => i.TenantId == tenantId && i.Id == invoiceId, ct)
                   ?? throw new NotFoundException($"The invoice {invoiceId}"));

    public async Task<InvoiceResponse> AuthoriseAsync(Guid tenantId, OrderKind kind, Guid orderId, Guid invoiceId, CancellationToken ct)
    {
        var invoice = await FindInvoiceAsync(tenantId, kind, orderId, invoiceId, ct);
        Lifecycle.Authorise(invoice, InvoiceName(kind));
        return await SaveChangedAsync(invoice, ct);
    }

    public async Task<InvoiceResponse> VoidAsync(Guid tenantId, OrderKind kind, Guid orderId, Guid invoiceId, CancellationToken ct)
    {
        var invoice = await FindInvoiceAsync(tenantId, kind, orderId, invoiceId, ct);
        Lifecycle.Void(invoice, InvoiceName(kind));
        return await SaveChangedAsync(invoice, ct);
    }

    public static InvoiceResponse ToResponse(Invoice i) => new(
        i.Id, i.OrderId, i.InvoiceNumber, i.Reference, i.Date, i.DueDate, i.CurrencyCode, i.LineAmountTypes, i.Status,
        i.Lines.ToResponse(), i.SubTotal, i.TotalTax, i.Total, i.AmountPaid, i.AmountDue,
        i.Version, i.CreatedAt, i.UpdatedAt, i.Sync.ToInfo());

    private static OrderResponse ToResponse(Order o) => new(
        o.Id, o.ContactId, o.Reference, o.Invoices.OrderBy(i => i.Id).Select(ToResponse).ToList(), o.CreatedAt, o.UpdatedAt);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private async Task<InvoiceResponse> SaveChangedAsync(Invoice invoice, CancellationToken ct)
    {
        invoice.MarkChanged(Now);
        await db.SaveChangesAsync(ct);
        await grains.EditedAsync(invoice);
        return ToResponse(invoice);
    }

    /// <summary>Whether another sale invoice of the tenant has the number (compiled: every new sale asks).</summary>
    private static readonly CompiledPerModel<Func<AppDb, Guid, string, Guid, CancellationToken, Task<bool>>>
        SaleNumberTaken = new(() => EF.CompileAsyncQuery(
            (AppDb db, Guid tenantId, string number, Guid invoiceId, CancellationToken ct) => db.Invoices.Any(i =>
                i.TenantId == tenantId && i.Kind == OrderKind.Sale && i.InvoiceNumber == number && i.Id != invoiceId)));

    private static Invoice NewInvoice(Order order) =>
        new() { Id = Guid.CreateVersion7(), TenantId = order.TenantId, OrderId = order.Id, Kind = order.Kind, Order = order };

    private async Task ApplyOrderAsync(Validation v, Order order, OrderRequest r, CancellationToken ct)
    {
        v.RequiredId("contactId", r.ContactId);
        var contactId = await References.ContactAsync(db, v, "contactId", order.TenantId, order.Kind, r.ContactId, ct);
        if (contactId is not null) order.ContactId = contactId.Value;
        order.Reference = v.OptionalText("reference", r.Reference, 255);
    }

    private async Task ApplyInvoiceAsync(Validation v, Invoice invoice, InvoiceRequest r, CancellationToken ct)
    {
        if (invoice.Kind == OrderKind.Sale)
        {
            var number = v.Text("invoiceNumber", r.InvoiceNumber, 255);
            var taken = number.Length > 0
                        && await SaleNumberTaken.For(db)(db, invoice.TenantId, number, invoice.Id, ct);
            v.Check(!taken, "invoiceNumber", $"another sale invoice is already numbered '{number}'.");
            invoice.InvoiceNumber = number;
        }
        else
        {
            invoice.InvoiceNumber = v.OptionalText("invoiceNumber", r.InvoiceNumber, 255);
        }
        v.Check(r.DueDate is null || r.Date is null || r.DueDate >= r.Date, "dueDate", "must not be before date.");
        invoice.DueDate = r.DueDate;
        Lifecycle.ApplyCommon(v, invoice, r.Date, r.CurrencyCode, r.Reference, r.LineAmountTypes, r.Lines, r.SubTotal, r.TotalTax, r.Total);
    }

    private async Task<Order> FindAsync(Guid tenantId, OrderKind kind, Guid id, CancellationToken ct) =>
        await db.Orders.Include(o => o.Invoices).FirstOrDefaultAsync(o => o.TenantId == tenantId && o.Kind == kind && o.Id == id, ct)
        ?? throw new NotFoundException($"The {kind.ToString().ToLowerInvariant()} {id}");

    private async Task<Invoice> FindInvoiceAsync(Guid tenantId, OrderKind kind, Guid orderId, Guid invoiceId, CancellationToken ct) =>
        await db.Invoices.FirstOrDefaultAsync(i => i.TenantId == tenantId && i.Kind == kind && i.OrderId == orderId && i.Id == invoiceId, ct)
        ?? throw new NotFoundException($"The {InvoiceName(kind)} {invoiceId}");
}
