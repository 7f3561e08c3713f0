using System.Net;
using InventorySync.Contracts;
using InventorySync.Storage;
using InventorySync.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace InventorySync.Tests.Api;

// MailKit brings BouncyCastle's top-level "Org" namespace; the emulator's organisation keeps its short name here.
using Org = InventorySync.XeroSandbox.State.Org;

/// <summary>Attachments of sales exported to their invoices in Xero (S4), through the REST API and the emulator.
/// </summary>
public abstract class AttachmentExportTests(XeroApp fixture) : XeroApiTest(fixture)
{
    private async Task<(Guid TenantId, HttpClient User, Org Org)> TenantAsync(bool export = true)
    {
        var tenant = await ConnectedTenantAsync();
        await (await tenant.User.PutJsonAsync($"{TenantPath(tenant.TenantId)}/settings",
            new { exportAttachments = export })).ReadNodeAsync();
        return tenant;
    }

    /// <summary>A sale with authorised invoices (numbered as given), not yet sent.</summary>
    private static async Task<OrderResponse> SaleAsync(HttpClient user, Guid tenantId, params string[] numbers)
    {
        var contact = await NewContactAsync(user, tenantId);
        var sale = await NewSaleAsync(user, tenantId, contact.Id, numbers);
        foreach (var invoice in sale.Invoices) await AuthoriseAsync(user, tenantId, invoice);
        return sale;
    }

    private static async Task AttachAsync(HttpClient user, Guid tenantId, Guid saleId, string name, int size = 3) =>
        await (await user.PostAsync($"{TenantPath(tenantId)}/sales/{saleId}/attachments",
            FileContent(name, new byte[size]))).ReadAsync<AttachmentResponse>(HttpStatusCode.Created);

    /// <summary>The files each invoice of the organisation holds in Xero, by invoice number.</summary>
    private Dictionary<string, string[]> InXero(Org org)
    {
        lock (org.DocumentsGate)
            return org.Invoices.Values.ToDictionary(i => i.InvoiceNumber!, i =>
                org.Attachments.GetValueOrDefault(i.InvoiceID!.Value, []).Select(a => $"{a.FileName} {a.MimeType}")
                    .Order().ToArray());
    }

    private async Task<List<SyncTransactionResponse>> ExportsAsync(HttpClient user, Guid tenantId) =>
        (await (await user.GetAsync($"{TenantPath(tenantId)}/sync/transactions?entity=Attachment"))
            .ReadAsync<Paged<SyncTransactionResponse>>()).Items.ToList();

    private int AttachmentCalls(Org org) =>
        Xero.Xero.RequestsTo(org).Count(r => r.Path.Contains("/Attachments/", StringComparison.Ordinal));

    [Fact]
    public async Task An_authorised_invoice_gets_its_sales_files_and_a_file_added_later_goes_at_once_without_a_run()
    {
        var (tenantId, user, org) = await TenantAsync();
        var sale = await SaleAsync(user, tenantId, "AT-1");
        await AttachAsync(user, tenantId, sale.Id, "delivery.pdf");

        var run = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(["delivery.pdf application/pdf"], InXero(org)["AT-1"]);
        await AttachAsync(user, tenantId, sale.Id, "signed.png");
        await Xero.Nodes.UntilAsync(async () => (await ExportsAsync(user, tenantId)).Count == 2,
            "the later file's export was recorded");
        Assert.Equal(["delivery.pdf application/pdf", "signed.png image/png"], InXero(org)["AT-1"]);
        var runs = await (await user.GetAsync($"{TenantPath(tenantId)}/sync/runs")).ReadAsync<Paged<RunResponse>>();
        Assert.Equal(run.Id, Assert.Single(runs.Items).Id);
        var exports = await ExportsAsync(user, tenantId);
        Assert.Equal([("signed.png on AT-1", (Guid?)null), ("delivery.pdf on AT-1", run.Id)],
            exports.Select(e => (e.Document, e.RunId)));
        var invoice = $"/api/v1/tenants/{tenantId}/invoices/{sale.Invoices[0].Id}";
        Assert.All(exports, e =>
            Assert.Equal((SyncAction.Export, SyncStatus.Synced, invoice), (e.Action, e.Status, e.Link)));
    }

    [Fact]
    public async Task Each_file_of_an_advanced_sale_goes_to_each_of_its_invoices_once()
    {
        var (tenantId, user, org) = await TenantAsync();
        var sale = await SaleAsync(user, tenantId, "AV-1", "AV-2", "AV-3");
        await AttachAsync(user, tenantId, sale.Id, "contract.pdf");
        await AttachAsync(user, tenantId, sale.Id, "photo.jpg");

        await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));
        await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));

        var files = InXero(org);
        Assert.Equal(3, files.Count);
        Assert.All(files.Values, f => Assert.Equal(["contract.pdf application/pdf", "photo.jpg image/jpeg"], f));
        Assert.Equal(6, AttachmentCalls(org));
    }

    [Fact]
    public async Task E_mails_are_skipped_with_the_reason_and_a_file_over_Xeros_size_is_refused_before_any_call()
    {
        var (tenantId, user, org) = await TenantAsync();
        var sale = await SaleAsync(user, tenantId, "SK-1");
        await AttachAsync(user, tenantId, sale.Id, "thread.eml");
        await AttachAsync(user, tenantId, sale.Id, "scan.tiff", size: 10 * 1024 * 1024 + 1);

        await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));

        var skipped = (await ExportsAsync(user, tenantId)).OrderBy(e => e.Document).ToList();
        Assert.Equal([SyncStatus.Skipped, SyncStatus.Skipped], skipped.Select(e => e.Status));
        Assert.Contains("bytes; Xero takes at most 10485760", skipped[0].Message);
        Assert.Equal("e-mails (.eml) are not exported to Xero.", skipped[1].Message);
        Assert.Equal(0, AttachmentCalls(org));
        Assert.Empty(InXero(org)["SK-1"]);
    }

    [Fact]
    public async Task With_the_setting_off_nothing_is_exported()
    {
        var (tenantId, user, org) = await TenantAsync(export: false);
        var sale = await SaleAsync(user, tenantId, "OFF-1");
        await AttachAsync(user, tenantId, sale.Id, "delivery.pdf");

        await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));
        await AttachAsync(user, tenantId, sale.Id, "later.pdf");

        Assert.Empty(InXero(org)["OFF-1"]);
        Assert.Equal(0, AttachmentCalls(org));
        Assert.Empty(await ExportsAsync(user, tenantId));
    }

    [Fact]
    public async Task An_answer_lost_on_the_way_back_leaves_one_copy_in_Xero()
    {
        var (tenantId, user, org) = await TenantAsync();
        var sale = await SaleAsync(user, tenantId, "LO-1");
        await AttachAsync(user, tenantId, sale.Id, "delivery.pdf");
        await Xero.Xero.FaultAsync("lose-answer", method: "PUT", path: "/Attachments/delivery.pdf");

        var run = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));

        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(["delivery.pdf application/pdf"], InXero(org)["LO-1"]);
        Assert.Equal(SyncStatus.Synced, Assert.Single(await ExportsAsync(user, tenantId)).Status);
    }
}

/// <summary>Takes files larger than Xero does, so that Xero's own limit is what refuses them.</summary>
public abstract class LargeFilesXeroApp(DatabaseProvider provider) : XeroApp(provider)
{
    protected override void ConfigureHost(IWebHostBuilder builder)
    {
        base.ConfigureHost(builder);
        builder.UseSetting("Attachments:MaxBytes", $"{20 * 1024 * 1024}");
    }
}

public sealed class SqliteLargeFilesXeroApp() : LargeFilesXeroApp(DatabaseProvider.Sqlite);

public sealed class PostgresLargeFilesXeroApp() : LargeFilesXeroApp(DatabaseProvider.Postgres);

public sealed class AttachmentExportTests_Sqlite(SqliteLargeFilesXeroApp fixture)
    : AttachmentExportTests(fixture), IClassFixture<SqliteLargeFilesXeroApp>;

public sealed class AttachmentExportTests_Postgres(PostgresLargeFilesXeroApp fixture)
    : AttachmentExportTests(fixture), IClassFixture<PostgresLargeFilesXeroApp>;
