using InventorySync.Contracts;
using InventorySync.Grains.Connections;
using InventorySync.Grains.Documents;
using InventorySync.Grains.Tenants;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Silo.Demo;

/// <summary>
/// On a demo install (no Xero app configured, the emulator standing in for Xero), creates once a tenant connected to a
/// demo organisation, with sample documents and auto-sync every minute, and prints its user's key.
/// </summary>
public sealed class DemoSeeder(IServiceProvider services, IHttpClientFactory http, TimeProvider clock)
{
    public const string TenantName = "Demo Trading";

    /// <summary>The HTTP client that gives the demo's consent in the emulator, as a user's browser would.</summary>
    public const string Browser = "demo-browser";

    public async Task<Guid?> SeedAsync(Uri sandbox, CancellationToken ct)
    {
        var db = services.GetRequiredService<AppDb>();
        if (await db.Tenants.Where(t => t.Name == TenantName).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct)
            is { } existing)
        {
            await ReconnectAsync(db, sandbox, existing, ct);
            return null;
        }
        var tenants = services.GetRequiredService<TenantService>();
        var tenant = await tenants.CreateAsync(new TenantRequest(TenantName, "Pacific/Auckland"), ct);
        var user = await tenants.CreateUserAsync(tenant.Id, new UserRequest("demo"), ct);
        await ConnectAsync(sandbox, tenant.Id, ct);

        var settings = services.GetRequiredService<SettingsService>();
        await settings.PutAccountMappingsAsync(tenant.Id, new AccountMappingsDto("200", "300", "090", "840", "640"), ct);
        var contacts = services.GetRequiredService<DocumentService<Contact, ContactRequest, ContactResponse>>();
        var cafe = await contacts.CreateAsync(tenant.Id, new ContactRequest("Harbour Cafe", "accounts@harbour.example.com", true, false, null, null, null), ct);
        var hardware = await contacts.CreateAsync(tenant.Id, new ContactRequest("Bob's Hardware", "bob@hardware.example.com", true, false, null, null, null), ct);
        var steel = await contacts.CreateAsync(tenant.Id, new ContactRequest("Steel Supplies", "ap@steel.example.com", false, true, null, null, null), ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        InvoiceRequest Invoice(string? number, decimal quantity, decimal price) =>
            new(number, null, today, today.AddDays(20), "NZD", LineAmountTypes.Exclusive,
                [new LineRequest("Widget", quantity, price, null, 15m, "WID-1", null, null)], null, null, null);
        var orders = services.GetRequiredService<Orders>();
        var sale = await orders.CreateAsync(tenant.Id, OrderKind.Sale, new OrderRequest(cafe.Id, "SO-1001", [Invoice("INV-1001", 3, 9.99m)]), ct);
        await orders.CreateAsync(tenant.Id, OrderKind.Sale, new OrderRequest(hardware.Id, "SO-1002", [Invoice("INV-1002", 10, 4.50m), Invoice("INV-1003", 2, 120m)]), ct);
        await orders.CreateAsync(tenant.Id, OrderKind.Purchase, new OrderRequest(steel.Id, "PO-2001", [Invoice("SUP-7781", 50, 2.25m)]), ct);
        var invoice = await orders.AuthoriseAsync(tenant.Id, OrderKind.Sale, sale.Id, sale.Invoices[0].Id, ct);
        await services.GetRequiredService<DocumentService<Payment, PaymentRequest, PaymentResponse>>()
            .CreateAsync(tenant.Id, new PaymentRequest(invoice.Id, 20m, today, "Card", null), ct);
        var start = clock.GetUtcNow().UtcDateTime.AddMinutes(1);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland");
        var local = TimeZoneInfo.ConvertTimeFromUtc(start, zone);
        await settings.UpdateAsync(tenant.Id, new TenantSettingsDto(true, PaymentDirection.Both,
            new AutoSyncSettingsDto(true, DateOnly.FromDateTime(local), new TimeOnly(local.Hour, local.Minute), 1, FrequencyUnit.Minutes), null), "demo", ct);

        Console.WriteLine($"""

            ==> Demo tenant "{TenantName}" ({tenant.Id}), connected to the emulator's "Demo Company (NZ)", auto-sync every minute.
                Its user's key, shown only this once: {user.ApiKey}

            """);
        return tenant.Id;
    }

    /// <summary>
    /// The emulator keeps nothing across restarts: the demo tenant is connected to a fresh organisation, and its
    /// documents go to it again (their ids in the old one mean nothing there).
    /// </summary>
    private async Task ReconnectAsync(AppDb db, Uri sandbox, Guid tenantId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await Afresh(db.Contacts, tenantId, now, ct);
        await Afresh(db.Invoices, tenantId, now, ct);
        await Afresh(db.CreditNotes, tenantId, now, ct);
        await Afresh(db.Payments.Where(p => !p.FromXero), tenantId, now, ct);
        await Afresh(db.BankTransactions, tenantId, now, ct);
        await db.Payments.Where(p => p.TenantId == tenantId && p.FromXero).ExecuteDeleteAsync(ct);
        await db.AttachmentExports.Where(e => e.TenantId == tenantId).ExecuteDeleteAsync(ct);
        await ConnectAsync(sandbox, tenantId, ct);
        Console.WriteLine($"""

            ==> Demo tenant "{TenantName}" ({tenantId}) reconnected to a fresh "Demo Company (NZ)" (the emulator keeps
                nothing across restarts); its documents go to it again. Its user's key is the one printed first.

            """);
    }

    private static Task<int> Afresh<T>(IQueryable<T> documents, Guid tenantId, DateTime now, CancellationToken ct)
        where T : TenantDocument =>
        documents.Where(d => d.TenantId == tenantId).ExecuteUpdateAsync(u => u
            .SetProperty(d => d.Sync.Status, SyncStatus.Pending).SetProperty(d => d.Sync.PendingSince, now)
            .SetProperty(d => d.Sync.XeroId, (string?)null).SetProperty(d => d.Sync.SyncedVersion, (int?)null)
            .SetProperty(d => d.Sync.Attempts, 0).SetProperty(d => d.Sync.LastError, (string?)null), ct);

    /// <summary>A new organisation in the emulator, whose user consents at once: its redirect is followed by hand.
    /// </summary>
    private async Task ConnectAsync(Uri sandbox, Guid tenantId, CancellationToken ct)
    {
        using var browser = http.CreateClient(Browser);
        var created = await browser.PostAsJsonAsync(new Uri(sandbox, "/sandbox/organisations"),
            new { name = "Demo Company (NZ)" }, ct);
        var organisation = (await created.EnsureSuccessStatusCode().Content
            .ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>(ct))!["id"]!.GetValue<Guid>();
        (await browser.PutAsJsonAsync(new Uri(sandbox, "/sandbox/consent"),
            new { organisationIds = new[] { organisation } }, ct)).EnsureSuccessStatusCode();
        var connections = services.GetRequiredService<XeroConnections>();
        var consent = await browser.GetAsync((await connections.ConnectAsync(tenantId, ct)).AuthorizeUrl, ct);
        var back = System.Web.HttpUtility.ParseQueryString(consent.Headers.Location!.Query);
        await connections.CallbackAsync(back["code"], back["state"], null, ct);
    }
}
