using InventorySync.Contracts;
using InventorySync.Grains.Alerts;
using Microsoft.AspNetCore.Mvc;

namespace InventorySync.Web.Pages.Tenants;

/// <summary>The internal alerts behind the red badge (S6.2): read, and marked read.</summary>
public sealed class NotificationsModel(Notifications notifications) : TenantPageModel
{
    [BindProperty(SupportsGet = true, Name = "p")] public int? PageNumber { get; set; }

    public Paged<NotificationResponse> List { get; private set; } = null!;

    public async Task OnGetAsync() =>
        List = await notifications.ListAsync(TenantId, new PageRequest(PageNumber, 25), HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostReadAsync(long id)
    {
        await TryAsync(() => notifications.MarkReadAsync(TenantId, id, HttpContext.RequestAborted));
        return RedirectToPage(new { tenantId = TenantId });
    }

    public async Task<IActionResult> OnPostReadAllAsync()
    {
        await notifications.MarkAllReadAsync(TenantId, HttpContext.RequestAborted);
        return RedirectToPage(new { tenantId = TenantId });
    }
}
