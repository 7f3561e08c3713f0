using InventorySync.Api.Auth;
using InventorySync.Grains.Alerts;
using InventorySync.Grains.Common;
using InventorySync.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InventorySync.Web.Pages;

/// <summary>
/// A page of one tenant (<c>/tenants/{tenantId}/...</c>): another tenant's pages answer 404 exactly like a tenant that
/// does not exist, as the API does. It also gives the layout the tenant's name, time zone and unread count (the badge).
/// </summary>
public abstract class TenantPageModel : PageModel
{
    [FromRoute]
    public Guid TenantId { get; set; }

    public Caller Caller => Caller.From(User);

    /// <summary>What the last action did or why it was refused, in words.</summary>
    public string? Message { get; set; }

    /// <summary>Validation errors of the last form sent, by field.</summary>
    public IDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    private TimeZoneInfo _zone = TimeZoneInfo.Utc;

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context,
        PageHandlerExecutionDelegate next)
    {
        var db = HttpContext.RequestServices.GetRequiredService<AppDb>();
        var ct = HttpContext.RequestAborted;
        if (await TenantAccess.RefusalAsync(db, Caller, TenantId, ct) is { } refusal)
        {
            context.Result = Refused(refusal.Status, refusal.Message);
            return;
        }
        var tenant = await db.Tenants.AsNoTracking().Where(t => t.Id == TenantId)
            .Select(t => new { t.Name, t.TimeZone }).SingleAsync(ct);
        _zone = TimeZoneInfo.TryFindSystemTimeZoneById(tenant.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;
        ViewData["TenantId"] = TenantId;
        ViewData["TenantName"] = tenant.Name;
        ViewData["Unread"] = (await HttpContext.RequestServices.GetRequiredService<Notifications>()
            .UnreadAsync(TenantId, ct)).Count;
        ViewData["Title"] ??= GetType().Name.Replace("Model", "", StringComparison.Ordinal);
        await next();
    }

    /// <summary>Runs a change; its refusal (bad input, a conflict) becomes words on the page instead of an error.
    /// </summary>
    protected async Task<bool> TryAsync(Func<Task> change)
    {
        try
        {
            await change();
            return true;
        }
        catch (RequestValidationException e)
        {
            Errors = e.Errors;
            Message = "Nothing was saved: "
                      + string.Join(" ", e.Errors.Select(x => $"{x.Key} {string.Join(" ", x.Value)}"));
        }
        catch (Exception e) when (e is ConflictException or NotConfiguredException or RunConflictException
                                      or MaintenanceException or NotFoundException)
        {
            Message = e.Message;
        }
        return false;
    }

    /// <summary>A time as the tenant reads it, in its own time zone.</summary>
    public string Local(DateTime? utc) => utc is { } at
        ? TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(at, DateTimeKind.Utc), _zone)
            .ToString("yyyy-MM-dd HH:mm:ss")
        : "";

    public string ZoneName => _zone.Id;

    /// <summary>A time the tenant wrote in its own time zone, in UTC.</summary>
    protected DateTime ToUtc(DateTime local) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), _zone);

    private PartialViewResult Refused(int status, string message) => new()
    {
        ViewName = "_Refused", StatusCode = status,
        ViewData = new ViewDataDictionary(MetadataProvider, ModelState) { ["Message"] = message },
    };
}
