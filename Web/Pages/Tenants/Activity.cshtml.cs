using InventorySync.Contracts;
using InventorySync.Grains.Activity;
using Microsoft.AspNetCore.Mvc;

namespace InventorySync.Web.Pages.Tenants;

/// <summary>The System Activity Report (S7): filtered by days, type, user and words; Refresh reads it again.</summary>
public sealed class ActivityModel(ActivityLog activity) : TenantPageModel
{
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public ActivityType? Type { get; set; }
    [BindProperty(SupportsGet = true, Name = "user")] public string? UserName { get; set; }
    [BindProperty(SupportsGet = true)] public string? Search { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int? PageNumber { get; set; }

    public Paged<ActivityResponse>? Entries { get; private set; }

    public async Task OnGetAsync()
    {
        // Days as the tenant counts them, from its midnight to its next.
        var query = new ActivityQuery(From is { } from ? ToUtc(from.ToDateTime(TimeOnly.MinValue)) : null,
            To is { } to ? ToUtc(to.AddDays(1).ToDateTime(TimeOnly.MinValue)).AddTicks(-1) : null, Type, UserName,
            PageNumber, 50, Search);
        await TryAsync(async () => Entries = await activity.ListAsync(TenantId, query, HttpContext.RequestAborted));
    }
}
