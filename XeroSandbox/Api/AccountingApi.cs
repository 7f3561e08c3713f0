using System.Text.Json;
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
            // A New Zealand company whose financial year ends on 31 March, as Xero's demo company.
            return Answers.List("Organisations", [new Organisation
            {
                OrganisationID = org.Id, Name = org.Name, LegalName = org.Name, BaseCurrency = org.BaseCurrency,
                CountryCode = "NZ", Version = "NZ", OrganisationType = "COMPANY", OrganisationStatus = "ACTIVE",
                IsDemoCompany = false, SalesTaxBasis = "INVOICE", FinancialYearEndDay = 31, FinancialYearEndMonth = 3,
                Timezone = "NEWZEALANDSTANDARDTIME", ShortCode = "!" + org.Id.ToString("N")[..5],
                CreatedDateUTC = XeroJson.Timestamp(org.CreatedAt),
            }], s.Now);
        });
        api.MapGet("/Accounts", (HttpContext h, SandboxState s) => Queries.List(h, s, "Accounts",
            o => o.Accounts.Select(a => (a.AccountID!.Value, a)), new ListOptions<Account>([], [], Paged: false),
            Presentation.AsStored));

        MapDocuments(api, "Contacts", "ContactID", o => o.Contacts, DocumentRules.Contact, Presentation.Contact,
            new ListOptions<Contact>([("IDs", c => c.ContactID?.ToString())],
                [c => c.Name, c => c.FirstName, c => c.LastName, c => c.ContactNumber, c => c.EmailAddress],
                SummaryOnly: true));
        MapDocuments(api, "Invoices", "InvoiceID", o => o.Invoices, DocumentRules.Invoice, Presentation.Invoice,
            new ListOptions<Invoice>(
                [
                    ("IDs", i => i.InvoiceID?.ToString()), ("InvoiceNumbers", i => i.InvoiceNumber),
                    ("Statuses", i => i.Status), ("ContactIDs", i => i.Contact?.ContactID?.ToString()),
                ],
                [i => i.InvoiceNumber, i => i.Reference], UnitDecimals: true, SummaryOnly: true));
        MapDocuments(api, "CreditNotes", "CreditNoteID", o => o.CreditNotes, DocumentRules.CreditNote,
            Presentation.CreditNote, new ListOptions<CreditNote>([], [], UnitDecimals: true));
        MapDocuments(api, "BankTransactions", "BankTransactionID", o => o.BankTransactions,
            DocumentRules.BankTransaction, Presentation.BankTransaction,
            new ListOptions<BankTransaction>([], [], UnitDecimals: true));
        MapDocuments(api, "Payments", "PaymentID", o => o.Payments, DocumentRules.Payment, Presentation.AsStored,
            new ListOptions<Payment>([], []));
        api.MapPut("/CreditNotes/{id:guid}/Allocations", (Guid id, HttpContext h, SandboxState s) =>
            Query.RefuseOthers(h, ["summarizeErrors"]) is { } refused
                ? Task.FromResult(refused)
                : Batches.HandleAsync<Allocation>(h, s, "Allocations", (o, a, b) => DocumentRules.Allocation(o, id, a,
                    b, s.Now)));
        // POST /Payments/{id} {"Status":"DELETED"} is how Xero removes a payment.
        api.MapPost("/Payments/{id:guid}", async (Guid id, HttpContext h, SandboxState s) =>
        {
            if (Query.RefuseOthers(h, []) is { } refused) return refused;
            Payment? body;
            try { body = await RequestJson.ReadAsync<Payment>(h.Request); }
            catch (JsonException e) { return RequestJson.Refused(e); }
            var org = OrgOf(h);
            lock (org.DocumentsGate)
            {
                if (!org.Payments.TryGetValue(id, out var payment)) return Errors.NotFound("Payment");
                if (body?.Status != "DELETED") return Errors.Validation("Only Status DELETED can be set on an existing payment.");
                if (DocumentRules.DeletePayment(org, payment, s.Now) is { } why) return Errors.Validation(why);
                return Answers.List("Payments", [payment], s.Now);
            }
        });

        api.MapAttachmentsApi();
    }

    private static void MapDocuments<T>(RouteGroupBuilder api, string name, string idName,
        Func<Org, Dictionary<Guid, T>> store, Func<Org, T, BatchContext, DateTime, Prepared> prepare,
        Func<Org, T, HttpContext, T> present, ListOptions<T> list) where T : class
    {
        string[] perDocument = list.UnitDecimals ? ["unitdp"] : [];
        api.MapGet($"/{name}", (HttpContext h, SandboxState s) =>
            Queries.List(h, s, name, o => store(o).Select(kv => (kv.Key, kv.Value)), list, present));
        api.MapGet($"/{name}/{{id:guid}}", (Guid id, HttpContext h, SandboxState s) =>
        {
            if (Query.RefuseOthers(h, perDocument) is { } refused) return refused;
            var org = OrgOf(h);
            lock (org.DocumentsGate)
                return store(org).TryGetValue(id, out var found)
                    ? Answers.List(name, [present(org, found, h)], s.Now)
                    : Errors.NotFound($"{name[..^1]} {id}");
        });
        Task<IResult> Batch(HttpContext h, SandboxState s, string[] accepted, Action<T>? identify) =>
            Query.RefuseOthers(h, accepted) is { } refused
                ? Task.FromResult(refused)
                : Batches.HandleAsync<T>(h, s, name, (o, e, b) =>
                {
                    identify?.Invoke(e);
                    return prepare(o, e, b, s.Now);
                });
        api.MapPut($"/{name}", (HttpContext h, SandboxState s) => Batch(h, s, ["summarizeErrors", .. perDocument],
            null));
        api.MapPost($"/{name}", (HttpContext h, SandboxState s) => Batch(h, s, ["summarizeErrors", .. perDocument],
            null));
        if (typeof(T) != typeof(Payment))
            api.MapPost($"/{name}/{{id:guid}}", (Guid id, HttpContext h, SandboxState s) =>
                Batch(h, s, ["summarizeErrors", .. perDocument], e => typeof(T).GetProperty(idName)!.SetValue(e, id)));
    }
}
