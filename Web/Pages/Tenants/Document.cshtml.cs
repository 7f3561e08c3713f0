using InventorySync.Contracts;
using InventorySync.Grains.Sync;
using Microsoft.AspNetCore.Mvc;

namespace InventorySync.Web.Pages.Tenants;

/// <summary>One document's history with Xero: where a transaction row of the sync page leads.</summary>
public sealed class DocumentModel(SyncQueries queries) : TenantPageModel
{
    [FromRoute] public Guid DocumentId { get; set; }
    [BindProperty(SupportsGet = true)] public SyncEntity? Entity { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int? PageNumber { get; set; }

    public string Label { get; private set; } = "";

    public TransactionsView Transactions { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        var page = await queries.TransactionsAsync(TenantId,
            new TransactionQuery(Entity, null, null, PageNumber, 25, DocumentId), HttpContext.RequestAborted);
        if (page.TotalCount == 0) return NotFound();
        Label = page.Items.FirstOrDefault()?.Document ?? DocumentId.ToString();
        Transactions = new TransactionsView(page, Request.Query, this);
        return Page();
    }
}
