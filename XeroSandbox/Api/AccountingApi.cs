using InventorySync.Xero.Models;
using InventorySync.XeroSandbox.State;

namespace InventorySync.XeroSandbox.Api;

/// <summary>The Accounting API at /api.xro/2.0, behind <see cref="AccountingGateway"/>.</summary>
public static class AccountingApi
{
    public const string Base = "/api.xro/2.0";

    public static Org OrgOf(HttpContext http) => (Org)http.Items[AccountingGateway.OrgItem]!;

    public static void MapAccountingApi(this WebApplication app)
    {
        app.UseWhen(c => c.Request.Path.StartsWithSegments(Base), a => a.UseMiddleware<AccountingGateway>());
        var api = app.MapGroup(Base).DisableAntiforgery();

        api.MapGet("/Organisation", (HttpContext h, SandboxState s) =>
        {
            var org = OrgOf(h);
            return Results.Json(Envelope.Write("Organisations", [new Organisation
            {
                OrganisationID = org.Id, Name = org.Name, LegalName = org.Name, BaseCurrency = org.BaseCurrency, CountryCode = "NZ",
                OrganisationType = "COMPANY", OrganisationStatus = "ACTIVE", Timezone = "NEWZEALANDSTANDARDTIME", ShortCode = "!" + org.Id.ToString("N")[..5],
            }]), XeroJson.Options);
        });
        api.MapGet("/Accounts", (HttpContext h, SandboxState s) => Queries.List(h, s, "Accounts", o => o.Accounts.Select(a => (a.AccountID!.Value, a))));

        MapDocuments<Contact>(api, "Contacts", "ContactID", o => o.Contacts, DocumentRules.Contact, ("IDs", c => c.ContactID?.ToString()));
        MapDocuments<Invoice>(api, "Invoices", "InvoiceID", o => o.Invoices, DocumentRules.Invoice,
            ("IDs", i => i.InvoiceID?.ToString()), ("InvoiceNumbers", i => i.InvoiceNumber), ("Statuses", i => i.Status), ("ContactIDs", i => i.Contact?.ContactID?.ToString()));
        MapDocuments<CreditNote>(api, "CreditNotes", "CreditNoteID", o => o.CreditNotes, DocumentRules.CreditNote, ("IDs", n => n.CreditNoteID?.ToString()));
        MapDocuments<BankTransaction>(api, "BankTransactions", "BankTransactionID", o => o.BankTransactions, DocumentRules.BankTransaction, ("IDs", b => b.BankTransactionID?.ToString()));
        MapDocuments<Payment>(api, "Payments", "PaymentID", o => o.Payments, DocumentRules.Payment, ("IDs", p => p.PaymentID?.ToString()));
        // POST /Payments/{id} {"Status":"DELETED"} is how Xero removes a payment.
        api.MapPost("/Payments/{id:guid}", async (Guid id, HttpContext h, SandboxState s) =>
        {
            var body = await h.Request.ReadFromJsonAsync<Payment>(XeroJson.Options);
            var org = OrgOf(h);
            lock (s.Gate)
            {
                if (!org.Payments.TryGetValue(id, out var payment)) return Errors.NotFound("Payment");
                if (body?.Status != "DELETED") return Errors.Validation("Only Status DELETED can be set on an existing payment.");
                if (payment.Status == "DELETED") return Errors.Validation("The payment has already been deleted.");
                DocumentRules.Allocate(org, payment, -1, s.Now);
                payment.Status = "DELETED";
                payment.UpdatedDateUTC = XeroJson.Timestamp(s.Now);
                org.UpdatedAt[id] = s.Now;
                return Results.Json(Envelope.Write("Payments", [payment]), XeroJson.Options);
            }
        });

        api.MapAttachmentsApi();
    }

    private static void MapDocuments<T>(RouteGroupBuilder api, string name, string idName, Func<Org, Dictionary<Guid, T>> store,
        Func<Org, T, BatchContext, DateTime, Prepared> prepare, params (string, Func<T, string?>)[] filters) where T : class
    {
        api.MapGet($"/{name}", (HttpContext h, SandboxState s) => Queries.List(h, s, name, o => store(o).Select(kv => (kv.Key, kv.Value)), filters));
        api.MapGet($"/{name}/{{id:guid}}", (Guid id, HttpContext h, SandboxState s) =>
        {
            lock (s.Gate)
                return store(OrgOf(h)).TryGetValue(id, out var found)
                    ? Results.Json(Envelope.Write(name, [found]), XeroJson.Options)
                    : Errors.NotFound($"{name[..^1]} {id}");
        });
        Func<HttpContext, SandboxState, Task<IResult>> batch = (h, s) => Batches.HandleAsync<T>(h, s, name, (o, e, b) => prepare(o, e, b, s.Now));
        api.MapPut($"/{name}", batch);
        api.MapPost($"/{name}", batch);
        if (typeof(T) != typeof(Payment))
            api.MapPost($"/{name}/{{id:guid}}", async (Guid id, HttpContext h, SandboxState s) =>
            {
                return await Batches.HandleAsync<T>(h, s, name, (o, e, b) =>
                {
                    typeof(T).GetProperty(idName)!.SetValue(e, id);
                    return prepare(o, e, b, s.Now);
                });
            });
    }
}
