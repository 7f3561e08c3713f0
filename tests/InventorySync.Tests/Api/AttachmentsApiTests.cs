using System.Net;
using System.Net.Http.Headers;
using InventorySync.Contracts;
using InventorySync.Tests.Infrastructure;

namespace InventorySync.Tests.Api;

public abstract class AttachmentsApiTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_file_attached_to_a_sale_is_listed_and_downloads_byte_for_byte()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var contact = await NewContactAsync(user, tenantId);
        var sale = await NewSaleAsync(user, tenantId, contact.Id, "INV-A1");
        var bytes = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 31)).ToArray();
        var path = $"{TenantPath(tenantId)}/sales/{sale.Id}/attachments";

        var response = await user.PostAsync(path, FileContent("delivery note.pdf", bytes));
        var created = await response.ReadAsync<AttachmentResponse>(HttpStatusCode.Created);
        Assert.Equal(("delivery note.pdf", "application/pdf", 70_000L), (created.FileName, created.ContentType, created.Size));

        var listed = await (await user.GetAsync(path)).ReadAsync<List<AttachmentResponse>>();
        Assert.Equal(created, Assert.Single(listed));
        var download = await user.GetAsync($"{path}/{created.Id}/content");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Oversized_empty_and_misaddressed_uploads_are_refused_and_nothing_is_kept()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var (otherTenant, otherUser, _) = await NewTenantWithUserAsync("Other");
        var contact = await NewContactAsync(user, tenantId);
        var sale = await NewSaleAsync(user, tenantId, contact.Id, "INV-A2");
        var path = $"{TenantPath(tenantId)}/sales/{sale.Id}/attachments";

        await (await user.PostAsync(path, FileContent("huge.pdf", new byte[11 * 1024 * 1024]))).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        await (await user.PostAsync(path, FileContent("empty.pdf", []))).ProblemAsync(HttpStatusCode.BadRequest, "file");
        await (await user.PostAsync(path, new MultipartFormDataContent { { new StringContent("x"), "other" } })).ProblemAsync(HttpStatusCode.BadRequest, "file");
        await (await user.PostAsync(path, Json(new { file = "x" }))).ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        // A sale is not a purchase, and another tenant's sale does not exist for this user.
        await (await user.PostAsync($"{TenantPath(tenantId)}/purchases/{sale.Id}/attachments", FileContent("a.pdf", [1]))).ProblemAsync(HttpStatusCode.NotFound);
        await (await otherUser.PostAsync($"{TenantPath(otherTenant)}/sales/{sale.Id}/attachments", FileContent("a.pdf", [1]))).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Empty(await (await user.GetAsync(path)).ReadAsync<List<AttachmentResponse>>());
        Assert.Equal(0, await App.WithDbAsync(db => Task.FromResult(db.AttachmentContents.Count(c => db.Attachments.Any(a => a.Id == c.AttachmentId && a.TenantId == tenantId)))));
    }
}

public sealed class AttachmentsApiTests_Sqlite(SqliteApp fixture) : AttachmentsApiTests(fixture), IClassFixture<SqliteApp>;

public sealed class AttachmentsApiTests_Postgres(PostgresApp fixture) : AttachmentsApiTests(fixture), IClassFixture<PostgresApp>;
