using System.Net;
using InventorySync.Contracts;
using InventorySync.Tests.Infrastructure;

namespace InventorySync.Tests.Api;

public abstract class IdempotencyTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_retried_post_returns_the_first_answer_and_makes_no_second_document()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var path = $"{TenantPath(tenantId)}/contacts";
        var body = new { name = "Retry Ltd", isCustomer = true };

        var first = await user.PostJsonAsync(path, body, idempotencyKey: "create-retry-ltd");
        var created = await first.ReadAsync<ContactResponse>(HttpStatusCode.Created);
        var again = await user.PostJsonAsync(path, body, idempotencyKey: "create-retry-ltd");
        var replayed = await again.ReadAsync<ContactResponse>(HttpStatusCode.Created);

        Assert.Equal(created, replayed);
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await CountAsync(user, path));
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_refused()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var path = $"{TenantPath(tenantId)}/contacts";
        await (await user.PostJsonAsync(path, new { name = "First", isCustomer = true }, "key-1")).ReadNodeAsync(HttpStatusCode.Created);
        var refused = await (await user.PostJsonAsync(path, new { name = "Second", isCustomer = true }, "key-1")).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("key-1", (string?)refused["detail"]);
        Assert.Equal(1, await CountAsync(user, path));
    }

    [Fact]
    public async Task A_refused_request_keeps_nothing_so_the_corrected_one_can_use_the_key()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var path = $"{TenantPath(tenantId)}/contacts";
        await (await user.PostJsonAsync(path, new { name = "", isCustomer = true }, "key-2")).ProblemAsync(HttpStatusCode.BadRequest, "name");
        await (await user.PostJsonAsync(path, new { name = "Fixed", isCustomer = true }, "key-2")).ReadNodeAsync(HttpStatusCode.Created);
        Assert.Equal(1, await CountAsync(user, path));
    }

    [Fact]
    public async Task Concurrent_retries_of_one_write_make_exactly_one_document()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var contact = await NewContactAsync(user, tenantId);
        var path = $"{TenantPath(tenantId)}/sales";
        var body = new { contactId = contact.Id, invoices = new[] { Invoice("INV-CONCURRENT") } };

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => user.PostJsonAsync(path, body, "sale-once")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.ReadAsync<OrderResponse>(HttpStatusCode.Created)).Id));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await CountAsync(user, path));
    }

    [Fact]
    public async Task Keys_belong_to_their_caller()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var path = $"{TenantPath(tenantId)}/contacts";
        await (await user.PostJsonAsync(path, new { name = "Mine", isCustomer = true }, "shared-key")).ReadNodeAsync(HttpStatusCode.Created);
        await (await Admin.PostJsonAsync(path, new { name = "Operator's", isCustomer = true }, "shared-key")).ReadNodeAsync(HttpStatusCode.Created);
        Assert.Equal(2, await CountAsync(user, path));
    }
}

public sealed class IdempotencyTests_Sqlite(SqliteApp fixture) : IdempotencyTests(fixture), IClassFixture<SqliteApp>;

public sealed class IdempotencyTests_Postgres(PostgresApp fixture) : IdempotencyTests(fixture), IClassFixture<PostgresApp>;
