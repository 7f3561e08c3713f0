using InventorySync.Contracts;
using InventorySync.Grains;
using InventorySync.Grains.Sync;
using Microsoft.AspNetCore.Mvc;

namespace InventorySync.Web.Pages.Tenants;

/// <summary>The seed's sync page: the current run, "Sync now", and the transactions with their filters.</summary>
public sealed class SyncModel(SyncQueries queries, RunStarter runs, MaintenanceWindows maintenance,
    IGrainFactory grains, TimeProvider clock) : TenantPageModel
{
    [BindProperty(SupportsGet = true)] public SyncEntity? Entity { get; set; }
    [BindProperty(SupportsGet = true)] public SyncStatus? Status { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? RunId { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int? PageNumber { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Started { get; set; }

    public RunResponse? Current { get; private set; }

    /// <summary>Why "Sync now" cannot be pressed now, or null when it can.</summary>
    public string? Blocked { get; private set; }

    public TransactionsView Transactions { get; private set; } = null!;

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        if (Started is { } started) Message = $"The sync started (run {started}).";
        Current = (await queries.RunsAsync(TenantId, new PageRequest(1, 1), ct)).Items.FirstOrDefault();
        var window = await maintenance.CoveringAsync(clock.GetUtcNow().UtcDateTime, ct);
        Blocked = !await runs.IsConnectedAsync(TenantId, ct)
            ? "Connect to Xero first, on the Settings page."
            : await runs.ActiveRunAsync(TenantId, ct) is not null
                ? "A sync is running now: wait for it to end."
                : window is not null
                    ? $"Synchronisation is paused for maintenance until {Local(window.EndsAt)}."
                    : null;
        var query = new TransactionQuery(Entity, Status, RunId, PageNumber, 25);
        Transactions = new TransactionsView(await queries.TransactionsAsync(TenantId, query, ct), Request.Query,
            this);
    }

    public async Task<IActionResult> OnPostSyncNowAsync()
    {
        Guid runId = default;
        if (await TryAsync(async () =>
                runId = await grains.GetGrain<ISyncCoordinatorGrain>(TenantId).SyncNowAsync(Caller.Name)))
            return RedirectToPage(new { tenantId = TenantId, started = runId });
        var message = Message;
        await OnGetAsync();
        Message = message;
        return Page();
    }
}
