using InventorySync.Contracts;
using Microsoft.AspNetCore.Http;

namespace InventorySync.Web.Pages;

/// <summary>A page of sync transactions, with the query that found them (for the paging links).</summary>
public sealed record TransactionsView(Paged<SyncTransactionResponse> Page, IQueryCollection Query,
    TenantPageModel Tenant)
{
    public Pager Pager => Pager.Of(Page, Query);

    /// <summary>The document's page: its transactions, from every run.</summary>
    public string DocumentLink(SyncTransactionResponse t) =>
        $"/tenants/{Tenant.TenantId}/documents/{t.DocumentId}?entity={t.Entity}";
}
