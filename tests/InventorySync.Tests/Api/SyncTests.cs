using System.Net;
using InventorySync.Contracts;
using InventorySync.Tests.Infrastructure;
using InventorySync.Xero.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InventorySync.Tests.Api;

/// <summary>Sync now, through the REST API, into the emulator (S3.1, S3.2, S3.5–S3.10).</summary>
public abstract class SyncTests(XeroApp fixture) : XeroApiTest(fixture)
{
    [Fact]
    public async Task Sync_now_sends_contacts_then_invoices_then_payments_and_records_every_document()
    {
        var (tenantId, user, org) = await ConnectedTenantAsync();
        var contact = await NewContactAsync(user, tenantId, "Harbour Cafe");
        var sale = await NewSaleAsync(user, tenantId, contact.Id, "INV-S1", "INV-S2");
        var first = await AuthoriseAsync(user, tenantId, sale.Invoices.Single(i => i.InvoiceNumber == "INV-S1"));
        await (await user.PostJsonAsync($"{TenantPath(tenantId)}/payments", new { invoiceId = first.Id, amount = 10m,
            date = "2026-11-03" }))
            .ReadNodeAsync(HttpStatusCode.Created);

        var runId = await SyncNowAsync(user, tenantId);
        var run = await FinishAsync(user, tenantId, runId);

        Assert.Equal((RunState.Succeeded, RunTrigger.Manual, "Ada", 4, 0), (run.State, run.Trigger, run.StartedBy,
            run.Synced, run.Failed));
        lock (org.DocumentsGate)
        {
            Assert.Equal(["Harbour Cafe"], org.Contacts.Values.Select(c => c.Name));
            Assert.Equal(["INV-S1", "INV-S2"], org.Invoices.Values.Select(i => i.InvoiceNumber).Order());
            var paid = org.Invoices.Values.Single(i => i.InvoiceNumber == "INV-S1");
            Assert.Equal((first.Total, 10m, "AUTHORISED"), (paid.Total!.Value, paid.AmountPaid!.Value, paid.Status));
            Assert.Single(org.Payments);
        }
        var invoice = await (await user.GetAsync($"{TenantPath(tenantId)}/invoices/{first.Id}")).ReadAsync<InvoiceResponse>();
        Assert.Equal((SyncStatus.Synced, first.Version, runId), (invoice.Sync.Status, invoice.Sync.SyncedVersion,
            invoice.Sync.LastRunId));
        Assert.NotNull(invoice.Sync.XeroId);

        var transactions = await (await user.GetAsync($"{TenantPath(tenantId)}/sync/transactions?runId={runId}")).ReadAsync<Paged<SyncTransactionResponse>>();
        Assert.Equal(4, transactions.TotalCount);
        var order = transactions.Items.OrderBy(t => t.Id).Select(t => t.Entity).ToList();
        Assert.Equal([SyncEntity.Contact, SyncEntity.Invoice, SyncEntity.Invoice, SyncEntity.Payment], order);
        var link = transactions.Items.Single(t => t.DocumentId == first.Id).Link;
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync(link)).StatusCode);
        var invoicesOnly = await (await user.GetAsync($"{TenantPath(tenantId)}/sync/transactions?entity=Invoice&status=Synced")).ReadAsync<Paged<SyncTransactionResponse>>();
        Assert.Equal(2, invoicesOnly.TotalCount);

        // Nothing pending: a second run sends nothing.
        var again = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));
        Assert.Equal((RunState.Succeeded, 0), (again.State, again.Synced));
        lock (org.DocumentsGate) Assert.Equal(2, org.Invoices.Count);
    }

    /// <summary>Keeps a run active: Xero holds its call's answer until the client gives up (30 simulated seconds).</summary>
    private async Task HoldNextRunAsync(HttpClient user, Guid tenantId)
    {
        await NewContactAsync(user, tenantId, "Held Ltd");
        await Xero.Xero.FaultAsync("hang", method: "POST", path: "/Contacts");
    }

    /// <summary>Moves the clock to the 50th second of a minute, so that the next whole minute is 10 seconds away.</summary>
    private void ClockToSecond50()
    {
        var now = App.Clock.GetUtcNow().UtcDateTime;
        var target = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 50, DateTimeKind.Utc);
        App.Clock.Advance((target > now ? target : target.AddMinutes(1)) - now);
    }

    [Fact]
    public async Task A_second_sync_while_one_is_active_is_refused_naming_it()
    {
        var (tenantId, user, _) = await ConnectedTenantAsync();
        await HoldNextRunAsync(user, tenantId);
        var runId = await SyncNowAsync(user, tenantId);
        var refused = await (await user.PostAsync($"{TenantPath(tenantId)}/sync",
            null)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(runId.ToString(), (string?)refused["runId"]);
        await FinishAsync(user, tenantId, runId);
        var history = await (await user.GetAsync($"{TenantPath(tenantId)}/sync/runs")).ReadAsync<Paged<RunResponse>>();
        Assert.Equal([runId], history.Items.Select(r => r.Id));
    }

    [Fact]
    public async Task Concurrent_sync_requests_start_exactly_one_run()
    {
        var (tenantId, user, _) = await ConnectedTenantAsync();
        await HoldNextRunAsync(user, tenantId);
        var answers = await Task.WhenAll(Enumerable.Range(0,
            30).Select(_ => user.PostAsync($"{TenantPath(tenantId)}/sync", null)));
        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(29, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(1, await App.WithDbAsync(db => db.Runs.CountAsync(r => r.TenantId == tenantId)));
        var started = await answers.Single(a => a.StatusCode == HttpStatusCode.Accepted).ReadAsync<RunStarted>(HttpStatusCode.Accepted);
        Assert.Equal(RunState.Succeeded, (await FinishAsync(user, tenantId, started.RunId)).State);
    }

    [Fact]
    public async Task An_invalid_invoice_fails_alone_its_payment_waits_and_a_fix_syncs_it_next_time()
    {
        var (tenantId, user, org) = await ConnectedTenantAsync();
        var contact = await NewContactAsync(user, tenantId);
        var sale = await NewSaleAsync(user, tenantId, contact.Id, "INV-1245", "INV-1246", "INV-1247");
        var bad = sale.Invoices.Single(i => i.InvoiceNumber == "INV-1246");
        // Account 999 is not in the organisation's chart: Xero refuses that invoice only.
        var badBody = new
        {
            invoiceNumber = "INV-1246", date = "2026-11-02", currencyCode = "NZD",
            lines = new[] { new { description = "Widget", quantity = 1m, unitAmount = 10m, taxRate = 15m,
                accountCode = "999" } },
        };
        await (await user.PutJsonAsync($"{TenantPath(tenantId)}/sales/{sale.Id}/invoices/{bad.Id}",
            badBody)).ReadNodeAsync();
        await AuthoriseAsync(user, tenantId, bad);
        var payment = await (await user.PostJsonAsync($"{TenantPath(tenantId)}/payments", new { invoiceId = bad.Id,
            amount = 5m, date = "2026-11-03" }))
            .ReadAsync<PaymentResponse>(HttpStatusCode.Created);

        var run = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));
        Assert.Equal((RunState.CompletedWithErrors, 3, 1, 1), (run.State, run.Synced, run.Failed, run.Pending));
        var failed = await (await user.GetAsync($"{TenantPath(tenantId)}/invoices/{bad.Id}")).ReadAsync<InvoiceResponse>();
        Assert.Equal(SyncStatus.Failed, failed.Sync.Status);
        Assert.Contains("999", failed.Sync.LastError);
        var waiting = await (await user.GetAsync($"{TenantPath(tenantId)}/payments/{payment.Id}")).ReadAsync<PaymentResponse>();
        Assert.Equal(SyncStatus.Pending, waiting.Sync.Status);
        Assert.Contains("waits for its invoice", waiting.Sync.LastError);
        lock (org.DocumentsGate) Assert.Equal(["INV-1245", "INV-1247"],
            org.Invoices.Values.Select(i => i.InvoiceNumber).Order());

        var fixedBody = new
        {
            invoiceNumber = "INV-1246", date = "2026-11-02", currencyCode = "NZD",
            lines = new[] { new { description = "Widget", quantity = 1m, unitAmount = 10m, taxRate = 15m,
                accountCode = "200" } },
        };
        await (await user.PutJsonAsync($"{TenantPath(tenantId)}/sales/{sale.Id}/invoices/{bad.Id}",
            fixedBody)).ReadNodeAsync();
        var next = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));
        Assert.Equal((RunState.Succeeded, 2), (next.State, next.Synced));
        lock (org.DocumentsGate)
        {
            Assert.Equal(3, org.Invoices.Count);
            Assert.Equal(5m, org.Invoices.Values.Single(i => i.InvoiceNumber == "INV-1246").AmountPaid);
        }
    }

    [Fact]
    public async Task Updates_and_voids_of_synced_documents_reach_Xero_and_its_refusals_are_kept()
    {
        var (tenantId, user, org) = await ConnectedTenantAsync();
        var contact = await NewContactAsync(user, tenantId);
        var sale = await NewSaleAsync(user, tenantId, contact.Id, "INV-U1", "INV-U2");
        var toVoid = await AuthoriseAsync(user, tenantId, sale.Invoices.Single(i => i.InvoiceNumber == "INV-U1"));
        var toPay = await AuthoriseAsync(user, tenantId, sale.Invoices.Single(i => i.InvoiceNumber == "INV-U2"));
        await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));

        await (await user.PostAsync($"{TenantPath(tenantId)}/sales/{sale.Id}/invoices/{toVoid.Id}/void",
            null)).ReadNodeAsync();
        // Paid in Xero (say, by bank reconciliation): Xero will refuse to change it.
        Guid xeroId;
        lock (org.DocumentsGate)
        {
            var paid = org.Invoices.Values.Single(i => i.InvoiceNumber == "INV-U2");
            (paid.AmountPaid, paid.AmountDue, paid.Status) = (paid.Total, 0m, "PAID");
            xeroId = paid.InvoiceID!.Value;
        }
        await (await user.PutJsonAsync($"{TenantPath(tenantId)}/sales/{sale.Id}/invoices/{toPay.Id}", Invoice("INV-U2",
            quantity: 5))).ReadNodeAsync();

        var run = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));
        Assert.Equal((1, 1), (run.Synced, run.Failed));
        lock (org.DocumentsGate) Assert.Equal("VOIDED",
            org.Invoices.Values.Single(i => i.InvoiceNumber == "INV-U1").Status);
        var refused = await (await user.GetAsync($"{TenantPath(tenantId)}/invoices/{toPay.Id}")).ReadAsync<InvoiceResponse>();
        Assert.Equal((SyncStatus.Failed, xeroId.ToString()), (refused.Sync.Status, refused.Sync.XeroId));
        Assert.Contains("cannot be edited", refused.Sync.LastError);
    }

    [Fact]
    public async Task A_run_left_active_by_a_stopped_silo_is_resumed_by_its_coordinator_and_sends_each_document_once()
    {
        var (tenantId, user, org) = await ConnectedTenantAsync();
        var contact = await NewContactAsync(user, tenantId);
        await NewSaleAsync(user, tenantId, contact.Id, "INV-R1");
        // A silo started this run and stopped before doing anything: the database still says it is running.
        var now = App.Clock.GetUtcNow().UtcDateTime;
        var runId = Guid.CreateVersion7();
        await App.WithDbAsync(async db =>
        {
            db.Runs.Add(new InventorySync.Storage.Entities.Run
            {
                Id = runId, TenantId = tenantId, Trigger = RunTrigger.Manual, StartedBy = "Ada",
                    State = RunState.Running,
                Owner = "a stopped silo", Cutoff = now, CreatedAt = now, StartedAt = now,
            });
            return await db.SaveChangesAsync();
        });

        // Whatever activates the coordinator next (its resume reminder, a slot, a sync now) goes on with that run.
        var refused = await (await user.PostAsync($"{TenantPath(tenantId)}/sync",
            null)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(runId.ToString(), (string?)refused["runId"]);
        var run = await FinishAsync(user, tenantId, runId);

        Assert.Equal((RunState.Succeeded, 2), (run.State, run.Synced));
        Assert.NotEqual("a stopped silo",
            await App.WithDbAsync(db => db.Runs.Where(r => r.Id == runId).Select(r => r.Owner).SingleAsync()));
        lock (org.DocumentsGate) Assert.Single(org.Invoices);
    }

    [Fact]
    public async Task An_invoice_whose_creation_reached_Xero_before_a_crash_is_linked_not_created_twice()
    {
        var (tenantId, user, org) = await ConnectedTenantAsync();
        var contact = await NewContactAsync(user, tenantId, "Crash Test Ltd");
        var sale = await NewSaleAsync(user, tenantId, contact.Id, "INV-C1");
        await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));
        // A second invoice's first attempt reached Xero, but its answer never came back to us.
        var second = await (await user.PostJsonAsync($"{TenantPath(tenantId)}/sales/{sale.Id}/invoices",
            Invoice("INV-C2"))).ReadAsync<InvoiceResponse>(HttpStatusCode.Created);
        await App.WithDbAsync(async db =>
        {
            var invoice = await db.Invoices.SingleAsync(i => i.Id == second.Id);
            invoice.Sync.Attempts = 1;
            return await db.SaveChangesAsync();
        });
        lock (org.DocumentsGate)
        {
            var inXero = org.Invoices.Values.Single();
            var copy = InventorySync.XeroSandbox.Api.Batches.Clone(inXero);
            (copy.InvoiceID, copy.InvoiceNumber) = (Guid.NewGuid(), "INV-C2");
            org.Invoices[copy.InvoiceID.Value] = copy;
            org.SaleInvoiceNumbers["INV-C2"] = copy.InvoiceID.Value;
        }

        var run = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));

        Assert.Equal((RunState.Succeeded, 1), (run.State, run.Synced));
        lock (org.DocumentsGate) Assert.Equal(2, org.Invoices.Count);
        var linked = await (await user.GetAsync($"{TenantPath(tenantId)}/invoices/{second.Id}")).ReadAsync<InvoiceResponse>();
        Assert.Equal(SyncStatus.Synced, linked.Sync.Status);
        lock (org.DocumentsGate) Assert.Equal("INV-C2", org.Invoices[Guid.Parse(linked.Sync.XeroId!)].InvoiceNumber);
    }

    [Fact]
    public async Task A_run_that_spends_the_days_budget_stops_cleanly_and_the_next_one_continues()
    {
        var (tenantId, user, org) = await ConnectedTenantAsync();
        var contact = await NewContactAsync(user, tenantId);
        await NewSaleAsync(user, tenantId, contact.Id, "INV-D1");
        lock (Xero.State.Gate) org.DayLimit = 1 + Xero.State.Requests.Count(r => r.OrgId == org.Id);

        var stopped = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));
        Assert.Equal((RunState.Stopped, 1), (stopped.State, stopped.Synced));
        Assert.Contains("daily", stopped.Message);
        var invoice = await (await user.GetAsync($"{TenantPath(tenantId)}/sales")).ReadAsync<Paged<OrderResponse>>();
        Assert.Equal(SyncStatus.Pending, invoice.Items.Single().Invoices.Single().Sync.Status);

        lock (Xero.State.Gate) org.DayLimit = 5000;
        App.Clock.Advance(TimeSpan.FromHours(1));
        var next = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));
        Assert.Equal((RunState.Succeeded, 1), (next.State, next.Synced));
    }

    [Fact]
    public async Task A_batch_counted_while_the_budget_ran_out_is_looked_up_and_sent_once_by_the_next_run()
    {
        var (tenantId, user, org) = await ConnectedTenantAsync();
        var contact = await NewContactAsync(user, tenantId);
        await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));
        var numbers = Enumerable.Range(1, 110).Select(i => $"INV-B{i:000}").ToList();
        foreach (var sale in numbers.Chunk(50)) await NewSaleAsync(user, tenantId, contact.Id, sale);
        // The pull at the run's start and one batch of 50 go through; the second batch is refused while the third's
        // attempts are being counted.
        lock (Xero.State.Gate) org.DayLimit = 2 + Xero.State.Requests.Count(r => r.OrgId == org.Id);

        var stopped = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));
        Assert.Equal((RunState.Stopped, 50), (stopped.State, stopped.Synced));
        var sales = await (await user.GetAsync($"{TenantPath(tenantId)}/sales?pageSize=10"))
            .ReadAsync<Paged<OrderResponse>>();
        var counted = sales.Items.Last().Invoices;
        Assert.All(counted, i => Assert.Equal((SyncStatus.Pending, 1), (i.Sync.Status, i.Sync.Attempts)));

        lock (Xero.State.Gate) org.DayLimit = 5000;
        App.Clock.Advance(TimeSpan.FromHours(1));
        var next = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));

        Assert.Equal((RunState.Succeeded, 60), (next.State, next.Synced));
        var calls = Xero.Xero.RequestsTo(org).Where(r => r.At >= next.CreatedAt).ToList();
        Assert.Contains(calls, c => c is { Method: "GET", Path: "/api.xro/2.0/Invoices" });
        Assert.Equal(2, calls.Count(c => c.Method == "POST"));
        lock (org.DocumentsGate)
            Assert.Equal(numbers, org.Invoices.Values.Select(i => i.InvoiceNumber!).Order().ToList());
    }

    [Fact]
    public async Task A_run_rides_out_429s_500s_503s_and_a_timeout_and_sends_each_document_once()
    {
        var (tenantId, user, org) = await ConnectedTenantAsync();
        var contact = await NewContactAsync(user, tenantId, "Faulty Lines Ltd");
        var sale = await NewSaleAsync(user, tenantId, contact.Id, "INV-F1", "INV-F2", "INV-F3");
        var paid = await AuthoriseAsync(user, tenantId, sale.Invoices[0]);
        await (await user.PostJsonAsync($"{TenantPath(tenantId)}/payments", new { invoiceId = paid.Id, amount = 5m,
            date = "2026-11-03" })).ReadNodeAsync(HttpStatusCode.Created);
        await Xero.Xero.FaultAsync("429", count: 3, method: "POST", path: "/Contacts");
        await Xero.Xero.FaultAsync("503", method: "POST", path: "/Contacts");
        await Xero.Xero.FaultAsync("500", count: 2, method: "POST", path: "/Invoices");
        await Xero.Xero.FaultAsync("hang", method: "POST", path: "/Payments");

        var run = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));

        Assert.Equal((RunState.Succeeded, 5, 0), (run.State, run.Synced, run.Failed));
        var calls = Xero.Xero.RequestsTo(org).Where(r => r.At >= run.CreatedAt).ToList();
        Assert.Equal([429, 429, 429, 503, 200], calls.Where(r => r.Path.EndsWith("/Contacts")).Select(r => r.Status));
        Assert.Equal([500, 500, 200], calls.Where(r => r.Path.EndsWith("/Invoices")).Select(r => r.Status));
        // Every retry of a write carried the same Idempotency-Key as its first attempt.
        Assert.Single(calls.Where(r => r.Path.EndsWith("/Invoices")).Select(r => r.Headers["Idempotency-Key"]).Distinct());
        var payments = calls.Where(r => r.Method == "POST" && r.Path.EndsWith("/Payments")).ToList();
        Assert.Equal(2, payments.Count);
        Assert.Single(payments.Select(r => r.Headers["Idempotency-Key"]).Distinct());
        lock (org.DocumentsGate) Assert.Equal((1, 3, 1), (org.Contacts.Count, org.Invoices.Count, org.Payments.Count));
    }

    [Fact]
    public async Task A_refresh_token_revoked_mid_run_ends_it_asks_for_authorisation_and_keeps_the_rest_pending()
    {
        var (tenantId, user, org) = await ConnectedTenantAsync();
        var contact = await NewContactAsync(user, tenantId, "Revoked Ltd");
        var sale = await NewSaleAsync(user, tenantId, contact.Id, "INV-G1");
        // The access token has under a minute of freshness left; one call a minute makes the run outlive it.
        App.Clock.Advance(InventorySync.XeroSandbox.State.SandboxState.AccessTokenLife - App.Service<Microsoft.Extensions.Options.IOptions<InventorySync.Xero.XeroOptions>>().Value.RefreshMargin - TimeSpan.FromSeconds(55));
        lock (Xero.State.Gate) org.MinuteLimit = 1;
        (await Xero.Xero.Browser.PostAsync("/sandbox/refresh-tokens/revoke", null)).EnsureSuccessStatusCode();

        var run = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));

        lock (Xero.State.Gate) org.MinuteLimit = 60;
        Assert.Equal((RunState.Failed, 1), (run.State, run.Synced));
        Assert.Contains("invalid_grant", run.Message);
        var connection = await (await user.GetAsync($"{TenantPath(tenantId)}/xero/connection")).ReadAsync<XeroConnectionResponse>();
        Assert.Equal(ConnectionStatus.NeedsReauthorisation, connection.Status);
        var invoice = await (await user.GetAsync($"{TenantPath(tenantId)}/invoices/{sale.Invoices[0].Id}")).ReadAsync<InvoiceResponse>();
        Assert.Equal(SyncStatus.Pending, invoice.Sync.Status);
        lock (org.DocumentsGate) Assert.Empty(org.Invoices);
        await (await user.PostAsync($"{TenantPath(tenantId)}/sync", null)).ProblemAsync(HttpStatusCode.Conflict);

        // Authorised again, the next run sends what was left.
        await Xero.ConnectAsync(user, tenantId, org);
        var next = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));
        Assert.Equal((RunState.Succeeded, 1), (next.State, next.Synced));
        lock (org.DocumentsGate) Assert.Single(org.Invoices);
    }

    [Fact]
    public async Task A_change_made_during_a_run_waits_for_the_next_one()
    {
        var (tenantId, user, org) = await ConnectedTenantAsync();
        var contact = await NewContactAsync(user, tenantId, "Cut-off Ltd");
        var sale = await NewSaleAsync(user, tenantId, contact.Id, "INV-K1", "INV-K2");
        // The run stalls on its first call until its timeout; meanwhile the inventory system goes on working.
        await Xero.Xero.FaultAsync("hang", method: "POST", path: "/Contacts");
        var runId = await SyncNowAsync(user, tenantId);
        await Xero.Nodes.UntilAsync(() => Task.FromResult(Xero.Xero.Hanging == 1), "the run is under way");
        // A second later (the run may have reached its first call within the same simulated instant as its cut-off).
        App.Clock.Advance(TimeSpan.FromSeconds(1));
        var edited = sale.Invoices.Single(i => i.InvoiceNumber == "INV-K2");
        await (await user.PutJsonAsync($"{TenantPath(tenantId)}/sales/{sale.Id}/invoices/{edited.Id}",
            Invoice("INV-K2", quantity: 5))).ReadNodeAsync();
        await (await user.PostJsonAsync($"{TenantPath(tenantId)}/sales/{sale.Id}/invoices",
            Invoice("INV-K3"))).ReadNodeAsync(HttpStatusCode.Created);

        var run = await FinishAsync(user, tenantId, runId);

        Assert.Equal((RunState.Succeeded, 2), (run.State, run.Synced));
        lock (org.DocumentsGate) Assert.Equal(["INV-K1"], org.Invoices.Values.Select(i => i.InvoiceNumber));
        var next = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));
        Assert.Equal((RunState.Succeeded, 2), (next.State, next.Synced));
        lock (org.DocumentsGate)
        {
            Assert.Equal(["INV-K1", "INV-K2", "INV-K3"], org.Invoices.Values.Select(i => i.InvoiceNumber).Order());
            Assert.Equal(5m, org.Invoices.Values.Single(i => i.InvoiceNumber == "INV-K2").LineItems!.Single().Quantity);
        }
    }

    [Fact]
    public async Task An_edit_made_while_its_invoice_is_being_sent_stays_pending_and_goes_with_the_next_run_once()
    {
        var (tenantId, user, org) = await ConnectedTenantAsync();
        var contact = await NewContactAsync(user, tenantId, "Race Ltd");
        var sale = await NewSaleAsync(user, tenantId, contact.Id, "INV-R1");
        var invoice = sale.Invoices.Single();
        // Xero holds the invoice batch's answer while the inventory system edits the invoice.
        await Xero.Xero.FaultAsync("hang", method: "POST", path: "/Invoices");
        var runId = await SyncNowAsync(user, tenantId);
        await Xero.Nodes.UntilAsync(() => Task.FromResult(Xero.Xero.Hanging == 1), "the invoice is being sent");
        App.Clock.Advance(TimeSpan.FromSeconds(1));
        var edited = await (await user.PutJsonAsync($"{TenantPath(tenantId)}/sales/{sale.Id}/invoices/{invoice.Id}",
            Invoice("INV-R1", quantity: 5))).ReadAsync<InvoiceResponse>();

        var run = await FinishAsync(user, tenantId, runId);

        Assert.Equal((RunState.Succeeded, 1, 1), (run.State, run.Synced, run.Pending));
        var after = await (await user.GetAsync($"{TenantPath(tenantId)}/invoices/{invoice.Id}")).ReadAsync<InvoiceResponse>();
        Assert.Equal((SyncStatus.Pending, edited.Version), (after.Sync.Status, after.Version));
        // Pending since the edit, not since the version the run sent.
        Assert.Equal(edited.UpdatedAt, after.Sync.PendingSince);
        Assert.True(after.Sync.PendingSince > invoice.Sync.PendingSince);
        Assert.NotNull(after.Sync.XeroId);
        lock (org.DocumentsGate) Assert.Equal(2m, org.Invoices.Values.Single().LineItems!.Single().Quantity);

        var next = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));

        Assert.Equal((RunState.Succeeded, 1), (next.State, next.Synced));
        var synced = await (await user.GetAsync($"{TenantPath(tenantId)}/invoices/{invoice.Id}")).ReadAsync<InvoiceResponse>();
        Assert.Equal((SyncStatus.Synced, edited.Version, after.Sync.XeroId), (synced.Sync.Status,
            synced.Sync.SyncedVersion, synced.Sync.XeroId));
        lock (org.DocumentsGate)
        {
            var only = Assert.Single(org.Invoices.Values);
            Assert.Equal(5m, only.LineItems!.Single().Quantity);
        }
    }

    [Fact]
    public async Task A_thousand_concurrent_edits_of_one_contact_leave_one_consistent_version_which_a_run_sends()
    {
        var (tenantId, user, org) = await ConnectedTenantAsync();
        var contact = await NewContactAsync(user, tenantId, "Edit 0000");

        var answers = await Task.WhenAll(Enumerable.Range(1, 1000).Select(async i =>
        {
            var response = await user.PutJsonAsync($"{TenantPath(tenantId)}/contacts/{contact.Id}",
                new { name = $"Edit {i:0000}", isCustomer = true });
            return (response.StatusCode,
                Contact: response.StatusCode == HttpStatusCode.OK ? await response.ReadAsync<ContactResponse>() : null);
        }));

        // An edit that loses the race to another is refused as a conflict, to be made again on the newer version.
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        var applied = answers.Select(a => a.Contact).OfType<ContactResponse>().ToList();
        Assert.NotEmpty(applied);
        Assert.Equal(applied.Count, applied.Select(a => a.Version).Distinct().Count());
        var last = applied.MaxBy(a => a.Version)!;
        var now = await (await user.GetAsync($"{TenantPath(tenantId)}/contacts/{contact.Id}")).ReadAsync<ContactResponse>();
        Assert.Equal((1 + applied.Count, last.Name, SyncStatus.Pending), (now.Version, now.Name, now.Sync.Status));

        var run = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));

        Assert.Equal((RunState.Succeeded, 1), (run.State, run.Synced));
        var synced = await (await user.GetAsync($"{TenantPath(tenantId)}/contacts/{contact.Id}")).ReadAsync<ContactResponse>();
        Assert.Equal((SyncStatus.Synced, now.Version), (synced.Sync.Status, synced.Sync.SyncedVersion));
        lock (org.DocumentsGate) Assert.Equal([last.Name], org.Contacts.Values.Select(c => c.Name));
    }

    [Fact]
    public async Task Sync_now_is_refused_during_a_maintenance_window_and_allowed_after_it()
    {
        var (tenantId, user, _) = await ConnectedTenantAsync();
        var now = App.Clock.GetUtcNow().UtcDateTime;
        var window = await (await Admin.PostJsonAsync("/api/v1/maintenance-windows",
            new { startsAt = now.AddMinutes(-1), endsAt = now.AddHours(1), reason = "database upgrade" }))
            .ReadAsync<MaintenanceWindowResponse>(HttpStatusCode.Created);
        await (await Admin.PostJsonAsync("/api/v1/maintenance-windows", new { startsAt = now.AddHours(2),
            endsAt = now.AddHours(1) })).ProblemAsync(HttpStatusCode.BadRequest, "endsAt");
        await (await user.PostJsonAsync("/api/v1/maintenance-windows", new { startsAt = now,
            endsAt = now.AddHours(1) })).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains((await (await Admin.GetAsync("/api/v1/maintenance-windows")).ReadAsync<List<MaintenanceWindowResponse>>()), w => w.Id == window.Id);

        var refused = await user.PostAsync($"{TenantPath(tenantId)}/sync", null);
        Assert.Equal(TimeSpan.FromHours(1), refused.Headers.RetryAfter?.Delta);
        var problem = await refused.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("database upgrade", (string?)problem["detail"]);
        Assert.Equal(0, await App.WithDbAsync(db => db.Runs.CountAsync(r => r.TenantId == tenantId)));

        App.Clock.Advance(TimeSpan.FromHours(1));
        await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));
        Assert.Equal(HttpStatusCode.NoContent,
            (await Admin.DeleteAsync($"/api/v1/maintenance-windows/{window.Id}")).StatusCode);
        await (await Admin.DeleteAsync($"/api/v1/maintenance-windows/{window.Id}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    private Task RunClockToAsync(Guid tenantId, DateTime until) => Xero.Nodes.ClockToAsync(tenantId, until);

    [Fact]
    public async Task A_one_minute_schedule_runs_once_per_slot_over_an_hour()
    {
        var (tenantId, user, _) = await ConnectedTenantAsync();
        var first = await EveryMinuteAsync(user, tenantId, App.Clock);
        await RunClockToAsync(tenantId, first.AddMinutes(59));

        var runs = await AutoRunsAsync(user, tenantId);
        Assert.Equal(60, runs.Count);
        Assert.Equal(Enumerable.Range(0, 60).Select(i => first.AddMinutes(i)), runs.Select(Minute));
        Assert.All(runs, r => Assert.Equal(("auto-sync", RunState.Succeeded), (r.StartedBy, r.State)));
    }

    [Fact]
    public async Task Slots_in_a_maintenance_window_are_postponed_after_it_and_downtime_fires_once()
    {
        var (tenantId, user, _) = await ConnectedTenantAsync();
        var first = await EveryMinuteAsync(user, tenantId, App.Clock);
        var window = await (await Admin.PostJsonAsync("/api/v1/maintenance-windows",
            new { startsAt = first.AddMinutes(2), endsAt = first.AddMinutes(5).AddSeconds(30) }))
            .ReadAsync<MaintenanceWindowResponse>(HttpStatusCode.Created);
        await RunClockToAsync(tenantId, first.AddMinutes(7));
        await Admin.DeleteAsync($"/api/v1/maintenance-windows/{window.Id}");
        // first, +1, then the window swallows +2 … +5, and the next slot after it is +6, then +7.
        Assert.Equal([first, first.AddMinutes(1), first.AddMinutes(6), first.AddMinutes(7)],
            (await AutoRunsAsync(user, tenantId)).Select(Minute));

        // Every node down for ten minutes: back up, a node finds a slot due ten minutes ago and fires it once, not ten times.
        var back = App.Clock.GetUtcNow().UtcDateTime;
        await App.WithDbAsync(db => db.Schedules.Where(x => x.TenantId == tenantId)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.NextDueUtc, back.AddMinutes(-10))));
        await RunClockToAsync(tenantId, back.AddSeconds(30));
        Assert.Equal(5, (await AutoRunsAsync(user, tenantId)).Count);
    }

    [Fact]
    public async Task An_auto_slot_that_finds_a_run_active_does_not_start_one_and_auto_runs_leave_failed_documents()
    {
        var (tenantId, user, _) = await ConnectedTenantAsync();
        var contact = await NewContactAsync(user, tenantId);
        var sale = await NewSaleAsync(user, tenantId, contact.Id, "INV-A1");
        await (await user.PutJsonAsync($"{TenantPath(tenantId)}/sales/{sale.Id}/invoices/{sale.Invoices[0].Id}", new
        {
            invoiceNumber = "INV-A1", date = "2026-11-02", currencyCode = "NZD",
                lines = new[] { new { description = "x", quantity = 1m, unitAmount = 1m, accountCode = "999" } },
        })).ReadNodeAsync();
        await AuthoriseAsync(user, tenantId, sale.Invoices[0]);
        var manual = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));
        Assert.Equal(1, manual.Failed);

        // A manual run is active when the first slot comes (Xero holds its call's answer): that slot starts nothing.
        ClockToSecond50();
        var first = await EveryMinuteAsync(user, tenantId, App.Clock);
        await Xero.Xero.FaultAsync("hang", method: "POST", path: "/Invoices");
        var active = await SyncNowAsync(user, tenantId);
        await Xero.Nodes.UntilAsync(() => Task.FromResult(Xero.Xero.Hanging == 1), "the run's call is held");
        await Xero.Nodes.UntilAsync(() => App.WithDbAsync(db => db.Activity.AnyAsync(a => a.TenantId == tenantId && a.Type == "SlotSkipped")),
            "the first slot was skipped");
        Assert.Empty(await AutoRunsAsync(user, tenantId));

        await FinishAsync(user, tenantId, active);
        var next = await App.WithDbAsync(db => db.Schedules.Where(x => x.TenantId == tenantId).Select(x => x.NextDueUtc).SingleAsync());
        await RunClockToAsync(tenantId, next);
        // The slot that follows the run may have come as it finished: one auto run or two, each leaving the failed
        // invoice alone (only a manual run retries it).
        var autos = await AutoRunsAsync(user, tenantId);
        Assert.NotEmpty(autos);
        Assert.All(autos, auto => Assert.Equal((RunState.Succeeded, 0, 0), (auto.State, auto.Synced, auto.Failed)));
    }

    [Fact]
    public async Task The_demo_seeds_a_connected_tenant_whose_documents_sync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var seeder = new InventorySync.Silo.Demo.DemoSeeder(scope.ServiceProvider,
            App.Service<IHttpClientFactory>(), App.Clock);
        var seeded = await seeder.SeedAsync(new Uri("http://localhost"), CancellationToken.None);
        Assert.NotNull(seeded);
        var tenantId = seeded.Value;
        Assert.Equal(ConnectionStatus.Connected,
            (await (await Admin.GetAsync($"{TenantPath(tenantId)}/xero/connection")).ReadAsync<XeroConnectionResponse>()).Status);
        var settings = await (await Admin.GetAsync($"{TenantPath(tenantId)}/settings")).ReadAsync<TenantSettingsDto>();
        Assert.Equal((true, 1, FrequencyUnit.Minutes), (settings.AutoSync!.Enabled!.Value,
            settings.AutoSync.Every!.Value, settings.AutoSync.Unit!.Value));

        var run = await FinishAsync(Admin, tenantId, await SyncNowAsync(Admin, tenantId));
        // 3 contacts, 3 sale invoices, 1 bill, 1 payment.
        Assert.Equal((RunState.Succeeded, 8), (run.State, run.Synced));
    }

    [Fact]
    public async Task Syncing_a_tenant_that_is_not_connected_is_refused()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        await (await user.PostAsync($"{TenantPath(tenantId)}/sync", null)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(0, await App.WithDbAsync(db => db.Runs.CountAsync(r => r.TenantId == tenantId)));
    }
}

public sealed class SyncTests_Sqlite(SqliteXeroApp fixture) : SyncTests(fixture), IClassFixture<SqliteXeroApp>;

public sealed class SyncTests_Postgres(PostgresXeroApp fixture) : SyncTests(fixture), IClassFixture<PostgresXeroApp>;
