using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using InventorySync.Contracts;
using InventorySync.Grains.Activity;
using InventorySync.Grains.Connections;
using InventorySync.Grains.Documents;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using InventorySync.Xero;
using InventorySync.Xero.Client;
using Microsoft.EntityFrameworkCore;
using X = InventorySync.Xero.Models;

namespace InventorySync.Grains.Sync;

/// <summary>
/// One synchronisation of one tenant (S3.5–S3.9): the documents pending up to the run's cut-off, contacts first,
/// then invoices, bills and credit notes, then payments and refunds; batches of up to 50 with summarizeErrors=false;
/// an Idempotency-Key from the documents, versions and action; each document's state and a transaction per document.
/// An auto run leaves documents that failed before for a manual one.
/// </summary>
public sealed class SyncRun(
    AppDb db, XeroApi api, XeroTokenStore tokens, DocumentGrains grains, ActivityLog activity, Alerts.Alerts alerts,
    SyncMetrics metrics, TimeProvider clock)
{
    private sealed class Context(Run run, XeroOrganisation xero, IReadOnlyDictionary<AccountPurpose, string> accounts,
        bool onboarding, PaymentDirection payments, bool exportAttachments)
    {
        public Run Run { get; } = run;
        /// <summary>Payments recorded here go to Xero (S5.1): the setting is Push or Both.</summary>
        public bool PushesPayments { get; } = payments != PaymentDirection.Pull;
        /// <summary>Payments entered in Xero come back, and link ours that they duplicate as they come.</summary>
        public bool PullsPayments { get; } = payments != PaymentDirection.Push;
        public bool ExportAttachments { get; } = exportAttachments;
        public XeroOrganisation Xero { get; } = xero;
        public IReadOnlyDictionary<AccountPurpose, string> Accounts { get; } = accounts;
        public bool RetryFailed => Run.Trigger == RunTrigger.Manual;

        /// <summary>No run has gone through with this organisation yet: it may hold what we are about to create.
        /// </summary>
        public bool Onboarding { get; } = onboarding;

        /// <summary>
        /// Whether to look a document up in Xero before creating it: while onboarding, or when an earlier attempt may
        /// have reached Xero before a crash.
        /// </summary>
        public bool LookUp(TenantDocument d) => d.Sync.XeroId is null && (Onboarding || d.Sync.Attempts > 0);
    }

    /// <summary>Executes (or goes on with) an active run; <paramref name="executor"/> names the silo, for the record.</summary>
    public async Task ExecuteAsync(Guid runId, string executor, CancellationToken ct)
    {
        // Marked running by this executor and read in one statement; a run no longer active is left alone.
        var run = (await db.Runs.FromSql($"""
            UPDATE runs SET state = {nameof(RunState.Running)}, owner = {executor},
                started_at = COALESCE(started_at, {clock.GetUtcNow().UtcDateTime})
            WHERE id = {runId} AND state IN ('Queued', 'Running') RETURNING *
            """).ToListAsync(ct)).SingleOrDefault();
        if (run is null) return;
        // The tenant's settings, connection and account mappings in one query: every run starts with them.
        var setup = await (
            from s in db.Settings.AsNoTracking()
            where s.TenantId == run.TenantId
            join x in db.XeroConnections.AsNoTracking() on s.TenantId equals x.TenantId into connections
            from x in connections.DefaultIfEmpty()
            select new
            {
                s.PaymentDirection, s.ExportAttachments, Connection = x,
                Accounts = db.AccountMappings.Where(m => m.TenantId == s.TenantId).ToList(),
            }).SingleAsync(ct);
        if (setup.Connection is not { Status: ConnectionStatus.Connected, XeroTenantId: { } xeroTenantId } connection)
        {
            await FinishAsync(run, RunState.Failed, "The tenant is not connected to Xero.", ct, alert: false);
            return;
        }
        var xero = api.For(run.TenantId, xeroTenantId, tokens.TokensOf(connection));
        var context = new Context(run, xero, setup.Accounts.ToDictionary(m => m.Purpose, m => m.AccountCode),
            connection.OnboardedAt is null, setup.PaymentDirection, setup.ExportAttachments);
        try
        {
            await ContactsAsync(context, ct);
            await InvoicesAsync(context, ct);
            await AttachmentsAsync(context, ct);
            await CreditNotesAsync(context, ct);
            await PaymentsAsync(context, ct);
            await BankTransactionsAsync(context, ct);
            if (context.Onboarding)
                await db.XeroConnections.Where(x => x.TenantId == run.TenantId && x.OnboardedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.OnboardedAt, clock.GetUtcNow().UtcDateTime), ct);
            await FinishAsync(run, null, null, ct);
        }
        catch (XeroDayLimitException e)
        {
            // What was not sent stays pending; the next run continues from there.
            await FinishAsync(run, RunState.Stopped, e.Message, ct);
        }
        catch (XeroInvalidGrantException e)
        {
            // The connection's own alert (needs re-authorisation) says it all.
            await FinishAsync(run, RunState.Failed, e.Message, ct, alert: false);
        }
        catch (XeroException e)
        {
            // Xero down past every retry, or refusing the organisation: nothing unsent is lost, it stays pending.
            await FinishAsync(run, RunState.Failed, $"The run stopped: {e.Message} What was not sent stays pending for the next run.", ct);
        }
    }

    private async Task ContactsAsync(Context c, CancellationToken ct)
    {
        var pending = await Pending(db.Contacts, c).ToListAsync(ct);
        // A contact the organisation already holds (or whose creation reached Xero before a crash) is linked, never
        // created twice.
        var (matches, _) = await XeroMatches.ContactsAsync(c.Xero, pending.Where(c.LookUp).ToList(), ct);
        await LinkAsync(c, "contacts", matches.Select(m => (SyncEntity.Contact, (TenantDocument)m.Ours, m.Ours.Name,
            m.Theirs.ContactID!.Value, $"matched by {m.By}")));
        pending = pending.Except(matches.Select(m => m.Ours)).ToList();
        var clashed = await PushAsync(c, SyncEntity.Contact, "Contacts", pending, x => x.Name, x => new X.Contact
        {
            ContactID = XeroId(x.Sync), Name = x.Name, EmailAddress = x.Email, IsCustomer = x.IsCustomer, IsSupplier = x.IsSupplier,
            TaxNumber = x.TaxNumber, AccountNumber = x.AccountNumber,
        }, s => s.ContactID, ct, holdBack: errors => errors.Any(e => e.Contains(NameTaken, StringComparison.Ordinal)));
        // After onboarding, a name Xero refuses as taken (a contact the accountant made there) is looked up and linked.
        var (found, _) = await XeroMatches.ContactsAsync(c.Xero, clashed.Select(x => x.Doc).ToList(), ct);
        await LinkAsync(c, "contacts", found.Select(m => (SyncEntity.Contact, (TenantDocument)m.Ours, m.Ours.Name,
            m.Theirs.ContactID!.Value, $"matched by {m.By} after Xero refused the name as taken")));
        await ReportAsync(c, clashed.Where(x => found.All(m => m.Ours != x.Doc)).Select(x => new Outcome(
            SyncEntity.Contact, x.Doc, x.Doc.Name, SyncAction.Create, SyncStatus.Failed, string.Join(" ", x.Errors),
            x.Doc.Version)));
    }

    /// <summary>Xero's refusal of a contact whose name another contact has.</summary>
    private const string NameTaken = "is already assigned to another contact";

    private async Task InvoicesAsync(Context c, CancellationToken ct)
    {
        // The orders are the tenant's own: a plan PostgreSQL caches for any tenant would otherwise hash every
        // tenant's orders on each run (ADR 0034).
        var pending = await Pending(db.Invoices.Include(i => i.Order)
            .Where(i => i.Order!.TenantId == c.Run.TenantId), c).ToListAsync(ct);
        var named = await ContactsOfAsync(pending.Select(i => i.Order!.ContactId), ct);
        var contacts = named.Where(x => x.Value.XeroId is not null).ToDictionary(x => x.Key, x => x.Value.XeroId!);
        var ready = await WaitForAsync(c, pending, i => i.Kind == OrderKind.Sale ? SyncEntity.Invoice : SyncEntity.Bill, Label,
            i => contacts.ContainsKey(i.Order!.ContactId) ? null : "waits for its contact to reach Xero", ct);
        ready = await SkipNeverSentVoidsAsync(c, ready, i => i.Kind == OrderKind.Sale ? SyncEntity.Invoice : SyncEntity.Bill, Label, ct);
        // A number Xero already holds (the organisation's own invoice, or ours that reached it before a crash): the
        // same invoice is linked, another one refused with both named.
        var unsent = ready.Where(c.LookUp).ToList();
        var (matches, _) = await XeroMatches.InvoicesAsync(c.Xero, unsent, named, ct);
        await LinkAsync(c, "invoices and bills", matches.Where(m => m.Conflict is null).Select(m => (Entity(m.Ours),
            (TenantDocument)m.Ours, Label(m.Ours), m.Theirs.InvoiceID!.Value, "same number, contact and total")));
        await ReportAsync(c, matches.Where(m => m.Conflict is not null).Select(m => new Outcome(Entity(m.Ours), m.Ours,
            Label(m.Ours), SyncAction.Create, SyncStatus.Failed, m.Conflict, m.Ours.Version)));
        ready = ready.Except(matches.Select(m => m.Ours)).ToList();
        foreach (var group in ready.GroupBy(i => i.Kind))
            await PushAsync(c, group.Key == OrderKind.Sale ? SyncEntity.Invoice : SyncEntity.Bill, "Invoices", group.ToList(), Label, i => new X.Invoice
            {
                InvoiceID = XeroId(i.Sync), Type = XeroType(i), InvoiceNumber = i.InvoiceNumber, Reference = i.Reference ?? i.Order!.Reference,
                Contact = new X.Contact { ContactID = Guid.Parse(contacts[i.Order!.ContactId]) },
                Date = Iso(i.Date), DueDate = i.DueDate is { } due ? Iso(due) : null, Status = XeroStatus(i.Status),
                LineAmountTypes = i.LineAmountTypes.ToString(), CurrencyCode = i.CurrencyCode,
                LineItems = Lines(i, c.Accounts.GetValueOrDefault(i.Kind == OrderKind.Sale ? AccountPurpose.Sales : AccountPurpose.Purchases)),
            }, s => s.InvoiceID, ct);

        static string Label(Invoice i) => i.InvoiceNumber ?? i.Order?.Reference ?? i.Id.ToString();
        static SyncEntity Entity(Invoice i) => i.Kind == OrderKind.Sale ? SyncEntity.Invoice : SyncEntity.Bill;
    }

    private async Task<Dictionary<Guid, (string Name, string? XeroId)>> ContactsOfAsync(IEnumerable<Guid> ids,
        CancellationToken ct)
    {
        var wanted = ids.Distinct().ToList();
        return await db.Contacts.AsNoTracking().Where(x => wanted.Contains(x.Id))
            .ToDictionaryAsync(x => x.Id, x => (x.Name, x.Sync.XeroId), ct);
    }

    /// <summary>
    /// Documents the organisation already held: each is synced with Xero's id (transaction action Link), and the
    /// activity report says how many were linked and how.
    /// </summary>
    private async Task LinkAsync(Context c, string what,
        IEnumerable<(SyncEntity Entity, TenantDocument Doc, string Label, Guid XeroId, string How)> links)
    {
        var linked = links.ToList();
        if (linked.Count == 0) return;
        await ReportAsync(c, linked.Select(l => new Outcome(l.Entity, l.Doc, l.Label, SyncAction.Link,
            SyncStatus.Synced, $"linked to the one already in Xero, {l.How}", l.Doc.Version, l.XeroId.ToString())));
        var how = string.Join(", ", linked.GroupBy(l => l.How).Select(g => $"{g.Count()} {g.Key}"));
        activity.Add(c.Run.TenantId, ActivityType.Linked, c.Run.StartedBy,
            $"Linked {linked.Count} {what} already in Xero instead of creating them ({how})",
            // Each document is in the run's transactions (action Link): the entry keeps to the counts.
            new { RunId = c.Run.Id, Linked = linked.GroupBy(l => l.How).ToDictionary(g => g.Key, g => g.Count()) });
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>
    /// Attachments owed to invoices and bills Xero now holds authorised (S4.2, S4.3), each through its own grain, a
    /// few at once; the organisation's limits pace the calls.
    /// </summary>
    private async Task AttachmentsAsync(Context c, CancellationToken ct)
    {
        var tenantId = c.Run.TenantId;
        if (!c.ExportAttachments) return;
        var waiting = await AttachmentExports.Waiting(db, tenantId, c.RetryFailed).ToListAsync(ct);
        var start = new AttachmentExportStart(c.Run.Id, c.RetryFailed);
        await Parallel.ForEachAsync(waiting, new ParallelOptions { MaxDegreeOfParallelism = 5, CancellationToken = ct },
            async (id, _) => await grains.Attachment(tenantId, id).ExportAsync(start));
    }

    private async Task CreditNotesAsync(Context c, CancellationToken ct)
    {
        var pending = await Pending(db.CreditNotes, c).ToListAsync(ct);
        if (pending.Count == 0) return;
        var contacts = await XeroIdsAsync(db.Contacts, pending.Select(n => n.ContactId), ct);
        var ready = await WaitForAsync(c, pending, _ => SyncEntity.CreditNote, Label,
            n => contacts.ContainsKey(n.ContactId) ? null : "waits for its contact to reach Xero", ct);
        ready = await SkipNeverSentVoidsAsync(c, ready, _ => SyncEntity.CreditNote, Label, ct);
        await PushAsync(c, SyncEntity.CreditNote, "CreditNotes", ready, Label, n => new X.CreditNote
        {
            CreditNoteID = XeroId(n.Sync), Type = n.Kind == OrderKind.Sale ? "ACCRECCREDIT" : "ACCPAYCREDIT", CreditNoteNumber = n.CreditNoteNumber,
            Reference = n.Reference, Contact = new X.Contact { ContactID = Guid.Parse(contacts[n.ContactId]) }, Date = Iso(n.Date),
            Status = XeroStatus(n.Status), LineAmountTypes = n.LineAmountTypes.ToString(), CurrencyCode = n.CurrencyCode,
            LineItems = Lines(n, c.Accounts.GetValueOrDefault(n.Kind == OrderKind.Sale ? AccountPurpose.Sales : AccountPurpose.Purchases)),
        }, s => s.CreditNoteID, ct);

        static string Label(CreditNote n) => n.CreditNoteNumber ?? n.Reference ?? n.Id.ToString();
    }

    private async Task PaymentsAsync(Context c, CancellationToken ct)
    {
        var pending = await Pending(db.Payments.Where(p => !p.FromXero), c).ToListAsync(ct);
        if (pending.Count == 0) return;
        if (!c.PushesPayments)
        {
            await WaitForAsync(c, pending, Entity, Label, _ => PullOnly, ct);
            return;
        }
        var invoices = await db.Invoices.Where(i => pending.Select(p => p.InvoiceId).Contains(i.Id))
            .Select(i => new { i.Id, i.Sync.XeroId, i.Sync.SyncedVersion, i.Version, i.Status }).ToDictionaryAsync(i => i.Id, ct);
        var notes = await db.CreditNotes.Where(n => pending.Select(p => p.CreditNoteId).Contains(n.Id))
            .Select(n => new { n.Id, n.Sync.XeroId, n.Sync.SyncedVersion, n.Version, n.Status }).ToDictionaryAsync(n => n.Id, ct);
        string? Target(Payment p) => p.InvoiceId is { } i
            ? invoices.GetValueOrDefault(i) is { XeroId: { } x, Status: DocumentStatus.Authorised } inv && inv.SyncedVersion == inv.Version ? x : null
            : notes.GetValueOrDefault(p.CreditNoteId!.Value) is { XeroId: { } y, Status: DocumentStatus.Authorised } note && note.SyncedVersion == note.Version ? y : null;
        // A payment is only sent to a document Xero holds, authorised and up to date (e.g. INV-1246 failed: its payment waits).
        var ready = await WaitForAsync(c, pending, Entity, Label,
            p => Target(p) is null ? $"waits for its {(p.Kind == PaymentKind.Payment ? "invoice" : "credit note")} to be authorised in Xero" : null, ct);
        ready = await RefuseEditsAsync(c, ready, Entity, Label,
            "Xero does not edit payments: delete it there and record it again here.");
        if (!c.PullsPayments)
        {
            // Nothing pulled has linked a payment of ours to its twin entered in Xero: look before creating.
            var onInvoices = ready.Where(p => p.InvoiceId is not null).ToList();
            var twins = await XeroMatches.PaymentsAsync(c.Xero, onInvoices, p => Target(p)!, ids =>
                db.Payments.Where(p => p.TenantId == c.Run.TenantId && ids.Contains(p.Sync.XeroId!))
                    .Select(p => p.Sync.XeroId!).ToListAsync(ct), ct);
            await LinkAsync(c, "payments", twins.Select(m => (SyncEntity.Payment, (TenantDocument)m.Ours,
                Label(m.Ours), m.Theirs.PaymentID!.Value, "same invoice, amount and day")));
            ready = ready.Except(twins.Select(m => m.Ours)).ToList();
        }
        foreach (var group in ready.GroupBy(p => p.Kind))
            await PushAsync(c, group.Key == PaymentKind.Payment ? SyncEntity.Payment : SyncEntity.Refund, "Payments", group.ToList(), Label, p => new X.Payment
            {
                Invoice = p.InvoiceId is null ? null : new X.Invoice { InvoiceID = Guid.Parse(Target(p)!) },
                CreditNote = p.CreditNoteId is null ? null : new X.CreditNote { CreditNoteID = Guid.Parse(Target(p)!) },
                Account = new X.AccountRef { Code = p.AccountCode ?? c.Accounts.GetValueOrDefault(AccountPurpose.Bank) },
                Date = Iso(p.Date), Amount = p.Amount, Reference = p.Reference,
            }, s => s.PaymentID, ct);

        static SyncEntity Entity(Payment p) => p.Kind == PaymentKind.Payment ? SyncEntity.Payment : SyncEntity.Refund;
        static string Label(Payment p) => PaymentLabel.Of(p);
    }

    /// <summary>Why money recorded here is not sent while the tenant only pulls payments from Xero.</summary>
    private const string PullOnly =
        "is not sent: the payment setting is Pull (payments come from Xero only); set it to Push or Both to send it";

    /// <summary>
    /// Customer credits as Receive Money and supplier deposits as Spend Money (S5.4): the money goes through the
    /// mapped bank account, coded to the mapped Customer Credits or Supplier Deposits account, which must accept
    /// payments in Xero so that the credit can later pay invoices. The chart is read once, only when there is
    /// something to send.
    /// </summary>
    private async Task BankTransactionsAsync(Context c, CancellationToken ct)
    {
        var pending = await Pending(db.BankTransactions, c).ToListAsync(ct);
        if (pending.Count == 0) return;
        if (!c.PushesPayments)
        {
            await WaitForAsync(c, pending, Entity, Label, _ => PullOnly, ct);
            return;
        }
        var contacts = await XeroIdsAsync(db.Contacts, pending.Select(b => b.ContactId), ct);
        var ready = await WaitForAsync(c, pending, Entity, Label,
            b => contacts.ContainsKey(b.ContactId) ? null : "waits for its contact to reach Xero", ct);
        ready = await RefuseEditsAsync(c, ready, Entity, Label,
            "Xero already holds this transaction: change it there.");
        if (ready.Count == 0) return;
        var accounts = new PaymentAccounts(await c.Xero.GetAccountsAsync(ct), c.Accounts);
        var refused = ready.Select(b => (Doc: b, Problem: accounts.ProblemFor(b.Kind)))
            .Where(x => x.Problem is not null).ToList();
        await ReportAsync(c, refused.Select(x => new Outcome(Entity(x.Doc), x.Doc, Label(x.Doc), SyncAction.Create,
            SyncStatus.Failed, x.Problem, x.Doc.Version)));
        ready = ready.Except(refused.Select(x => x.Doc)).ToList();
        foreach (var group in ready.GroupBy(b => b.Kind))
            await PushAsync(c, Entity(group.First()), "BankTransactions", group.ToList(), Label, ToXero,
                s => s.BankTransactionID, ct);

        X.BankTransaction ToXero(BankTransaction b) => new()
        {
            Type = b.Kind == BankTransactionKind.CustomerCredit ? "RECEIVE" : "SPEND",
            Contact = new X.Contact { ContactID = Guid.Parse(contacts[b.ContactId]) },
            BankAccount = new X.AccountRef { Code = accounts.Bank },
            Date = Iso(b.Date), Reference = b.Reference, LineAmountTypes = "NoTax",
            LineItems =
            [
                new X.LineItem
                {
                    Description = Label(b), Quantity = 1, UnitAmount = b.Amount, TaxType = "NONE",
                    AccountCode = accounts.CodeFor(b.Kind),
                },
            ],
        };
        static SyncEntity Entity(BankTransaction b) =>
            b.Kind == BankTransactionKind.CustomerCredit ? SyncEntity.CustomerCredit : SyncEntity.SupplierDeposit;
        static string Label(BankTransaction b) =>
            (b.Kind == BankTransactionKind.CustomerCredit ? "Customer credit " : "Supplier deposit ")
            + PaymentLabel.Of(b.Amount, b.Date)
            + (b.Reference is { } r ? $" ({r})" : "");
    }

    /// <summary>
    /// Sends documents in batches: each document's grain counts the attempt before the batch leaves and records what
    /// came of it, with its sync transaction. While a batch is at Xero, the next batch's attempts are counted and the
    /// previous batch's outcomes recorded, so the run waits on Xero or on its own writes, not on both in turn.
    /// </summary>
    /// <param name="holdBack">
    /// Refusals the caller resolves itself: those documents are not recorded here but answered with Xero's messages.
    /// </param>
    private async Task<List<(TDoc Doc, IReadOnlyList<string> Errors)>> PushAsync<TDoc, TX>(Context c, SyncEntity entity,
        string resource, List<TDoc> documents, Func<TDoc, string> label, Func<TDoc, TX> toXero,
        Func<TX, Guid?> xeroIdOf, CancellationToken ct, Func<IReadOnlyList<string>, bool>? holdBack = null)
        where TDoc : TenantDocument where TX : X.IBatchElement
    {
        var held = new List<(TDoc Doc, IReadOnlyList<string> Errors)>();
        var chunks = documents.Chunk(api.Options.BatchSize).ToList();
        var recording = Task.CompletedTask;
        var counting = chunks.Count > 0 ? SendingAsync(c, chunks[0]) : null;
        try
        {
            for (var i = 0; i < chunks.Count; i++)
            {
                var sending = await counting!;
                counting = i + 1 < chunks.Count ? SendingAsync(c, chunks[i + 1]) : null;
                if (sending.Count == 0) continue;
                var outcomes = await c.Xero.SaveAsync(resource, sending.Select(toXero).ToList(),
                    _ => IdempotencyKey(c.Run.TenantId, entity, sending), createOnly: false, ct);
                var kept = outcomes.Where(o => !o.Succeeded && holdBack?.Invoke(o.Errors) == true).ToList();
                held.AddRange(kept.Select(o => (sending[o.Index], o.Errors)));
                await recording;
                recording = ReportAsync(c, outcomes.Except(kept).Select(o => OutcomeOf(o, sending[o.Index])));
            }
        }
        catch
        {
            // The run stops (Xero refused it, or is down): the grains' writes under way finish first, and the run's
            // error is the one reported. A batch counted and not sent is looked up in Xero before the next run
            // creates it, as after a crash.
            await Task.WhenAll(counting ?? Task.CompletedTask, recording).ConfigureAwait(
                ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            throw;
        }
        await recording;
        return held;

        Outcome OutcomeOf(BatchOutcome<TX> o, TDoc doc)
        {
            var action = doc.Sync.XeroId is null ? SyncAction.Create
                : doc is LineItemDocument { Status: DocumentStatus.Voided } ? SyncAction.Void : SyncAction.Update;
            return o.Succeeded
                ? new Outcome(entity, doc, label(doc), action, SyncStatus.Synced, null, doc.Version,
                    xeroIdOf(o.Stored!)?.ToString())
                : new Outcome(entity, doc, label(doc), action, SyncStatus.Failed, string.Join(" ", o.Errors), doc.Version);
        }
    }

    /// <summary>The documents of a batch whose grains counted the attempt and let them go.</summary>
    private async Task<List<TDoc>> SendingAsync<TDoc>(Context c, TDoc[] chunk) where TDoc : TenantDocument
    {
        var permitted = await Task.WhenAll(chunk.Select(d =>
            grains.For(d).SendingAsync(new SendStart(c.Run.Id, c.RetryFailed, DocumentGrains.Seen(d)))));
        return chunk.Where((_, i) => permitted[i]).ToList();
    }

    /// <summary>What became of one document in this run; a Xero id it was given comes with it.</summary>
    private sealed record Outcome(SyncEntity Entity, TenantDocument Doc, string Label, SyncAction Action, SyncStatus Status, string? Message,
        int? SentVersion = null, string? XeroId = null);

    /// <summary>Tells each document's grain what became of it; the grains' writes commit together.</summary>
    private Task ReportAsync(Context c, IEnumerable<Outcome> outcomes) =>
        Task.WhenAll(outcomes.Select(o => grains.For(o.Doc).RecordAsync(new SyncOutcome(c.Run.Id, o.Entity, o.Label,
            o.Action, o.Status, o.Message, o.SentVersion, o.XeroId, DocumentGrains.Seen(o.Doc)))));

    /// <summary>Documents whose dependency is not in Xero yet stay pending, with the reason; the others go on.</summary>
    private async Task<List<T>> WaitForAsync<T>(Context c, List<T> documents, Func<T, SyncEntity> entity, Func<T, string> label,
        Func<T, string?> waitingFor, CancellationToken ct) where T : TenantDocument
    {
        var waiting = documents.Select(d => (Doc: d, Reason: waitingFor(d))).Where(x => x.Reason is not null).ToList();
        await ReportAsync(c, waiting.Select(x => new Outcome(entity(x.Doc), x.Doc, label(x.Doc),
            x.Doc.Sync.XeroId is null ? SyncAction.Create : SyncAction.Update, SyncStatus.Pending, x.Reason)));
        return documents.Except(waiting.Select(x => x.Doc)).ToList();
    }

    /// <summary>
    /// Money Xero already holds is not edited through us (Xero does not take a payment's edit; a bank transaction is
    /// changed there): an edit here fails with <paramref name="why"/>, and the others go on.
    /// </summary>
    private async Task<List<T>> RefuseEditsAsync<T>(Context c, List<T> documents, Func<T, SyncEntity> entity,
        Func<T, string> label, string why) where T : TenantDocument
    {
        var edited = documents.Where(d => d.Sync.XeroId is not null).ToList();
        await ReportAsync(c, edited.Select(d => new Outcome(entity(d), d, label(d), SyncAction.Update,
            SyncStatus.Failed, why, d.Version)));
        return documents.Except(edited).ToList();
    }

    /// <summary>A document voided before it ever reached Xero has nothing to void there.</summary>
    private async Task<List<T>> SkipNeverSentVoidsAsync<T>(Context c, List<T> documents, Func<T, SyncEntity> entity, Func<T, string> label, CancellationToken ct)
        where T : LineItemDocument
    {
        var neverSent = documents.Where(d => d.Status == DocumentStatus.Voided && d.Sync.XeroId is null).ToList();
        await ReportAsync(c, neverSent.Select(d => new Outcome(entity(d), d, label(d), SyncAction.Void, SyncStatus.Skipped,
            "voided before it reached Xero: nothing to send")));
        return documents.Except(neverSent).ToList();
    }

    private IQueryable<T> Pending<T>(IQueryable<T> documents, Context c) where T : TenantDocument =>
        documents.AsNoTracking().Where(d => d.TenantId == c.Run.TenantId && d.Sync.PendingSince <= c.Run.Cutoff
                             && (d.Sync.Status == SyncStatus.Pending || (c.RetryFailed && d.Sync.Status == SyncStatus.Failed)))
            .OrderBy(d => d.Id);

    private static async Task<Dictionary<Guid, string>> XeroIdsAsync<T>(IQueryable<T> documents, IEnumerable<Guid> ids, CancellationToken ct) where T : TenantDocument
    {
        var wanted = ids.Distinct().ToList();
        return await documents.Where(d => wanted.Contains(d.Id) && d.Sync.XeroId != null)
            .ToDictionaryAsync(d => d.Id, d => d.Sync.XeroId!, ct);
    }

    /// <summary>
    /// Ends the run, with its activity entry and any alert in the same save (S6.2, S7). Its counts come from its sync
    /// transactions, so a run resumed on another silo counts what the first silo did too; without a
    /// <paramref name="state"/> it succeeded, with errors if any document failed.
    /// </summary>
    private async Task FinishAsync(Run run, RunState? state, string? message, CancellationToken ct, bool alert = true)
    {
        var counts = await db.SyncTransactions.Where(t => t.RunId == run.Id).GroupBy(t => t.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Status, g => g.Count, ct);
        run.SyncedCount = counts.GetValueOrDefault(SyncStatus.Synced);
        run.FailedCount = counts.GetValueOrDefault(SyncStatus.Failed);
        run.SkippedCount = counts.GetValueOrDefault(SyncStatus.Skipped);
        run.PendingCount = counts.GetValueOrDefault(SyncStatus.Pending);
        run.State = state ?? (run.FailedCount > 0 ? RunState.CompletedWithErrors : RunState.Succeeded);
        run.Message = message;
        run.FinishedAt = clock.GetUtcNow().UtcDateTime;
        activity.Add(run.TenantId, ActivityType.Run, run.StartedBy,
            $"{run.Trigger} sync by {run.StartedBy}: {run.State}, {run.SyncedCount} synced, {run.FailedCount} failed, " +
            $"{run.PendingCount} pending, {run.SkippedCount} skipped",
            new
            {
                RunId = run.Id, run.Trigger, run.StartedBy, run.StartedAt, run.FinishedAt, run.State,
                Synced = run.SyncedCount, Failed = run.FailedCount,
                Pending = run.PendingCount, Skipped = run.SkippedCount, message,
            });
        if (alert && run.State is RunState.CompletedWithErrors or RunState.Failed or RunState.Stopped)
        {
            var tenant = await db.Tenants.Where(t => t.Id == run.TenantId).Select(t => t.Name).SingleAsync(ct);
            var link = $"/api/v1/tenants/{run.TenantId}";
            var ended = run.State == RunState.Stopped
                ? Alerts.Alerts.DayBudgetSpent(tenant, run, link)
                : Alerts.Alerts.RunEnded(tenant, run, link);
            await alerts.RaiseAsync(run.TenantId, ended, ct);
        }
        await db.SaveChangesAsync(ct);
        metrics.Ended(run);
    }

    private static List<X.LineItem> Lines(LineItemDocument d, string? defaultAccount) => d.Lines.OrderBy(l => l.LineNumber).Select(l => new X.LineItem
    {
        Description = l.Description, Quantity = l.Quantity, UnitAmount = l.UnitAmount, ItemCode = l.ItemCode,
        AccountCode = l.AccountCode ?? defaultAccount,
        // The tax we computed is sent as it is, so Xero's totals are ours to the cent.
        TaxType = l.TaxRate == 0 ? "NONE" : d.Kind == OrderKind.Sale ? "OUTPUT" : "INPUT",
        TaxAmount = l.TaxAmount,
    }).ToList();

    private static string XeroType(Invoice i) => i.Kind == OrderKind.Sale ? "ACCREC" : "ACCPAY";

    private static string XeroStatus(DocumentStatus s) => s switch
    {
        DocumentStatus.Authorised => "AUTHORISED",
        DocumentStatus.Voided => "VOIDED",
        _ => "DRAFT",
    };

    private static Guid? XeroId(SyncState s) => Guid.TryParse(s.XeroId, out var id) ? id : null;

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The same documents at the same versions, for the same action, always make the same key.</summary>
    private static string IdempotencyKey<T>(Guid tenantId, SyncEntity entity, IEnumerable<T> documents) where T : TenantDocument
    {
        var text = $"{tenantId}:{entity}:" + string.Join(",", documents.Select(d => $"{d.Id}@{d.Version}:{(d.Sync.XeroId is null ? "create" : "update")}"));
        return "is-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..40];
    }
}
