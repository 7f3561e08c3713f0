using System.Net;
using InventorySync.Contracts;

namespace InventorySync.Tests.Infrastructure;

// MailKit brings BouncyCastle's top-level "Org" namespace; the emulator's organisation keeps its short name here.
using Org = InventorySync.XeroSandbox.State.Org;

/// <summary>REST tests of tenants connected to the emulator, with runs they start and follow to the end.</summary>
public abstract class XeroApiTest(XeroApp xero) : ApiTest(xero)
{
    protected XeroApp Xero => xero;

    /// <summary>A new tenant with a user, connected to a new organisation, its accounts mapped.</summary>
    protected async Task<(Guid TenantId, HttpClient User, Org Org)> ConnectedTenantAsync(bool onboarding = false)
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var org = await xero.ConnectAsync(user, tenantId, onboarding: onboarding);
        await user.PutJsonAsync($"{TenantPath(tenantId)}/account-mappings", new { sales = "200", purchases = "300",
            bank = "090" });
        return (tenantId, user, org);
    }

    /// <summary>Runs the simulated clock until the run ends; its record as the API gives it.</summary>
    protected async Task<RunResponse> FinishAsync(HttpClient user, Guid tenantId, Guid runId)
    {
        await xero.Nodes.FinishAsync(runId);
        return await (await user.GetAsync($"{TenantPath(tenantId)}/sync/runs/{runId}")).ReadAsync<RunResponse>();
    }

    protected async Task<Guid> SyncNowAsync(HttpClient user, Guid tenantId)
    {
        var response = await user.PostAsync($"{TenantPath(tenantId)}/sync", null);
        var started = await response.ReadAsync<RunStarted>(HttpStatusCode.Accepted);
        Assert.Equal($"/api/v1/tenants/{tenantId}/sync/runs/{started.RunId}",
            response.Headers.Location?.OriginalString);
        return started.RunId;
    }
}
