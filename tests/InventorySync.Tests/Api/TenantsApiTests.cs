using System.Net;
using InventorySync.Contracts;
using InventorySync.Tests.Infrastructure;

namespace InventorySync.Tests.Api;

public abstract class TenantsApiTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Operator_creates_reads_renames_and_lists_tenants()
    {
        var response = await Admin.PostJsonAsync("/api/v1/tenants", new { name = "Kiwi Tools", timeZone = "Pacific/Auckland" });
        var created = await response.ReadAsync<TenantResponse>(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/tenants/{created.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(("Kiwi Tools", "Pacific/Auckland", TenantStatus.Active), (created.Name, created.TimeZone, created.Status));

        var renamed = await (await Admin.PutJsonAsync(TenantPath(created.Id), new { name = "Kiwi Tools Ltd" })).ReadAsync<TenantResponse>();
        Assert.Equal(("Kiwi Tools Ltd", "Pacific/Auckland"), (renamed.Name, renamed.TimeZone));
        Assert.Equal("Kiwi Tools Ltd", (await (await Admin.GetAsync(TenantPath(created.Id))).ReadAsync<TenantResponse>()).Name);

        var page = await (await Admin.GetAsync("/api/v1/tenants?pageSize=200")).ReadAsync<Paged<TenantResponse>>();
        Assert.Contains(page.Items, t => t.Id == created.Id);
    }

    [Fact]
    public async Task A_user_key_is_shown_once_and_sees_only_its_own_tenant()
    {
        var (tenantId, user, key) = await NewTenantWithUserAsync();
        var other = await NewTenantAsync("Other Co");
        var otherContact = await NewContactAsync(Admin, other.Id, "Other's customer");

        Assert.StartsWith("isk_", key.ApiKey);
        var listed = await (await Admin.GetAsync($"{TenantPath(tenantId)}/users")).ReadNodeAsync();
        Assert.DoesNotContain(key.ApiKey, listed.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync($"{TenantPath(tenantId)}/contacts")).StatusCode);
        await (await user.GetAsync($"{TenantPath(other.Id)}/contacts")).ProblemAsync(HttpStatusCode.NotFound);
        await (await user.GetAsync($"{TenantPath(other.Id)}/contacts/{otherContact.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        // The other tenant's document id under the user's own tenant is just as invisible.
        await (await user.GetAsync($"{TenantPath(tenantId)}/contacts/{otherContact.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await user.GetAsync($"{TenantPath(Guid.NewGuid())}/settings")).ProblemAsync(HttpStatusCode.NotFound);
        // Operator routes are not for user keys, whichever tenant they name.
        await (await user.GetAsync("/api/v1/tenants")).ProblemAsync(HttpStatusCode.Forbidden);
        await (await user.PostJsonAsync($"{TenantPath(tenantId)}/users", new { name = "Mallory" })).ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Missing_wrong_and_revoked_keys_are_refused_with_401()
    {
        var (tenantId, user, key) = await NewTenantWithUserAsync();
        var path = $"{TenantPath(tenantId)}/contacts";

        var missing = await App.ClientWithKey(null).GetAsync(path);
        Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.Single().Scheme);
        await missing.ProblemAsync(HttpStatusCode.Unauthorized);
        var wrong = await (await App.ClientWithKey("isk_not-a-key").GetAsync(path)).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("not valid", (string?)wrong["detail"]);

        await (await Admin.DeleteAsync($"{TenantPath(tenantId)}/users/{key.Id}")).ReadNodeAsync();
        var revoked = await (await user.GetAsync(path)).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("revoked", (string?)revoked["detail"]);
    }

    [Fact]
    public async Task A_disabled_tenant_refuses_its_users_until_enabled()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var disabled = await (await Admin.PostAsync($"{TenantPath(tenantId)}/disable", null)).ReadAsync<TenantResponse>();
        Assert.Equal(TenantStatus.Disabled, disabled.Status);
        await (await user.GetAsync($"{TenantPath(tenantId)}/contacts")).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync($"{TenantPath(tenantId)}/contacts")).StatusCode);

        await (await Admin.PostAsync($"{TenantPath(tenantId)}/enable", null)).ReadAsync<TenantResponse>();
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync($"{TenantPath(tenantId)}/contacts")).StatusCode);
    }

    [Fact]
    public async Task Deleting_a_tenant_removes_it_and_all_its_data()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var contact = await NewContactAsync(user, tenantId);
        var sale = await NewSaleAsync(user, tenantId, contact.Id, "INV-DEL-1");
        await AuthoriseAsync(user, tenantId, sale.Invoices[0]);
        await (await user.PostJsonAsync($"{TenantPath(tenantId)}/payments",
            new { invoiceId = sale.Invoices[0].Id, amount = 5m, date = "2026-11-03" })).ReadNodeAsync(HttpStatusCode.Created);

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync(TenantPath(tenantId))).StatusCode);

        await (await Admin.GetAsync(TenantPath(tenantId))).ProblemAsync(HttpStatusCode.NotFound);
        await (await Admin.DeleteAsync(TenantPath(tenantId))).ProblemAsync(HttpStatusCode.NotFound);
        await (await user.GetAsync($"{TenantPath(tenantId)}/contacts")).ProblemAsync(HttpStatusCode.Unauthorized);
        var left = await App.WithDbAsync(async db =>
            db.Contacts.Count(c => c.TenantId == tenantId) + db.Invoices.Count(i => i.TenantId == tenantId)
            + db.Payments.Count(p => p.TenantId == tenantId) + db.Users.Count(u => u.TenantId == tenantId));
        Assert.Equal(0, left);
    }

    [Fact]
    public async Task A_bad_tenant_is_refused_naming_the_field_and_nothing_is_stored()
    {
        var before = await CountAsync(Admin, "/api/v1/tenants");
        await (await Admin.PostJsonAsync("/api/v1/tenants", new { name = "", timeZone = "Mars/Olympus" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "name", "timeZone");
        Assert.Equal(before, await CountAsync(Admin, "/api/v1/tenants"));
        await (await Admin.GetAsync($"{TenantPath(Guid.NewGuid())}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Admin.GetAsync("/api/v1/tenants?pageSize=5000")).ProblemAsync(HttpStatusCode.BadRequest, "pageSize");
    }
}

public sealed class TenantsApiTests_Sqlite(SqliteApp fixture) : TenantsApiTests(fixture), IClassFixture<SqliteApp>;

public sealed class TenantsApiTests_Postgres(PostgresApp fixture) : TenantsApiTests(fixture), IClassFixture<PostgresApp>;
