using System.Net;
using InventorySync.Contracts;
using InventorySync.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using OpenQA.Selenium;

namespace InventorySync.Tests.Web;

/// <summary>The accountant's pages in a real headless Chromium (S9.2–S9.3).</summary>
public sealed class BrowserTests(BrowserApp app) : XeroApiTest(app), IClassFixture<BrowserApp>
{
    private IWebDriver Driver => app.Driver;

    /// <summary>
    /// A connected tenant whose first run synced a contact and an invoice and failed another invoice (an account Xero
    /// does not have), so that its transactions have two statuses and it has an unread alert; its user's key.
    /// </summary>
    private async Task<(Guid TenantId, string Key, HttpClient User)> TenantWithTransactionsAsync()
    {
        var (tenantId, user, _) = await ConnectedTenantAsync();
        var key = user.DefaultRequestHeaders.Authorization!.Parameter!;
        var contact = await NewContactAsync(user, tenantId, "Harbour Cafe");
        var sale = await NewSaleAsync(user, tenantId, contact.Id, "INV-W1", "INV-W2");
        // Account 999 is not in the organisation's chart: Xero refuses that invoice.
        var bad = sale.Invoices.Single(i => i.InvoiceNumber == "INV-W2");
        await (await user.PutJsonAsync($"{TenantPath(tenantId)}/sales/{sale.Id}/invoices/{bad.Id}", new
        {
            invoiceNumber = "INV-W2", date = "2026-11-02", currencyCode = "NZD",
            lines = new[] { new { description = "Flour", quantity = 1m, unitAmount = 10m, taxRate = 15m,
                accountCode = "999" } },
        })).ReadNodeAsync();
        await AuthoriseAsync(user, tenantId, bad);
        var run = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));
        Assert.Equal((RunState.CompletedWithErrors, 2, 1), (run.State, run.Synced, run.Failed));
        return (tenantId, key, user);
    }

    private void SignIn(string key)
    {
        Driver.Manage().Cookies.DeleteAllCookies();
        app.Open("/sign-in");
        Driver.FindElement(By.Id("key")).SendKeys(key);
        Driver.FindElement(By.Id("key")).SendKeys(Keys.Enter);
        app.Until(d => d.Url.EndsWith("/sync", StringComparison.Ordinal));
    }

    private IReadOnlyList<string> Column(int index) => Driver.FindElements(By.CssSelector(
        $"#transactions tbody tr td:nth-child({index})")).Select(c => c.Text).ToList();

    private void SetValue(string inputId, string value) => ((IJavaScriptExecutor)Driver).ExecuteScript(
        "arguments[0].value = arguments[1]", Driver.FindElement(By.Id(inputId)), value);

    private void Choose(string selectId, string value) =>
        Driver.FindElement(By.CssSelector($"#{selectId} option[value='{value}']")).Click();

    [Fact]
    public async Task Back_from_Xeros_consent_the_browser_lands_on_the_settings_page_connected()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var org = app.State.AddOrganisation("Browser Trading");
        lock (app.State.Gate)
        {
            app.State.ConsentTo.Clear();
            app.State.ConsentTo.Add(org.Id);
        }
        SignIn(user.DefaultRequestHeaders.Authorization!.Parameter!);
        app.Open($"/tenants/{tenantId}/settings");
        Assert.Equal("NotConnected", Driver.FindElement(By.Id("xero-status")).Text);

        // Xero's consent page is the emulator's, served in memory here: the test carries its answer to the browser.
        var started = await (await user.PostAsync($"{TenantPath(tenantId)}/xero/connect", null))
            .ReadAsync<XeroConnectStarted>();
        var consent = await app.Xero.Browser.GetAsync(new Uri(started.AuthorizeUrl).PathAndQuery);
        app.Open(consent.Headers.Location!.PathAndQuery);

        app.Until(d => d.Url.EndsWith($"/tenants/{tenantId}/settings", StringComparison.Ordinal));
        Assert.Equal("Connected: Browser Trading", app.Until(d => d.FindElement(By.Id("xero-status"))).Text);
    }

    [Fact]
    public async Task An_accountant_signs_in_filters_the_transactions_by_status_and_presses_sync_now()
    {
        var (tenantId, key, user) = await TenantWithTransactionsAsync();

        SignIn(key);

        Assert.Equal(["Harbour Cafe", "INV-W1", "INV-W2"], Column(2).Order());
        Choose("status-filter", "Failed");
        Driver.FindElement(By.Id("filter")).Click();
        app.Until(d => d.Url.Contains("status=Failed", StringComparison.Ordinal));
        Assert.Equal(["INV-W2"], Column(2));
        Assert.Equal(["Failed"], Column(5));

        Driver.FindElement(By.Id("sync-now")).Click();
        var message = app.Until(d => d.FindElement(By.Id("message"))).Text;
        var runs = await (await user.GetAsync($"{TenantPath(tenantId)}/sync/runs")).ReadAsync<Paged<RunResponse>>();
        Assert.Equal(2, runs.TotalCount);
        Assert.Equal($"The sync started (run {runs.Items[0].Id}).", message);
        Assert.Contains("Manual sync by", Driver.FindElement(By.Id("run-status")).Text);
        await FinishAsync(user, tenantId, runs.Items[0].Id);
    }

    [Fact]
    public async Task A_row_opens_its_document_and_another_tenants_page_is_not_found()
    {
        var (_, key, _) = await TenantWithTransactionsAsync();
        var (otherId, _, _) = await NewTenantWithUserAsync("Other Trading");
        SignIn(key);

        Driver.FindElement(By.LinkText("INV-W1")).Click();
        app.Until(d => d.FindElement(By.TagName("h1")).Text == "Invoice INV-W1");
        Assert.Equal(["Synced"], Column(5));

        app.Open($"/tenants/{otherId}/sync");
        Assert.Equal("Not found", Driver.FindElement(By.TagName("h1")).Text);
        Assert.DoesNotContain("Other Trading", Driver.PageSource);
    }

    [Fact]
    public async Task Marking_the_alert_read_empties_the_badge_and_signing_out_closes_the_pages()
    {
        var (tenantId, key, _) = await TenantWithTransactionsAsync();
        SignIn(key);
        Assert.Equal("1", Driver.FindElement(By.Id("unread-badge")).Text);

        Driver.FindElement(By.Id("notifications-link")).Click();
        Driver.FindElement(By.CssSelector("button[name='id']")).Click();

        app.Until(d => d.FindElements(By.Id("unread-badge")).Count == 0);
        Driver.FindElement(By.Id("sign-out")).Click();
        app.Until(d => d.Url.EndsWith("/sign-in", StringComparison.Ordinal));
        app.Open($"/tenants/{tenantId}/sync");
        app.Until(d => d.Url.Contains("/sign-in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_auto_sync_frequency_appears_in_the_activity_report()
    {
        var (tenantId, key, _) = await TenantWithTransactionsAsync();
        SignIn(key);
        app.Open($"/tenants/{tenantId}/settings");

        Driver.FindElement(By.Id("auto-sync-enabled")).Click();
        // Date and time pickers take their values in the browser's own format: set as the picker would.
        SetValue("auto-sync-start-date", "2026-11-10");
        SetValue("auto-sync-start-time", "09:30");
        var every = Driver.FindElement(By.Id("auto-sync-every"));
        every.Clear();
        every.SendKeys("2");
        Choose("auto-sync-unit", "Hours");
        Driver.FindElement(By.Id("save-settings")).Click();
        app.Until(d => d.FindElement(By.Id("message")).Text == "Settings saved.");

        Driver.FindElement(By.LinkText("Activity")).Click();
        Choose("activity-type", nameof(ActivityType.AutoSyncChanged));
        Driver.FindElement(By.Id("refresh")).Click();
        app.Until(d => d.Url.Contains("type=AutoSyncChanged", StringComparison.Ordinal));
        var entry = Assert.Single(Driver.FindElements(By.CssSelector("#activity tbody tr")));
        Assert.Contains("Auto-sync changed by Ada: off → on, every 2 hours from 2026-11-10 09:30", entry.Text);
    }

    [Fact]
    public async Task The_reconciliation_page_shows_the_cost_first_then_the_reports_result()
    {
        var (tenantId, key, _) = await TenantWithTransactionsAsync();
        SignIn(key);
        app.Open($"/tenants/{tenantId}/reconciliation");
        SetValue("rec-from", "2026-11-01");
        SetValue("rec-to", "2026-11-30");

        Driver.FindElement(By.Id("price")).Click();
        var cost = app.Until(d => d.FindElement(By.Id("message"))).Text;
        Assert.StartsWith("This report would cost 3 Xero calls;", cost);
        Assert.Empty(await App.WithDbAsync(db => db.Reconciliations.Where(r => r.TenantId == tenantId).ToListAsync()));

        Driver.FindElement(By.Id("start")).Click();
        app.Until(d => d.Url.Contains("reportId=", StringComparison.Ordinal));
        await Xero.Nodes.UntilAsync(() => App.WithDbAsync(db => db.Reconciliations.AnyAsync(r =>
            r.TenantId == tenantId && r.State != nameof(ReconciliationState.Running))), "the report finished");
        Driver.Navigate().Refresh();
        Assert.StartsWith("Completed: 3 Xero calls", Driver.FindElement(By.Id("report-state")).Text);
        // The invoice Xero refused is ours alone.
        Assert.Equal("1 difference.", Driver.FindElement(By.Id("report-outcome")).Text);
    }
}
