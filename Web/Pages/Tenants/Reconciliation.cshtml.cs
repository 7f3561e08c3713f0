using InventorySync.Contracts;
using InventorySync.Grains.Reconciliation;
using Microsoft.AspNetCore.Mvc;

namespace InventorySync.Web.Pages.Tenants;

/// <summary>Reconciliation reports (S8): the cost first, then the report, followed until it is done.</summary>
public sealed class ReconciliationModel(Reconciliations reconciliations) : TenantPageModel
{
    public sealed class ReportForm
    {
        public DateOnly? From { get; set; }
        public DateOnly? To { get; set; }
        public bool Detailed { get; set; }
        public string? Accounts { get; set; }
        public string? Email { get; set; }

        public ReconciliationRequest ToRequest() => new(From, To, Detailed,
            (Accounts ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            DryRun: null, string.IsNullOrWhiteSpace(Email) ? null : Email);
    }

    [BindProperty] public ReportForm Form { get; set; } = new();
    [BindProperty(SupportsGet = true)] public Guid? ReportId { get; set; }

    public ReconciliationResponse? Report { get; private set; }
    public Paged<ReconciliationResponse> Reports { get; private set; } = null!;

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        if (ReportId is { } id)
            await TryAsync(async () =>
                Report = await reconciliations.GetAsync(TenantId, id, new PageRequest(1, 200), ct));
        Reports = await reconciliations.ListAsync(TenantId, new PageRequest(1, 20), ct);
    }

    public async Task<IActionResult> OnPostPriceAsync()
    {
        ReconciliationPlan? plan = null;
        if (await TryAsync(async () => plan = (await reconciliations.StartAsync(TenantId, Form.ToRequest(),
                dryRun: true, HttpContext.RequestAborted)).Plan))
            Message = $"This report would cost {plan!.EstimatedCalls} Xero calls; {plan.DayRemaining} remain today, "
                      + $"of which {plan.Reserve} are kept for syncs.";
        await ReloadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostStartAsync()
    {
        ReconciliationResponse? started = null;
        if (await TryAsync(async () => started = (await reconciliations.StartAsync(TenantId, Form.ToRequest(),
                dryRun: false, HttpContext.RequestAborted)).Started))
            return RedirectToPage(new { tenantId = TenantId, reportId = started!.Id });
        await ReloadAsync();
        return Page();
    }

    /// <summary>The list again after a post, keeping the form and the message.</summary>
    private async Task ReloadAsync() =>
        Reports = await reconciliations.ListAsync(TenantId, new PageRequest(1, 20), HttpContext.RequestAborted);
}
