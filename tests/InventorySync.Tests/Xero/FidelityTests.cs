using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using InventorySync.Tests.Infrastructure;
using InventorySync.Xero.Models;
using InventorySync.XeroSandbox.State;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace InventorySync.Tests.Xero;

// MailKit brings BouncyCastle's top-level "Org" namespace; the emulator's organisation keeps its short name here.
using Org = InventorySync.XeroSandbox.State.Org;

/// <summary>
/// The emulator against Xero's description, as a client that is not ours sees it: what it does not model is refused
/// by name, and the common reads answer as Xero's do (issue 16).
/// </summary>
public sealed class FidelityTests(XeroFixture fixture) : EmulatorTest(fixture), IClassFixture<XeroFixture>
{
    /// <summary>Every reason given for the first element refused.</summary>
    private static string Message(JsonNode refusal) => string.Join(" | ",
        refusal["Elements"]![0]!["ValidationErrors"]!.AsArray().Select(e => (string)e!["Message"]!));

    [Fact]
    public async Task A_field_or_a_parameter_the_emulator_does_not_model_is_refused_by_name()
    {
        var (org, access, _) = await ConnectAsync();
        var tracked = new
        {
            Type = "ACCREC", Contact = new { Name = "Tracked" }, Date = "2026-11-02",
            LineItems = new[] { new { Description = "x", Quantity = 1m, UnitAmount = 1m,
                Tracking = new[] { new { Name = "Region" } } } },
        };
        var refused = await SendAsync(Call(HttpMethod.Put, "Invoices", org, access,
            new { Invoices = new[] { tracked } }),
            HttpStatusCode.BadRequest);
        Assert.Contains("LineItem.Tracking is not emulated", Message(refused));
        var addressed = new { Name = "Addressed", Addresses = new[] { new { City = "Wellington" } } };
        Assert.Contains("Contact.Addresses is not emulated", Message(await SendAsync(
            Call(HttpMethod.Put, "Contacts", org, access, addressed), HttpStatusCode.BadRequest)));
        Assert.Contains("'includeArchived' is not emulated", Message(await SendAsync(
            Call(HttpMethod.Get, "Contacts?includeArchived=true", org, access), HttpStatusCode.BadRequest)));
        lock (org.DocumentsGate) Assert.DoesNotContain(org.Contacts.Values, c => c.Name is "Tracked" or "Addressed");
    }

    [Fact]
    public async Task Discounts_and_unit_decimals_make_the_totals_as_Xero_does()
    {
        var (org, access, _) = await ConnectAsync();
        object Line(object extra) => extra;
        var invoice = new
        {
            Type = "ACCREC", Contact = new { Name = "Discounted" }, Date = "2026-11-02", Status = "AUTHORISED",
            LineItems = new[]
            {
                Line(new { Description = "Rate", Quantity = 3m, UnitAmount = 10m, DiscountRate = 10m,
                    AccountCode = "200", TaxType = "OUTPUT" }),
                Line(new { Description = "Amount", Quantity = 1m, UnitAmount = 20m, DiscountAmount = 5m,
                    AccountCode = "200", TaxType = "OUTPUT" }),
                Line(new { Description = "Rounded", Quantity = 2m, UnitAmount = 1.23456m, AccountCode = "200",
                    TaxType = "NONE" }),
            },
        };
        var stored = (await SendAsync(Call(HttpMethod.Put, "Invoices", org, access, invoice)))["Invoices"]![0]!;
        // 27.00 + 15.00 + 2 × 1.23; tax 15 % of 42.00.
        Assert.Equal((27.00m, 15.00m, 2.46m), ((decimal)stored["LineItems"]![0]!["LineAmount"]!,
            (decimal)stored["LineItems"]![1]!["LineAmount"]!, (decimal)stored["LineItems"]![2]!["LineAmount"]!));
        Assert.Equal((44.46m, 6.30m, 50.76m),
            ((decimal)stored["SubTotal"]!, (decimal)stored["TotalTax"]!, (decimal)stored["Total"]!));
        var read = (await SendAsync(Call(HttpMethod.Get, $"Invoices/{stored["InvoiceID"]}", org,
            access)))["Invoices"]![0]!;
        Assert.True((bool)read["IsDiscounted"]!);

        var precise = new
        {
            Type = "ACCREC", Contact = new { Name = "Discounted" }, Date = "2026-11-02",
            LineItems = new[] { new { Description = "Four places", Quantity = 2m, UnitAmount = 1.23456m,
                AccountCode = "200" } },
        };
        var kept = (await SendAsync(Call(HttpMethod.Put, "Invoices?unitdp=4", org, access, precise)))["Invoices"]![0]!;
        Assert.Equal((1.2346m, 2.47m), ((decimal)kept["LineItems"]![0]!["UnitAmount"]!,
            (decimal)kept["LineItems"]![0]!["LineAmount"]!));
        var path = $"Invoices/{kept["InvoiceID"]}";
        Assert.Equal(1.23m, (decimal)(await SendAsync(Call(HttpMethod.Get, path, org,
            access)))["Invoices"]![0]!["LineItems"]![0]!["UnitAmount"]!);
        Assert.Equal(1.2346m, (decimal)(await SendAsync(Call(HttpMethod.Get, path + "?unitdp=4", org,
            access)))["Invoices"]![0]!["LineItems"]![0]!["UnitAmount"]!);

        var bill = new
        {
            Type = "ACCPAY", Contact = new { Name = "Discounted" }, Date = "2026-11-02",
            LineItems = new[] { new { Description = "x", Quantity = 1m, UnitAmount = 10m, DiscountRate = 5m,
                DiscountAmount = 1m } },
        };
        var refused = Message(await SendAsync(Call(HttpMethod.Put, "Invoices", org, access, bill),
            HttpStatusCode.BadRequest));
        Assert.Contains("Discounts are only supported on sales invoices", refused);
        Assert.Contains("a DiscountRate or a DiscountAmount, not both", refused);
    }

    [Fact]
    public async Task Contacts_keep_names_and_phones_and_lists_search_order_and_filter_as_asked()
    {
        var (org, access, _) = await ConnectAsync();
        var contacts = new object[]
        {
            new { Name = "Zed Ltd", FirstName = "Zoe", LastName = "Zed", IsCustomer = true,
                Phones = new[] { new { PhoneType = "MOBILE", PhoneNumber = "021 555 0101" } } },
            new { Name = "alpha co", FirstName = "Al", LastName = "Pha", IsCustomer = false },
            new { Name = "Mike's Mowers", FirstName = "Mike", LastName = "Mower", IsCustomer = true,
                ContactNumber = "C-42" },
        };
        await SendAsync(Call(HttpMethod.Put, "Contacts", org, access, new { Contacts = contacts }));
        async Task<string[]> Names(string query) => (await SendAsync(Call(HttpMethod.Get, "Contacts?" + query, org,
            access)))
            ["Contacts"]!.AsArray().Select(c => (string)c!["Name"]!).ToArray();

        Assert.Equal(["alpha co", "Mike's Mowers", "Zed Ltd"], await Names("order=Name%20ASC"));
        Assert.Equal(["Zed Ltd", "Mike's Mowers", "alpha co"], await Names("order=Name%20DESC"));
        Assert.Equal(["Mike's Mowers"], await Names("searchTerm=mower"));
        Assert.Equal(["Zed Ltd", "Mike's Mowers"],
            await Names("where=" + Uri.EscapeDataString(
                "Name.StartsWith(\"M\") OR (LastName == \"Zed\" && IsCustomer == true)")));
        Assert.Equal(["alpha co"],
            await Names("where=" + Uri.EscapeDataString("!(IsCustomer == true) AND ContactNumber == null")));
        Assert.Equal(["Mike's Mowers"], await Names("where=" + Uri.EscapeDataString("Name.Contains(\"'S M\")")));

        var zed = (await SendAsync(Call(HttpMethod.Get, "Contacts?searchTerm=zoe", org, access)))["Contacts"]![0]!;
        Assert.Equal(("Zoe", "Zed", "MOBILE", "021 555 0101"), ((string)zed["FirstName"]!, (string)zed["LastName"]!,
            (string)zed["Phones"]![0]!["PhoneType"]!, (string)zed["Phones"]![0]!["PhoneNumber"]!));
        Assert.Null((await SendAsync(Call(HttpMethod.Get, "Contacts?summaryOnly=true&searchTerm=zoe", org,
            access)))["Contacts"]![0]!["Phones"]);

        foreach (var (query, part) in new[]
                 {
                     ("where=" + Uri.EscapeDataString("Name ~= \"x\""), "not understood at '~='"),
                     ("where=" + Uri.EscapeDataString("Nmae == \"x\""), "no field 'Nmae'"),
                     ("where=" + Uri.EscapeDataString("Name.ToLower() == \"x\""), "'ToLower() == \"x\"'"),
                     ("order=" + Uri.EscapeDataString("Name UP"), "'Name UP'"),
                 })
            Assert.Contains(part, Message(await SendAsync(Call(HttpMethod.Get, "Contacts?" + query, org, access),
                HttpStatusCode.BadRequest)));

        var phone = new { Name = "Bad Phone", Phones = new[] { new { PhoneType = "PAGER", PhoneNumber = "1" } } };
        Assert.Contains("PhoneType 'PAGER'", Message(await SendAsync(Call(HttpMethod.Put, "Contacts", org, access,
            phone), HttpStatusCode.BadRequest)));
    }

    [Fact]
    public async Task Invoices_filter_by_typed_values_and_a_contact_is_found_by_its_number()
    {
        var (org, access, _) = await ConnectAsync();
        await SendAsync(Call(HttpMethod.Put, "Contacts", org, access, new { Name = "Numbered",
            ContactNumber = "C-7" }));
        var byNumber = new
        {
            Type = "ACCREC", Contact = new { ContactNumber = "C-7" }, InvoiceNumber = "TY-1", Date = "2026-11-05",
                Status = "AUTHORISED",
            LineItems = new[] { new { Description = "x", Quantity = 3m, UnitAmount = 10m, AccountCode = "200",
                TaxType = "NONE" } },
        };
        var stored = (await SendAsync(Call(HttpMethod.Put, "Invoices", org, access, byNumber)))["Invoices"]![0]!;
        var contactId = (string)stored["Contact"]!["ContactID"]!;
        lock (org.DocumentsGate) Assert.Equal("Numbered", org.Contacts[Guid.Parse(contactId)].Name);
        await SendAsync(Call(HttpMethod.Put, "Invoices", org, access, Invoice("TY-2", unit: 5m)));
        var unknown = new { Type = "ACCREC", Contact = new { ContactNumber = "C-404" }, Date = "2026-11-05" };
        Assert.Contains("ContactNumber C-404 could not be found",
            Message(await SendAsync(Call(HttpMethod.Put, "Invoices", org, access, unknown),
                HttpStatusCode.BadRequest)));

        async Task<string[]> Numbers(string where) => (await SendAsync(Call(HttpMethod.Get,
                "Invoices?order=InvoiceNumber&where=" + Uri.EscapeDataString(where), org, access)))
            ["Invoices"]!.AsArray().Select(i => (string)i!["InvoiceNumber"]!).ToArray();
        Assert.Equal(["TY-1"], await Numbers("Total >= 20 AND Date >= DateTime(2026, 11, 05)"));
        Assert.Equal(["TY-2"], await Numbers("Total < 20.5"));
        Assert.Equal(["TY-1"], await Numbers($"Contact.ContactID == Guid(\"{contactId}\")"));
        Assert.Equal(["TY-1", "TY-2"],
            await Numbers(
                "Date > DateTime(2026,11,01,23,59,59) AND InvoiceNumber.EndsWith(\"1\") || InvoiceNumber != \"TY-1\""));
        Assert.Equal(["TY-2"], (await SendAsync(Call(HttpMethod.Get, "Invoices?searchTerm=ty-2", org, access)))
            ["Invoices"]!.AsArray().Select(i => (string)i!["InvoiceNumber"]!).ToArray());
        Assert.Null((await SendAsync(Call(HttpMethod.Get, "Invoices?summaryOnly=true&searchTerm=ty-2", org,
            access)))["Invoices"]![0]!["LineItems"]);
    }

    [Fact]
    public async Task An_invoice_read_carries_its_payments_credit_notes_attachments_and_full_contact()
    {
        var (org, access, _) = await ConnectAsync();
        await SendAsync(Call(HttpMethod.Put, "Contacts", org, access, new { Name = "Linked",
            EmailAddress = "linked@example.com" }));
        var invoice = (await SendAsync(Call(HttpMethod.Put, "Invoices", org, access, new
        {
            Type = "ACCREC", Contact = new { Name = "Linked" }, InvoiceNumber = "LK-1", Date = "2026-11-02",
                Status = "AUTHORISED",
            LineItems = new[] { new { Description = "x", Quantity = 1m, UnitAmount = 20m, AccountCode = "200",
                TaxType = "NONE" } },
        })))["Invoices"]![0]!;
        var invoiceId = (string)invoice["InvoiceID"]!;
        object Note(string contact) => new
        {
            Type = "ACCRECCREDIT", Contact = new { Name = contact }, Date = "2026-11-03", Status = "AUTHORISED",
            LineItems = new[] { new { Description = "Return", Quantity = 1m, UnitAmount = 6m, AccountCode = "200",
                TaxType = "NONE" } },
        };
        var noteId = (string)(await SendAsync(Call(HttpMethod.Put, "CreditNotes", org, access,
            Note("Linked"))))["CreditNotes"]![0]!["CreditNoteID"]!;
        var otherNoteId = (string)(await SendAsync(Call(HttpMethod.Put, "CreditNotes", org, access,
            Note("Someone Else"))))["CreditNotes"]![0]!["CreditNoteID"]!;
        await SendAsync(Call(HttpMethod.Put, "Payments", org, access, new
        {
            Invoice = new { InvoiceID = invoiceId }, Account = new { Code = "090" }, Date = "2026-11-04", Amount = 5m,
                Reference = "part",
        }));
        object Allocation(decimal amount) => new { Allocations = new[] { new { Amount = amount, Date = "2026-11-05",
            Invoice = new { InvoiceID = invoiceId } } } };
        var allocated = await SendAsync(Call(HttpMethod.Put, $"CreditNotes/{noteId}/Allocations", org, access,
            Allocation(4m)));
        Assert.Equal(4m, (decimal)allocated["Allocations"]![0]!["Amount"]!);
        Assert.Contains("exceeds the credit note's remaining credit",
            Message(await SendAsync(Call(HttpMethod.Put, $"CreditNotes/{noteId}/Allocations", org, access,
                Allocation(3m)), HttpStatusCode.BadRequest)));
        Assert.Contains("same contact",
            Message(await SendAsync(Call(HttpMethod.Put, $"CreditNotes/{otherNoteId}/Allocations", org, access,
                Allocation(1m)), HttpStatusCode.BadRequest)));
        var upload = Call(HttpMethod.Put, $"Invoices/{invoiceId}/Attachments/scan.pdf?IncludeOnline=true", org, access);
        upload.Content = new ByteArrayContent([1, 2, 3]);
        upload.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        var attachment = (await SendAsync(upload))["Attachments"]![0]!;
        Assert.Equal(("application/pdf", true), ((string)attachment["MimeType"]!, (bool)attachment["IncludeOnline"]!));

        var read = (await SendAsync(Call(HttpMethod.Get, $"Invoices/{invoiceId}", org, access)))["Invoices"]![0]!;
        Assert.Equal((5m, "part"), ((decimal)read["Payments"]![0]!["Amount"]!,
            (string)read["Payments"]![0]!["Reference"]!));
        Assert.Equal((noteId, 4m), ((string)read["CreditNotes"]![0]!["CreditNoteID"]!,
            (decimal)read["CreditNotes"]![0]!["AppliedAmount"]!));
        Assert.Equal((11m, 4m, true), ((decimal)read["AmountDue"]!, (decimal)read["AmountCredited"]!,
            (bool)read["HasAttachments"]!));
        Assert.Equal("linked@example.com", (string)read["Contact"]!["EmailAddress"]!);
        var note = (await SendAsync(Call(HttpMethod.Get, $"CreditNotes/{noteId}", org, access)))["CreditNotes"]![0]!;
        Assert.Equal((2m, "AUTHORISED"), ((decimal)note["RemainingCredit"]!, (string)note["Status"]!));
        Assert.Equal(invoiceId, (string)note["Allocations"]![0]!["Invoice"]!["InvoiceID"]!);
        Assert.Empty(note["Payments"]!.AsArray());
    }

    [Fact]
    public async Task Every_error_answers_in_PascalCase_and_every_list_says_when()
    {
        var (org, access, _) = await ConnectAsync();
        static void PascalCase(JsonNode body) => Assert.All(body.AsObject(), p => Assert.True(char.IsUpper(p.Key[0]),
            p.Key));
        PascalCase(await SendAsync(Call(HttpMethod.Get, "Organisation", org, "not-a-token"),
            HttpStatusCode.Unauthorized));
        PascalCase(await SendAsync(Call(HttpMethod.Get, "Organisation", null, access), HttpStatusCode.Forbidden));
        PascalCase(await SendAsync(Call(HttpMethod.Get, $"Invoices/{Guid.NewGuid()}", org, access),
            HttpStatusCode.NotFound));
        foreach (var kind in new[] { "500", "503", "429" })
        {
            lock (Xero.State.Gate) Xero.State.Faults.Add(new Fault(kind, 0));
            PascalCase(await SendAsync(Call(HttpMethod.Get, "Organisation", org, access),
                (HttpStatusCode)int.Parse(kind)));
        }

        var organisation = await SendAsync(Call(HttpMethod.Get, "Organisation", org, access));
        var now = Xero.Clock.GetUtcNow().UtcDateTime;
        Assert.Equal(now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond)),
            XeroJson.ParseTimestamp((string)organisation["DateTimeUTC"]!));
        var o = organisation["Organisations"]![0]!;
        Assert.Equal(("NZ", "INVOICE", 31, 3, false), ((string)o["Version"]!, (string)o["SalesTaxBasis"]!,
            (int)o["FinancialYearEndDay"]!, (int)o["FinancialYearEndMonth"]!, (bool)o["IsDemoCompany"]!));
        Assert.NotNull(XeroJson.ParseTimestamp((string)o["CreatedDateUTC"]!));
    }

    [Fact]
    public async Task The_token_answer_carries_a_signed_id_token_when_openid_is_asked()
    {
        Assert.Null(await IdTokenAsync("accounting.transactions offline_access"));
        var idToken = await IdTokenAsync("openid profile email accounting.transactions offline_access");

        var jwks = new JsonWebKeySet(await Xero.Raw.GetStringAsync(XeroSandbox.Api.IdentityApi.JwksPath));
        var validated = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = "http://localhost", ValidAudience = SandboxState.ClientId,
                IssuerSigningKeys = jwks.GetSigningKeys(),
            LifetimeValidator = (_, _, _, _) => true,
        });
        Assert.True(validated.IsValid, validated.Exception?.Message);
        Assert.Equal((SandboxState.UserEmail, "Sandbox"), ((string)validated.Claims["email"],
            (string)validated.Claims["given_name"]));
    }

    private async Task<string?> IdTokenAsync(string scope)
    {
        var authorize = $"/identity/connect/authorize?response_type=code&client_id={SandboxState.ClientId}"
                        + $"&redirect_uri={Uri.EscapeDataString(XeroFixture.RedirectUri)}"
                        + $"&scope={Uri.EscapeDataString(scope)}&state=s";
        var consent = await Xero.Raw.GetAsync(authorize);
        var code = System.Web.HttpUtility.ParseQueryString(consent.Headers.Location!.Query)["code"]!;
        var token = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = XeroFixture.RedirectUri,
                ["client_id"] = SandboxState.ClientId, ["client_secret"] = SandboxState.ClientSecret,
            }),
        };
        var answer = await Json(await Xero.Raw.SendAsync(token));
        Assert.Equal(scope, (string)answer["scope"]!);
        return (string?)answer["id_token"];
    }
}
