using InventorySync.Api.Auth;
using InventorySync.Contracts;
using InventorySync.Grains.Tenants;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace InventorySync.Web.Pages;

/// <summary>A user goes to their tenant's sync page; the operator chooses a tenant.</summary>
public sealed class IndexModel(TenantService tenants) : PageModel
{
    public IReadOnlyList<TenantResponse> Tenants { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync([FromQuery] int? page)
    {
        var caller = Caller.From(User);
        if (!caller.IsOperator) return Redirect($"/tenants/{caller.TenantId}/sync");
        Tenants = (await tenants.ListAsync(new PageRequest(page, PageRequest.MaxSize), HttpContext.RequestAborted))
            .Items;
        return Page();
    }
}
