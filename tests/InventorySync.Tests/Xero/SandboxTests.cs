using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using InventorySync.Tests.Infrastructure;
using InventorySync.Xero;
using InventorySync.Xero.Models;
using InventorySync.XeroSandbox.State;

namespace InventorySync.Tests.Xero;

// MailKit brings BouncyCastle's top-level "Org" namespace; the emulator's organisation keeps its short name here.
using Org = InventorySync.XeroSandbox.State.Org;

/// <summary>The emulator keeps Xero's rules: tokens, tenants, limits, idempotency, validation, paging.</summary>
public sealed class SandboxTests(XeroFixture fixture) : EmulatorTest(fixture), IClassFixture<XeroFixture>
{
    [Fact]
    public async Task Refresh_tokens_rotate_and_the_previous_one_has_a_30_minute_grace()
    {
        var (org, access, refresh) = await ConnectAsync();
        var first = await Xero.Identity.RefreshAsync(refresh, CancellationToken.None);
        Assert.NotEqual(refresh, first.RefreshToken);
        Assert.Equal(Xero.Clock.GetUtcNow().UtcDateTime.AddMinutes(30), first.ExpiresAt);

        Xero.Clock.Advance(TimeSpan.FromMinutes(29));
        var again = await Xero.Identity.RefreshAsync(refresh, CancellationToken.None);
        Assert.NotEqual(first.RefreshToken, again.RefreshToken);
        Xero.Clock.Advance(TimeSpan.FromMinutes(2));
        await Assert.ThrowsAsync<XeroInvalidGrantException>(() => Xero.Identity.RefreshAsync(refresh,
            CancellationToken.None));

        // Access tokens live 30 minutes.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Xero.Raw.SendAsync(Call(HttpMethod.Get, "Organisation", org,
            access))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Xero.Raw.SendAsync(Call(HttpMethod.Get, "Organisation", org,
            again.AccessToken))).StatusCode);

        (await Xero.Raw.PostAsync("/sandbox/refresh-tokens/revoke", null)).EnsureSuccessStatusCode();
        await Assert.ThrowsAsync<XeroInvalidGrantException>(() => Xero.Identity.RefreshAsync(again.RefreshToken,
            CancellationToken.None));
    }

    [Fact]
    public async Task Calls_need_a_connected_tenant_and_a_deleted_connection_ends_access()
    {
        var (org, access, _) = await ConnectAsync();
        var other = Xero.State.AddOrganisation("Not connected");
        Assert.Equal(HttpStatusCode.Forbidden, (await Xero.Raw.SendAsync(Call(HttpMethod.Get, "Organisation", null,
            access))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Xero.Raw.SendAsync(Call(HttpMethod.Get, "Organisation", other,
            access))).StatusCode);
        var body = await Json(await Xero.Raw.SendAsync(Call(HttpMethod.Get, "Organisation", org, access)));
        Assert.Equal(org.Id.ToString(), (string?)body["Organisations"]![0]!["OrganisationID"]);

        var connection = (await Xero.Identity.GetConnectionsAsync(access, CancellationToken.None)).Single();
        Assert.Equal(("ORGANISATION", org.Name), (connection.TenantType, connection.TenantName));
        await Xero.Identity.DeleteConnectionAsync(access, connection.Id, CancellationToken.None);
        Assert.Equal(HttpStatusCode.Forbidden, (await Xero.Raw.SendAsync(Call(HttpMethod.Get, "Organisation", org,
            access))).StatusCode);
    }

    [Fact]
    public async Task The_minute_and_day_limits_answer_429_with_the_problem_and_when_to_retry()
    {
        var (org, access, _) = await ConnectAsync();
        org.DayLimit = 70;
        for (var i = 1; i <= 60; i++)
        {
            var ok = await Xero.Raw.SendAsync(Call(HttpMethod.Get, "Accounts", org, access));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal((60 - i).ToString(), ok.Headers.GetValues("X-MinLimit-Remaining").Single());
            Assert.Equal((70 - i).ToString(), ok.Headers.GetValues("X-DayLimit-Remaining").Single());
            Assert.True(int.Parse(ok.Headers.GetValues("X-AppMinLimit-Remaining").Single()) < 10_000);
            Xero.Clock.Advance(TimeSpan.FromMilliseconds(500));
        }
        var limited = await Xero.Raw.SendAsync(Call(HttpMethod.Get, "Accounts", org, access));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("minute", limited.Headers.GetValues("X-Rate-Limit-Problem").Single());
        Assert.Equal(TimeSpan.FromSeconds(30), limited.Headers.RetryAfter!.Delta);

        // A minute after the last call the whole window has passed; 10 calls later the day's 70 are spent.
        Xero.Clock.Advance(TimeSpan.FromSeconds(60));
        for (var i = 0; i < 10; i++) Assert.Equal(HttpStatusCode.OK, (await Xero.Raw.SendAsync(Call(HttpMethod.Get,
            "Accounts", org, access))).StatusCode);
        var spent = await Xero.Raw.SendAsync(Call(HttpMethod.Get, "Accounts", org, access));
        Assert.Equal(HttpStatusCode.TooManyRequests, spent.StatusCode);
        Assert.Equal("daily", spent.Headers.GetValues("X-Rate-Limit-Problem").Single());
    }

    [Fact]
    public async Task A_sixth_call_at_once_is_refused_as_concurrent()
    {
        var (org, access, _) = await ConnectAsync();
        await Xero.FaultAsync("hang", 5);
        using var cancel = new CancellationTokenSource();
        var hanging = Enumerable.Range(0, 5).Select(_ => Xero.Raw.SendAsync(Call(HttpMethod.Get, "Accounts", org,
            access), cancel.Token)).ToList();
        for (var spins = 0; InFlight(org) < 5; spins++)
        {
            Assert.True(spins < 1_000_000, "the five hanging calls never reached the emulator");
            await Task.Yield();
        }
        var sixth = await Xero.Raw.SendAsync(Call(HttpMethod.Get, "Accounts", org, access));
        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        Assert.Equal("concurrent", sixth.Headers.GetValues("X-Rate-Limit-Problem").Single());
        await cancel.CancelAsync();
        foreach (var call in hanging) await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    private int InFlight(Org org)
    {
        lock (Xero.State.Gate) return org.InFlight;
    }

    [Fact]
    public async Task An_idempotency_key_replays_its_first_answer_for_six_minutes()
    {
        var (org, access, _) = await ConnectAsync();
        var body = new { Invoices = new[] { Invoice("IDEM-1") } };
        var first = await Json(await Xero.Raw.SendAsync(Call(HttpMethod.Put, "Invoices?summarizeErrors=false", org,
            access, body, "key-1")));
        var replay = await Xero.Raw.SendAsync(Call(HttpMethod.Put, "Invoices?summarizeErrors=false", org, access, body,
            "key-1"));
        Assert.True(replay.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(first.ToJsonString(), (await Json(replay)).ToJsonString());
        Assert.Single(org.Invoices);

        var changed = await Xero.Raw.SendAsync(Call(HttpMethod.Put, "Invoices?summarizeErrors=false", org, access,
            new { Invoices = new[] { Invoice("IDEM-2") } }, "key-1"));
        Assert.Equal("ValidationException", (string?)(await Json(changed, HttpStatusCode.BadRequest))["Type"]);

        Xero.Clock.Advance(TimeSpan.FromMinutes(6) + TimeSpan.FromSeconds(1));
        var late = await Json(await Xero.Raw.SendAsync(Call(HttpMethod.Put, "Invoices?summarizeErrors=false", org,
            access, body, "key-1")));
        Assert.Equal("Invoice # must be unique.", (string?)late["Invoices"]![0]!["ValidationErrors"]![0]!["Message"]);
    }

    [Fact]
    public async Task Batches_fail_element_by_element_or_whole_as_summarizeErrors_says()
    {
        var (org, access, _) = await ConnectAsync();
        var mixed = new { Invoices = new[] { Invoice("B-1"), Invoice("B-1"), Invoice("B-2") } };
        var each = await Json(await Xero.Raw.SendAsync(Call(HttpMethod.Put, "Invoices?summarizeErrors=false", org,
            access, mixed)));
        Assert.Equal(["OK", "ERROR", "OK"],
            each["Invoices"]!.AsArray().Select(i => (string?)i!["StatusAttributeString"]));
        Assert.Equal(2, org.Invoices.Count);
        var stored = each["Invoices"]![0]!;
        Assert.Equal((20.00m, 3.00m, 23.00m, 23.00m), ((decimal)stored["SubTotal"]!, (decimal)stored["TotalTax"]!,
            (decimal)stored["Total"]!, (decimal)stored["AmountDue"]!));
        Assert.Matches(@"^/Date\(\d+\+0000\)/$", (string)stored["Date"]!);

        var whole = await Json(await Xero.Raw.SendAsync(Call(HttpMethod.Put, "Invoices", org, access,
            new { Invoices = new[] { Invoice("B-3"), Invoice("B-1") } })), HttpStatusCode.BadRequest);
        Assert.Equal(("ValidationException", 10), ((string?)whole["Type"], (int)whole["ErrorNumber"]!));
        Assert.Equal("Invoice # must be unique.", (string?)whole["Elements"]![0]!["ValidationErrors"]![0]!["Message"]);
        Assert.Equal(2, org.Invoices.Count);
    }

    [Fact]
    public async Task Payments_apply_only_to_authorised_documents_within_what_is_due_and_to_accounts_that_take_payments()
    {
        var (org, access, _) = await ConnectAsync();
        var created = await Json(await Xero.Raw.SendAsync(Call(HttpMethod.Put, "Invoices?summarizeErrors=false", org,
            access,
            new { Invoices = new[] { Invoice("P-1"), Invoice("P-2", status: "DRAFT") } })));
        var authorised = Guid.Parse((string)created["Invoices"]![0]!["InvoiceID"]!);
        var draft = Guid.Parse((string)created["Invoices"]![1]!["InvoiceID"]!);
        object Pay(Guid invoice, decimal amount, string account) => new { Invoice = new { InvoiceID = invoice },
            Account = new { Code = account }, Date = "2026-11-03", Amount = amount };

        var answer = await Json(await Xero.Raw.SendAsync(Call(HttpMethod.Put, "Payments?summarizeErrors=false", org,
            access, new
        {
            Payments = new[] { Pay(authorised, 22m, "090"), Pay(authorised, 5m, "090"), Pay(draft, 1m, "090"),
                Pay(authorised, 1m, "200"), Pay(authorised, 1m, "840") },
        })));
        var results = answer["Payments"]!.AsArray();
        Assert.Equal(["OK", "ERROR", "ERROR", "ERROR", "OK"],
            results.Select(p => (string?)p!["StatusAttributeString"]));
        Assert.Contains("exceeds the amount outstanding", (string?)results[1]!["ValidationErrors"]![0]!["Message"]);
        Assert.Contains("AUTHORISED", (string?)results[2]!["ValidationErrors"]![0]!["Message"]);
        Assert.Contains("bank accounts", (string?)results[3]!["ValidationErrors"]![0]!["Message"]);
        Assert.Equal(("PAID", 0m), (org.Invoices[authorised].Status, org.Invoices[authorised].AmountDue!.Value));

        // A paid invoice cannot be edited; deleting its payment reopens it.
        var edit = await Json(await Xero.Raw.SendAsync(Call(HttpMethod.Post,
            $"Invoices/{authorised}?summarizeErrors=false", org, access, new { Reference = "changed" })));
        Assert.Equal("ERROR", (string?)edit["Invoices"]![0]!["StatusAttributeString"]);
        var paymentId = (string)results[0]!["PaymentID"]!;
        await Json(await Xero.Raw.SendAsync(Call(HttpMethod.Post, $"Payments/{paymentId}", org, access,
            new { Status = "DELETED" })));
        Assert.Equal(("AUTHORISED", 22m), (org.Invoices[authorised].Status, org.Invoices[authorised].AmountDue!.Value));
    }

    [Fact]
    public async Task Lists_page_up_to_1000_and_filter_as_Xero_does()
    {
        var (org, access, _) = await ConnectAsync();
        var invoices = Enumerable.Range(1, 250).Select(i => Invoice($"PG-{i:000}",
            status: i % 2 == 0 ? "AUTHORISED" : "DRAFT")).ToArray();
        await Json(await Xero.Raw.SendAsync(Call(HttpMethod.Put, "Invoices?summarizeErrors=false", org, access,
            new { Invoices = invoices })));

        var page3 = await Json(await Xero.Raw.SendAsync(Call(HttpMethod.Get, "Invoices?page=3&pageSize=100", org,
            access)));
        Assert.Equal(50, page3["Invoices"]!.AsArray().Count);
        Assert.Equal((3, 100, 3, 250), ((int)page3["pagination"]!["page"]!, (int)page3["pagination"]!["pageSize"]!,
            (int)page3["pagination"]!["pageCount"]!, (int)page3["pagination"]!["itemCount"]!));
        var big = await Json(await Xero.Raw.SendAsync(Call(HttpMethod.Get, "Invoices?page=1&pageSize=5000", org,
            access)));
        Assert.Equal(1000, (int)big["pagination"]!["pageSize"]!);

        var authorised = await Json(await Xero.Raw.SendAsync(Call(HttpMethod.Get, "Invoices?Statuses=AUTHORISED", org,
            access)));
        Assert.Equal(125, authorised["Invoices"]!.AsArray().Count);
        var where = await Json(await Xero.Raw.SendAsync(Call(HttpMethod.Get,
            "Invoices?where=" + Uri.EscapeDataString("Type==\"ACCREC\" AND InvoiceNumber==\"PG-007\""), org, access)));
        Assert.Equal("PG-007", (string?)Assert.Single(where["Invoices"]!.AsArray())!["InvoiceNumber"]);
        var numbers = await Json(await Xero.Raw.SendAsync(Call(HttpMethod.Get, "Invoices?InvoiceNumbers=PG-001,PG-002",
            org, access)));
        Assert.Equal(2, numbers["Invoices"]!.AsArray().Count);

        Xero.Clock.Advance(TimeSpan.FromMinutes(1));
        var since = Xero.Clock.GetUtcNow();
        await Json(await Xero.Raw.SendAsync(Call(HttpMethod.Put, "Invoices?summarizeErrors=false", org, access,
            new { Invoices = new[] { Invoice("PG-NEW") } })));
        var modified = Call(HttpMethod.Get, "Invoices", org, access);
        modified.Headers.IfModifiedSince = since;
        Assert.Equal("PG-NEW",
            (string?)Assert.Single((await Json(await Xero.Raw.SendAsync(modified)))["Invoices"]!.AsArray())!["InvoiceNumber"]);
    }

    [Fact]
    public async Task A_document_takes_at_most_ten_attachments_of_at_most_10_MB()
    {
        var (org, access, _) = await ConnectAsync();
        var created = await Json(await Xero.Raw.SendAsync(Call(HttpMethod.Put, "Invoices?summarizeErrors=false", org,
            access, new { Invoices = new[] { Invoice("AT-1") } })));
        var id = (string)created["Invoices"]![0]!["InvoiceID"]!;
        HttpRequestMessage Upload(string name, int size)
        {
            var request = Call(HttpMethod.Put, $"Invoices/{id}/Attachments/{name}", org, access);
            request.Content = new ByteArrayContent(new byte[size]);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            return request;
        }
        for (var i = 0; i < 10; i++) await Json(await Xero.Raw.SendAsync(Upload($"file{i}.pdf", 100)));
        await Json(await Xero.Raw.SendAsync(Upload("eleventh.pdf", 100)), HttpStatusCode.BadRequest);
        await Json(await Xero.Raw.SendAsync(Upload("huge.pdf", 10 * 1024 * 1024 + 1)), HttpStatusCode.BadRequest);
        var list = await Json(await Xero.Raw.SendAsync(Call(HttpMethod.Get, $"Invoices/{id}/Attachments", org,
            access)));
        Assert.Equal(10, list["Attachments"]!.AsArray().Count);
    }

    [Fact]
    public async Task Drafts_are_deleted_approved_documents_voided_and_other_rules_hold()
    {
        var (org, access, _) = await ConnectAsync();
        var created = await Json(await Xero.Raw.SendAsync(Call(HttpMethod.Put, "Invoices?summarizeErrors=false", org,
            access,
            new { Invoices = new[] { Invoice("L-1", status: "DRAFT"), Invoice("L-2") } })));
        var draft = (string)created["Invoices"]![0]!["InvoiceID"]!;
        var approved = (string)created["Invoices"]![1]!["InvoiceID"]!;
        async Task<string?> Set(string id, string status) => (string?)(await Json(await Xero.Raw.SendAsync(
            Call(HttpMethod.Post, $"Invoices/{id}?summarizeErrors=false", org, access,
                new { Status = status }))))["Invoices"]![0]!["StatusAttributeString"];
        Assert.Equal("ERROR", await Set(draft, "VOIDED"));
        Assert.Equal("OK", await Set(draft, "DELETED"));
        Assert.Equal("ERROR", await Set(approved, "DELETED"));
        Assert.Equal("ERROR", await Set(approved, "DRAFT"));
        Assert.Equal("OK", await Set(approved, "VOIDED"));
        Assert.Equal("ERROR", await Set(approved, "AUTHORISED"));
        // A deleted draft frees its number.
        Assert.Equal("OK", (string?)(await Json(await Xero.Raw.SendAsync(Call(HttpMethod.Put,
            "Invoices?summarizeErrors=false", org, access,
            new { Invoices = new[] { Invoice("L-1") } }))))["Invoices"]![0]!["StatusAttributeString"]);

        var contacts = await Json(await Xero.Raw.SendAsync(Call(HttpMethod.Put, "Contacts?summarizeErrors=false", org,
            access,
            new { Contacts = new[] { new { Name = "Dup" }, new { Name = "dup" } } })));
        Assert.Contains("must be unique", (string?)contacts["Contacts"]![1]!["ValidationErrors"]![0]!["Message"]);

        var spend = await Json(await Xero.Raw.SendAsync(Call(HttpMethod.Put, "BankTransactions?summarizeErrors=false",
            org, access, new
        {
            BankTransactions = new[]
            {
                new { Type = "SPEND", Contact = new { Name = "Dup" }, BankAccount = new { Code = "200" },
                      LineItems = new[] { new { Description = "x", Quantity = 1m, UnitAmount = 5m,
                          AccountCode = "640" } } },
            },
        })));
        Assert.Contains("must be a bank account",
            (string?)spend["BankTransactions"]![0]!["ValidationErrors"]![0]!["Message"]);

        var missing = await Json(await Xero.Raw.SendAsync(Call(HttpMethod.Get, $"Invoices/{Guid.NewGuid()}", org,
            access)), HttpStatusCode.NotFound);
        Assert.Contains("could not be found", (string?)missing["Message"]);

        await Xero.FaultAsync("slow", 1, delayMilliseconds: 5000);
        var before = Xero.Clock.GetUtcNow();
        var slow = await Xero.RunAsync(Xero.Raw.SendAsync(Call(HttpMethod.Get, "Organisation", org, access)));
        Assert.Equal(HttpStatusCode.OK, slow.StatusCode);
        Assert.True(Xero.Clock.GetUtcNow() - before >= TimeSpan.FromSeconds(5));
    }
}
