using System.Net;
using InventorySync.Contracts;
using InventorySync.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Tests.Api;

/// <summary>Alerts by e-mail through a real SMTP server or as notifications, and the activity report (S6, S7).</summary>
public abstract class AlertsTests(MailingXeroApp app) : ApiTest(app)
{
    private async Task<(Guid TenantId, HttpClient User, XeroSandbox.State.Org Org)> ConnectedTenantAsync(string name,
        params string[] alertEmails)
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync(name);
        var org = await app.ConnectAsync(user, tenantId);
        await user.PutJsonAsync($"{TenantPath(tenantId)}/account-mappings", new { sales = "200", purchases = "300",
            bank = "090" });
        if (alertEmails.Length > 0)
            await (await user.PutJsonAsync($"{TenantPath(tenantId)}/settings", new { alerts = new { type = "Email",
                emails = alertEmails } })).ReadNodeAsync();
        return (tenantId, user, org);
    }

    /// <summary>A sale whose invoice Xero refuses (account 999 is not in the chart).</summary>
    private static async Task BadSaleAsync(HttpClient user, Guid tenantId)
    {
        var contact = await NewContactAsync(user, tenantId);
        var sale = await NewSaleAsync(user, tenantId, contact.Id, "INV-E1");
        await (await user.PutJsonAsync($"{TenantPath(tenantId)}/sales/{sale.Id}/invoices/{sale.Invoices[0].Id}", new
        {
            invoiceNumber = "INV-E1", date = "2026-11-02", currencyCode = "NZD",
                lines = new[] { new { description = "x", quantity = 1m, unitAmount = 1m, accountCode = "999" } },
        })).ReadNodeAsync();
    }

    private async Task<RunResponse> SyncAsync(HttpClient user, Guid tenantId)
    {
        var started = await (await user.PostAsync($"{TenantPath(tenantId)}/sync",
            null)).ReadAsync<RunStarted>(HttpStatusCode.Accepted);
        await app.Nodes.FinishAsync(started.RunId);
        return await (await user.GetAsync($"{TenantPath(tenantId)}/sync/runs/{started.RunId}")).ReadAsync<RunResponse>();
    }

    private Task<bool> OutboxSentAsync(Guid tenantId) =>
        App.WithDbAsync(db => db.Outbox.AnyAsync(m => m.TenantId == tenantId && m.SentAt != null));

    private List<ReceivedMail> MailAbout(string tenant) => app.Smtp.Received().Where(m => m.Subject.StartsWith(tenant)).ToList();

    [Fact]
    public async Task A_run_with_errors_emails_the_list_once_saying_what_failed_and_where_to_look()
    {
        var tenant = $"Mailing {Guid.NewGuid():N}"[..20];
        var (tenantId, user, _) = await ConnectedTenantAsync(tenant, "ops@acme.test", "boss@acme.test");
        await BadSaleAsync(user, tenantId);

        var run = await SyncAsync(user, tenantId);
        await app.Nodes.UntilAsync(() => OutboxSentAsync(tenantId), "the alert was sent");

        Assert.Equal(RunState.CompletedWithErrors, run.State);
        var mail = Assert.Single(MailAbout(tenant));
        Assert.Contains("ops@acme.test", mail.To);
        Assert.Contains("boss@acme.test", mail.To);
        Assert.Equal($"{tenant}: sync ended with 1 failed document", mail.Subject);
        Assert.Contains("1 document failed, 1 synced", mail.Body);
        Assert.Contains($"/api/v1/tenants/{tenantId}/sync/transactions?runId={run.Id}&status=Failed", mail.Body);
        Assert.Equal(0, await CountAsync(user, $"{TenantPath(tenantId)}/notifications"));
    }

    [Fact]
    public async Task With_the_SMTP_server_down_the_alert_waits_and_is_sent_once_after_it_comes_back()
    {
        var tenant = $"Down {Guid.NewGuid():N}"[..20];
        var (tenantId, user, org) = await ConnectedTenantAsync(tenant, "ops@acme.test");
        var contact = await NewContactAsync(user, tenantId);
        await NewSaleAsync(user, tenantId, contact.Id, "INV-D1");
        lock (app.State.Gate) org.DayLimit = 1 + app.State.Requests.Count(r => r.OrgId == org.Id);
        await app.Smtp.StopAsync();
        try
        {
            var run = await SyncAsync(user, tenantId);
            Assert.Equal(RunState.Stopped, run.State);
            await app.Nodes.UntilAsync(() => App.WithDbAsync(db => db.Outbox.AnyAsync(m => m.TenantId == tenantId && m.Attempts >= 2 && m.LastError != null)),
                "two attempts failed while the server was down");
            Assert.False(await OutboxSentAsync(tenantId));
        }
        finally
        {
            await app.Smtp.StartAsync();
        }
        await app.Nodes.UntilAsync(() => OutboxSentAsync(tenantId), "the alert was sent once the server was back");
        var sentAt = App.Clock.GetUtcNow();
        await app.Nodes.UntilAsync(() => Task.FromResult(App.Clock.GetUtcNow() > sentAt.AddMinutes(10)),
            "ten more minutes");

        var mail = Assert.Single(MailAbout(tenant));
        Assert.Equal($"{tenant}: sync stopped, Xero's daily limit is spent", mail.Subject);
        Assert.Contains("1 synced, 0 failed; everything not sent stays pending for the next run", mail.Body);
        lock (app.State.Gate) org.DayLimit = 5000;
    }

    [Fact]
    public async Task A_reconciliation_is_emailed_with_its_report_as_a_CSV_file()
    {
        var tenant = $"Report {Guid.NewGuid():N}"[..20];
        var (tenantId, user, org) = await ConnectedTenantAsync(tenant);
        var contact = await NewContactAsync(user, tenantId);
        var sale = await NewSaleAsync(user, tenantId, contact.Id, "INV-R1", "INV-R2");
        foreach (var invoice in sale.Invoices) await AuthoriseAsync(user, tenantId, invoice);
        await SyncAsync(user, tenantId);
        lock (org.DocumentsGate) org.Invoices.Values.Single(i => i.InvoiceNumber == "INV-R2").Total = 30m;

        await (await user.PostJsonAsync($"{TenantPath(tenantId)}/reconciliations", new
        {
            from = "2026-11-01", to = "2026-11-30", detailed = true, email = "books@acme.test",
        })).ReadAsync<ReconciliationResponse>(HttpStatusCode.Accepted);
        await app.Nodes.UntilAsync(() => OutboxSentAsync(tenantId), "the report was e-mailed");

        var mail = Assert.Single(MailAbout(tenant));
        Assert.Equal(($"{tenant}: Reconciliation of 2026-11-01 to 2026-11-30: 1 differences", "books@acme.test"),
            (mail.Subject, mail.To));
        var csv = Assert.Single(mail.Attachments);
        Assert.Equal(("reconciliation-2026-11-01-2026-11-30.csv", "text/csv"), (csv.FileName, csv.ContentType));
        // Lines end in CRLF as RFC 4180 has it; mail transport may keep only the LF.
        var lines = csv.Content.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("document type,status,missing from,our number,our amount,xero number,xero amount,our link,xero id",
            lines[0]);
        Assert.StartsWith($"Invoice,Different,,INV-R2,23.00,INV-R2,30.00,/api/v1/tenants/{tenantId}/invoices/",
            lines[1]);
        Assert.Equal(2, lines.Length);
    }

    [Fact]
    public async Task Internal_notifications_are_listed_newest_first_counted_unread_and_marked_read()
    {
        var (tenantId, user, org) = await ConnectedTenantAsync("Badge Trading");
        await BadSaleAsync(user, tenantId);
        await SyncAsync(user, tenantId);
        // The refresh token is revoked and the access token has expired: the next run finds it and the tenant must reconnect.
        (await app.Xero.Browser.PostAsync("/sandbox/refresh-tokens/revoke", null)).EnsureSuccessStatusCode();
        App.Clock.Advance(XeroSandbox.State.SandboxState.AccessTokenLife);
        var failed = await SyncAsync(user, tenantId);
        Assert.Equal(RunState.Failed, failed.State);

        var list = await (await user.GetAsync($"{TenantPath(tenantId)}/notifications")).ReadAsync<Paged<NotificationResponse>>();
        Assert.Equal(["Badge Trading: Xero must be connected again",
            "Badge Trading: sync ended with 1 failed document"], list.Items.Select(n => n.Title));
        Assert.Contains($"POST /api/v1/tenants/{tenantId}/xero/connect", list.Items[0].Body);
        Assert.Equal(2,
            (await (await user.GetAsync($"{TenantPath(tenantId)}/notifications/unread-count")).ReadAsync<UnreadCount>()).Count);

        Assert.Equal(HttpStatusCode.NoContent,
            (await user.PostAsync($"{TenantPath(tenantId)}/notifications/{list.Items[1].Id}/read", null)).StatusCode);
        Assert.Equal(1,
            (await (await user.GetAsync($"{TenantPath(tenantId)}/notifications/unread-count")).ReadAsync<UnreadCount>()).Count);
        var (otherId, other, _) = await NewTenantWithUserAsync("Nosy Trading");
        await (await other.PostAsync($"{TenantPath(otherId)}/notifications/{list.Items[0].Id}/read",
            null)).ProblemAsync(HttpStatusCode.NotFound);
        await (await other.GetAsync($"{TenantPath(tenantId)}/notifications")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NoContent, (await user.PostAsync($"{TenantPath(tenantId)}/notifications/read-all",
            null)).StatusCode);
        Assert.Equal(0,
            (await (await user.GetAsync($"{TenantPath(tenantId)}/notifications/unread-count")).ReadAsync<UnreadCount>()).Count);
        var read = await (await user.GetAsync($"{TenantPath(tenantId)}/notifications")).ReadAsync<Paged<NotificationResponse>>();
        Assert.All(read.Items, n => Assert.NotNull(n.ReadAt));
        await app.ConnectAsync(user, tenantId, org);
    }

    [Fact]
    public async Task Every_activity_type_is_logged_and_each_filter_works()
    {
        var (tenantId, user, _) = await ConnectedTenantAsync("Activity Trading");
        var path = $"{TenantPath(tenantId)}/activity";
        var start = App.Clock.GetUtcNow().UtcDateTime;
        var run = await SyncAsync(user, tenantId);
        // Auto-sync every minute, with a maintenance window over its second slot; a manual run is active at its third.
        var first = await EveryMinuteAsync(user, tenantId, App.Clock);
        var window = await (await Admin.PostJsonAsync("/api/v1/maintenance-windows",
            new { startsAt = first.AddSeconds(30), endsAt = first.AddMinutes(1).AddSeconds(30), reason = "upgrade" }))
            .ReadAsync<MaintenanceWindowResponse>(HttpStatusCode.Created);
        await app.Nodes.ClockToAsync(tenantId, first.AddMinutes(1).AddSeconds(10));
        var refused = await user.PostAsync($"{TenantPath(tenantId)}/sync", null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        await Admin.DeleteAsync($"/api/v1/maintenance-windows/{window.Id}");
        // The operator's manual run is active at the third slot: Xero holds its call's answer.
        App.Clock.Advance(first.AddMinutes(2).AddSeconds(-10) - App.Clock.GetUtcNow().UtcDateTime);
        await NewContactAsync(user, tenantId, "Held Ltd");
        await app.Xero.FaultAsync("hang", method: "POST", path: "/Contacts");
        var active = await (await Admin.PostAsync($"{TenantPath(tenantId)}/sync",
            null)).ReadAsync<RunStarted>(HttpStatusCode.Accepted);
        await app.Nodes.UntilAsync(() => Task.FromResult(app.Xero.Hanging == 1), "the run's call is held");
        await app.Nodes.UntilAsync(() => App.WithDbAsync(db => db.Activity.AnyAsync(a => a.TenantId == tenantId && a.Type == "SlotSkipped")), "the third slot was skipped");
        await (await user.PostAsync($"{TenantPath(tenantId)}/sync", null)).ProblemAsync(HttpStatusCode.Conflict);
        await app.Nodes.FinishAsync(active.RunId);
        await (await user.PutJsonAsync($"{TenantPath(tenantId)}/settings",
            new { autoSync = new { enabled = false } })).ReadNodeAsync();

        var all = await (await user.GetAsync($"{path}?pageSize=100")).ReadAsync<Paged<ActivityResponse>>();
        // Re-authorisations, links, reconciliations and payments have their own tests.
        Assert.Equal(Enum.GetValues<ActivityType>().Except([ActivityType.ReauthorisationNeeded, ActivityType.Linked,
            ActivityType.Reconciliation, ActivityType.PaymentDirectionChanged, ActivityType.PaymentsPulled]).Order(),
            all.Items.Select(a => a.Type).Distinct().Order());
        Assert.Equal(all.Items.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Select(a => a.Id),
            all.Items.Select(a => a.Id));
        var manual = Assert.Single(all.Items, a => a.Type == ActivityType.Run && a.UserName == "Ada");
        Assert.Contains("Manual sync by Ada: Succeeded", manual.Summary);
        Assert.Equal((run.Id.ToString(), "Succeeded"), (manual.Details!.Value.GetProperty("runId").GetString(),
            manual.Details.Value.GetProperty("state").GetString()));
        var changes = all.Items.Where(a => a.Type == ActivityType.AutoSyncChanged).Select(a => a.Summary).Reverse().ToList();
        Assert.Equal($"Auto-sync changed by Ada: off → on, every 1 minutes from {first:yyyy-MM-dd HH:mm}", changes[0]);
        Assert.EndsWith("→ off", changes[1]);
        Assert.Contains("maintenance window", Assert.Single(all.Items,
            a => a.Type == ActivityType.SlotPostponed).Summary);
        Assert.Equal(2, all.Items.Count(a => a.Type == ActivityType.SyncRefused));

        var runsOnly = await (await user.GetAsync($"{path}?type=Run")).ReadAsync<Paged<ActivityResponse>>();
        Assert.All(runsOnly.Items, a => Assert.Equal(ActivityType.Run, a.Type));
        Assert.Equal(all.Items.Count(a => a.Type == ActivityType.Run), runsOnly.TotalCount);
        var ada = await (await user.GetAsync($"{path}?user=Ada&pageSize=100")).ReadAsync<Paged<ActivityResponse>>();
        Assert.Equal(all.Items.Count(a => a.UserName == "Ada"), ada.TotalCount);
        Assert.All(ada.Items, a => Assert.Equal("Ada", a.UserName));
        var early = await (await user.GetAsync($"{path}?from={start:O}&to={first.AddSeconds(-1):O}")).ReadAsync<Paged<ActivityResponse>>();
        Assert.Equal(all.Items.Count(a => a.At >= start && a.At <= first.AddSeconds(-1)), early.TotalCount);
        Assert.Contains(early.Items, a => a.Type == ActivityType.Run);
        var page = await (await user.GetAsync($"{path}?pageSize=2&page=2")).ReadAsync<Paged<ActivityResponse>>();
        Assert.Equal(all.Items.Skip(2).Take(2).Select(a => a.Id), page.Items.Select(a => a.Id));
        await (await user.GetAsync($"{path}?from={first:O}&to={start:O}")).ProblemAsync(HttpStatusCode.BadRequest,
            "from");
        await (await user.GetAsync($"{path}?type=Nonsense")).ProblemAsync(HttpStatusCode.BadRequest);
    }
}

public sealed class AlertsTests_Sqlite(SqliteMailingXeroApp fixture) : AlertsTests(fixture),
    IClassFixture<SqliteMailingXeroApp>;

public sealed class AlertsTests_Postgres(PostgresMailingXeroApp fixture) : AlertsTests(fixture),
    IClassFixture<PostgresMailingXeroApp>;
