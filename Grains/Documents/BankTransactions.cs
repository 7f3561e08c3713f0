using InventorySync.Contracts;
using InventorySync.Grains.Common;
using InventorySync.Storage;
using InventorySync.Storage.Entities;

namespace InventorySync.Grains.Documents;

/// <summary>Customer credits (applied to a sale) and supplier deposits (applied to a purchase), sent to Xero as Receive/Spend Money (S5.4).</summary>
public abstract class BankTransactionKindBase<TRequest>(BankTransactionKind kind, OrderKind orderKind, string name, string orderField)
    : IDocumentKind<BankTransaction, TRequest, BankTransactionResponse>
{
    protected sealed record Fields(Guid? OrderId, decimal? Amount, DateOnly? Date, string? Reference);

    public string Name => name;

    protected abstract Fields Read(TRequest request);

    public IQueryable<BankTransaction> Query(AppDb db) => db.BankTransactions.Where(b => b.Kind == kind);

    public async Task ApplyAsync(AppDb db, BankTransaction b, TRequest request, CancellationToken ct)
    {
        var r = Read(request);
        var v = new Validation();
        v.RequiredId(orderField, r.OrderId);
        var order = await References.OrderAsync(db, v, orderField, b.TenantId, orderKind, r.OrderId, ct);
        b.Amount = v.Amount("amount", r.Amount);
        b.Date = v.Required("date", r.Date);
        b.Reference = v.OptionalText("reference", r.Reference, 255);
        v.ThrowIfInvalid();
        b.Kind = kind;
        b.OrderId = order!.Id;
        b.ContactId = order.ContactId;
    }

    public BankTransactionResponse ToResponse(BankTransaction b) =>
        new(b.Id, b.Kind, b.OrderId, b.ContactId, b.Amount, b.Date, b.Reference, b.Version, b.CreatedAt, b.UpdatedAt, b.Sync.ToInfo());
}

public sealed class CustomerCredits() : BankTransactionKindBase<CustomerCreditRequest>(BankTransactionKind.CustomerCredit, OrderKind.Sale, "customer credit", "saleId")
{
    protected override Fields Read(CustomerCreditRequest r) => new(r.SaleId, r.Amount, r.Date, r.Reference);
}

public sealed class SupplierDeposits() : BankTransactionKindBase<SupplierDepositRequest>(BankTransactionKind.SupplierDeposit, OrderKind.Purchase, "supplier deposit", "purchaseId")
{
    protected override Fields Read(SupplierDepositRequest r) => new(r.PurchaseId, r.Amount, r.Date, r.Reference);
}
