using System.Net;
using System.Net.Http.Json;
using InventorySync.Contracts;

namespace InventorySync.Tests.Infrastructure;

/// <summary>Shared steps of the API tests: each test makes its own tenant, so tests never see each other's data.</summary>
public abstract class ApiTest(AppFixture fixture)
{
    protected AppFactory App => fixture.App;
    protected HttpClient Admin => fixture.Admin;

    public static string TenantPath(Guid tenantId) => $"/api/v1/tenants/{tenantId}";

    protected async Task<TenantResponse> NewTenantAsync(string name = "Acme Trading")
    {
        var response = await Admin.PostJsonAsync("/api/v1/tenants", new { name, timeZone = "Europe/London" });
        return await response.ReadAsync<TenantResponse>(HttpStatusCode.Created);
    }

    /// <summary>A tenant and a client holding one of its users' keys.</summary>
    protected async Task<(Guid TenantId, HttpClient User, CreatedUserResponse Key)> NewTenantWithUserAsync(string name = "Acme Trading")
    {
        var tenant = await NewTenantAsync(name);
        var user = await (await Admin.PostJsonAsync($"{TenantPath(tenant.Id)}/users", new { name = "Ada" }))
            .ReadAsync<CreatedUserResponse>(HttpStatusCode.Created);
        return (tenant.Id, App.ClientWithKey(user.ApiKey), user);
    }

    public static async Task<ContactResponse> NewContactAsync(HttpClient client, Guid tenantId, string name = "Bob's Hardware",
        bool customer = true, bool supplier = true) =>
        await (await client.PostJsonAsync($"{TenantPath(tenantId)}/contacts", new { name, isCustomer = customer, isSupplier = supplier }))
            .ReadAsync<ContactResponse>(HttpStatusCode.Created);

    public static object Invoice(string? number, decimal quantity = 2, decimal unitAmount = 10.00m, decimal taxRate = 15) => new
    {
        invoiceNumber = number,
        date = "2026-11-02",
        dueDate = "2026-12-02",
        currencyCode = "NZD",
        lineAmountTypes = "Exclusive",
        lines = new[] { new { description = "Widget", quantity, unitAmount, taxRate, accountCode = "200" } },
    };

    public static async Task<OrderResponse> NewSaleAsync(HttpClient client, Guid tenantId, Guid contactId, params string[] invoiceNumbers) =>
        await (await client.PostJsonAsync($"{TenantPath(tenantId)}/sales",
                new { contactId, reference = "SO-1", invoices = invoiceNumbers.Select(n => Invoice(n)).ToArray() }))
            .ReadAsync<OrderResponse>(HttpStatusCode.Created);

    /// <summary>A file as an upload form carries it.</summary>
    public static MultipartFormDataContent FileContent(string name, byte[] content, string type = "application/pdf")
    {
        var part = new ByteArrayContent(content);
        part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
        return new MultipartFormDataContent { { part, "file", name } };
    }

    public static async Task<InvoiceResponse> AuthoriseAsync(HttpClient client, Guid tenantId, InvoiceResponse invoice) =>
        await (await client.PostAsync($"{TenantPath(tenantId)}/sales/{invoice.OrderId}/invoices/{invoice.Id}/authorise", null))
            .ReadAsync<InvoiceResponse>();

    /// <summary>Turns auto-sync on every minute from the next whole minute; returns that first slot.</summary>
    public static async Task<DateTime> EveryMinuteAsync(HttpClient user, Guid tenantId, TimeProvider clock)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var first = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, DateTimeKind.Utc).AddMinutes(1);
        // The tenants' zone is Europe/London: in November that is UTC.
        await (await user.PutJsonAsync($"{TenantPath(tenantId)}/settings", new
        {
            autoSync = new { enabled = true, startDate = first.ToString("yyyy-MM-dd"), startTime = first.ToString("HH:mm"), every = 1, unit = "Minutes" },
        })).ReadNodeAsync();
        return first;
    }

    public static async Task<List<RunResponse>> AutoRunsAsync(HttpClient user, Guid tenantId) =>
        (await (await user.GetAsync($"{TenantPath(tenantId)}/sync/runs?pageSize=200")).ReadAsync<Paged<RunResponse>>())
            .Items.Where(r => r.Trigger == RunTrigger.Auto).OrderBy(r => r.CreatedAt).ToList();

    /// <summary>The minute a run was created in.</summary>
    public static DateTime Minute(RunResponse run) => new(run.CreatedAt.Ticks - run.CreatedAt.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);

    protected static async Task<int> CountAsync(HttpClient client, string path) =>
        (await (await client.GetAsync(path)).ReadAsync<Paged<System.Text.Json.Nodes.JsonNode>>()).TotalCount;

    protected static Task<HttpResponseMessage> GetAsync(HttpClient client, string path) => client.GetAsync(path);

    protected static JsonContent Json(object body) => JsonContent.Create(body, options: Http.Json);
}
