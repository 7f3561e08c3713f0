using InventorySync.Contracts;
using InventorySync.Grains.Sync;
using Microsoft.AspNetCore.Mvc;

namespace InventorySync.Web.Pages.Tenants;

/// <summary>"See Sync History" (S3.10): every run, manual or auto, newest first, each opening its transactions.
/// </summary>
public sealed class HistoryModel(SyncQueries queries) : TenantPageModel
{
    [BindProperty(SupportsGet = true, Name = "p")] public int? PageNumber { get; set; }

    public Paged<RunResponse> Runs { get; private set; } = null!;

    public async Task OnGetAsync() =>
        Runs = await queries.RunsAsync(TenantId, new PageRequest(PageNumber, 25), HttpContext.RequestAborted);
}
