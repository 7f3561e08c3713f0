using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using InventorySync.Contracts;
using InventorySync.Grains.Activity;
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
public sealed class SyncRun(AppDb db, XeroApi api, ActivityLog activity, Alerts.Alerts alerts, TimeProvider clock)
{
    private sealed class Context(Run run, XeroOrganisation xero, IReadOnlyDictionary<AccountPurpose, string> accounts)
    {
        public Run Run { get; } = run;
        public XeroOrganisation Xero { get; } = xero;
        public IReadOnlyDictionary<AccountPurpose, string> Accounts { get; } = accounts;
        public bool RetryFailed => Run.Trigger == RunTrigger.Manual;
    }

    /// <summary>Executes (or goes on with) an active run; <paramref name="executor"/> names the silo, for the record.</summary>
    public async Task ExecuteAsync(Guid runId, string executor, CancellationToken ct)
    {
        var run = await db.Runs.FirstAsync(r => r.Id == runId, ct);
        if (run.State is not (RunState.Queued or RunState.Running)) return;
        (run.State, run.Owner, run.StartedAt) = (RunState.Running, executor, run.StartedAt ?? clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        var connection = await db.XeroConnections.AsNoTracking().FirstOrDefaultAsync(c => c.TenantId == run.TenantId, ct);
        if (connection is not { Status: ConnectionStatus.Connected, XeroTenantId: { } xeroTenantId })
        {
            await FinishAsync(run, RunState.Failed, "The tenant is not connected to Xero.", ct, alert: false);
            return;
        }
        var accounts = await db.AccountMappings.Where(m => m.TenantId == run.TenantId).ToDictionaryAsync(m => m.Purpose, m => m.AccountCode, ct);
        var context = new Context(run, api.For(run.TenantId, xeroTenantId), accounts);
        try
        {
            await ContactsAsync(context, ct);
            await InvoicesAsync(context, ct);
            await CreditNotesAsync(context, ct);
            await PaymentsAsync(context, ct);
            await FinishAsync(run, run.FailedCount > 0 ? RunState.CompletedWithErrors : RunState.Succeeded, null, ct);
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
        // A contact whose creation may have reached Xero before a crash is looked up by name, not created twice.
        foreach (var contact in pending.Where(x => x.Sync.XeroId is null && x.Sync.Attempts > 0))
        {
            var found = await c.Xero.GetPageAsync<X.Contact>("Contacts", new XeroQuery(Where: $"Name==\"{contact.Name.Replace("\"", "")}\""), ct);
            if (found.Items.FirstOrDefault()?.ContactID is { } id) contact.Sync.XeroId = id.ToString();
        }
        await PushAsync(c, SyncEntity.Contact, "Contacts", pending, x => x.Name, x => new X.Contact
        {
            ContactID = XeroId(x.Sync), Name = x.Name, EmailAddress = x.Email, IsCustomer = x.IsCustomer, IsSupplier = x.IsSupplier,
            TaxNumber = x.TaxNumber, AccountNumber = x.AccountNumber,
        }, s => s.ContactID, ct);
    }

    private async Task InvoicesAsync(Context c, CancellationToken ct)
    {
        var pending = await Pending(db.Invoices.Include(i => i.Order), c).ToListAsync(ct);
        var contacts = await XeroIdsAsync(db.Contacts, pending.Select(i => i.Order!.ContactId), ct);
        var ready = await WaitForAsync(c, pending, i => i.Kind == OrderKind.Sale ? SyncEntity.Invoice : SyncEntity.Bill, Label,
            i => contacts.ContainsKey(i.Order!.ContactId) ? null : "waits for its contact to reach Xero", ct);
        ready = await SkipNeverSentVoidsAsync(c, ready, i => i.Kind == OrderKind.Sale ? SyncEntity.Invoice : SyncEntity.Bill, Label, ct);
        // An invoice whose creation may have reached Xero before a crash is found by its number before it is sent again.
        var unknown = ready.Where(i => i.Sync.XeroId is null && i.Sync.Attempts > 0 && i.InvoiceNumber is not null).ToList();
        if (unknown.Count > 0)
        {
            var found = await c.Xero.GetAllAsync<X.Invoice>("Invoices", new XeroQuery(Numbers: unknown.Select(i => i.InvoiceNumber!).ToList()), 2, ct);
            foreach (var invoice in unknown)
                if (found.FirstOrDefault(f => f.InvoiceNumber == invoice.InvoiceNumber && f.Type == XeroType(invoice))?.InvoiceID is { } id)
                    invoice.Sync.XeroId = id.ToString();
        }
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
    }

    private async Task CreditNotesAsync(Context c, CancellationToken ct)
    {
        var pending = await Pending(db.CreditNotes, c).ToListAsync(ct);
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
        var changed = ready.Where(p => p.Sync.XeroId is not null).ToList();
        await RecordAsync(c, changed.Select(p => new Outcome(Entity(p), p, Label(p), SyncAction.Update, SyncStatus.Failed,
            "Xero does not edit payments: delete it there and record it again here.")).ToList(), ct);
        ready = ready.Except(changed).ToList();
        foreach (var group in ready.GroupBy(p => p.Kind))
            await PushAsync(c, group.Key == PaymentKind.Payment ? SyncEntity.Payment : SyncEntity.Refund, "Payments", group.ToList(), Label, p => new X.Payment
            {
                Invoice = p.InvoiceId is null ? null : new X.Invoice { InvoiceID = Guid.Parse(Target(p)!) },
                CreditNote = p.CreditNoteId is null ? null : new X.CreditNote { CreditNoteID = Guid.Parse(Target(p)!) },
                Account = new X.AccountRef { Code = p.AccountCode ?? c.Accounts.GetValueOrDefault(AccountPurpose.Bank) },
                Date = Iso(p.Date), Amount = p.Amount, Reference = p.Reference,
            }, s => s.PaymentID, ct);

        static SyncEntity Entity(Payment p) => p.Kind == PaymentKind.Payment ? SyncEntity.Payment : SyncEntity.Refund;
        static string Label(Payment p) => $"{p.Amount.ToString(CultureInfo.InvariantCulture)} on {Iso(p.Date)}";
    }

    /// <summary>Sends documents in batches and writes back, per document, its state and a transaction.</summary>
    private async Task PushAsync<TDoc, TX>(Context c, SyncEntity entity, string resource, List<TDoc> documents, Func<TDoc, string> label,
        Func<TDoc, TX> toXero, Func<TX, Guid?> xeroIdOf, CancellationToken ct) where TDoc : TenantDocument where TX : X.IBatchElement
    {
        foreach (var chunk in documents.Chunk(api.Options.BatchSize))
        {
            var versions = chunk.ToDictionary(d => d.Id, d => d.Version);
            var sent = chunk.Select(toXero).ToList();
            await CountAttemptAsync(chunk, ct);
            var outcomes = await c.Xero.SaveAsync(resource, sent, _ => IdempotencyKey(c.Run.TenantId, entity, chunk), createOnly: false, ct);
            await RecordAsync(c, outcomes.Select(o =>
            {
                var doc = chunk[o.Index];
                var action = doc.Sync.XeroId is null ? SyncAction.Create : doc is LineItemDocument { Status: DocumentStatus.Voided } ? SyncAction.Void : SyncAction.Update;
                return o.Succeeded
                    ? new Outcome(entity, doc, label(doc), action, SyncStatus.Synced, null, versions[doc.Id], xeroIdOf(o.Stored!)?.ToString())
                    : new Outcome(entity, doc, label(doc), action, SyncStatus.Failed, string.Join(" ", o.Errors));
            }).ToList(), ct);
        }
    }

    /// <summary>
    /// Counted before the documents leave: if this node dies before their answer is written, the next run knows they
    /// may be in Xero already and looks them up instead of creating them again. Written past the version check, since
    /// a change made meanwhile does not make the send any less real.
    /// </summary>
    private async Task CountAttemptAsync<TDoc>(TDoc[] chunk, CancellationToken ct) where TDoc : TenantDocument
    {
        var ids = chunk.Select(d => d.Id).ToList();
        await db.Set<TDoc>().Where(d => ids.Contains(d.Id)).ExecuteUpdateAsync(u => u.SetProperty(d => d.Sync.Attempts, d => d.Sync.Attempts + 1), ct);
        foreach (var doc in chunk)
        {
            var attempts = db.Entry(doc).ComplexProperty(d => d.Sync).Property(x => x.Attempts);
            attempts.CurrentValue = attempts.OriginalValue = doc.Sync.Attempts + 1;
        }
    }

    /// <summary>What became of one document in this run; a Xero id it was given comes with it.</summary>
    private sealed record Outcome(SyncEntity Entity, TenantDocument Doc, string Label, SyncAction Action, SyncStatus Status, string? Message,
        int? SentVersion = null, string? XeroId = null);

    /// <summary>
    /// Writes the outcomes of a batch in one commit (a commit per document would cost more than Xero's call): each
    /// document's state and a transaction for it. A Xero id is always kept (Xero has the document now); a document
    /// counts as synced only if nobody changed it during the run — otherwise its newer version stays pending.
    /// </summary>
    private async Task RecordAsync(Context c, IReadOnlyList<Outcome> outcomes, CancellationToken ct)
    {
        if (outcomes.Count == 0) return;
        var now = clock.GetUtcNow().UtcDateTime;
        var xeroIds = outcomes.ToDictionary(o => o.Doc, o => o.XeroId ?? o.Doc.Sync.XeroId);
        var changedMeanwhile = new HashSet<TenantDocument>();
        await using var tx = await db.BeginWriteAsync(ct);
        for (var attempt = 0; ; attempt++)
        {
            foreach (var o in outcomes) Apply(o, xeroIds[o.Doc], c.Run.Id);
            try
            {
                await db.SaveChangesAsync(ct);
                break;
            }
            catch (DbUpdateConcurrencyException e) when (attempt < 3)
            {
                foreach (var entry in e.Entries)
                {
                    await entry.ReloadAsync(ct);
                    changedMeanwhile.Add((TenantDocument)entry.Entity);
                }
            }
        }
        foreach (var o in outcomes)
        {
            var status = o.Status == SyncStatus.Synced && changedMeanwhile.Contains(o.Doc) ? SyncStatus.Pending : o.Status;
            db.SyncTransactions.Add(new SyncTransaction
            {
                RunId = c.Run.Id, TenantId = c.Run.TenantId, Entity = o.Entity, DocumentId = o.Doc.Id, DocumentLabel = o.Label, Action = o.Action,
                Status = status, Message = o.Message, XeroId = xeroIds[o.Doc], At = now,
            });
            switch (status)
            {
                case SyncStatus.Synced: c.Run.SyncedCount++; break;
                case SyncStatus.Failed: c.Run.FailedCount++; break;
                case SyncStatus.Skipped: c.Run.SkippedCount++; break;
                default: c.Run.PendingCount++; break;
            }
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        // Written transactions are not needed again; tracking them would slow every later save of a long run.
        foreach (var entry in db.ChangeTracker.Entries<SyncTransaction>().ToList()) entry.State = EntityState.Detached;
    }

    private static void Apply(Outcome o, string? xeroId, Guid runId)
    {
        var sync = o.Doc.Sync;
        (sync.XeroId, sync.LastRunId) = (xeroId, runId);
        switch (o.Status)
        {
            case SyncStatus.Synced when o.SentVersion == o.Doc.Version:
                (sync.Status, sync.SyncedVersion, sync.LastError) = (SyncStatus.Synced, o.SentVersion, null);
                break;
            case SyncStatus.Failed:
                (sync.Status, sync.LastError) = (SyncStatus.Failed, o.Message);
                break;
            case SyncStatus.Skipped:
                (sync.Status, sync.LastError) = (SyncStatus.Skipped, o.Message);
                break;
            case SyncStatus.Pending:
                sync.LastError = o.Message;
                break;
        }
    }

    /// <summary>Documents whose dependency is not in Xero yet stay pending, with the reason; the others go on.</summary>
    private async Task<List<T>> WaitForAsync<T>(Context c, List<T> documents, Func<T, SyncEntity> entity, Func<T, string> label,
        Func<T, string?> waitingFor, CancellationToken ct) where T : TenantDocument
    {
        var waiting = documents.Select(d => (Doc: d, Reason: waitingFor(d))).Where(x => x.Reason is not null).ToList();
        foreach (var chunk in waiting.Chunk(api.Options.BatchSize))
            await RecordAsync(c, chunk.Select(x => new Outcome(entity(x.Doc), x.Doc, label(x.Doc),
                x.Doc.Sync.XeroId is null ? SyncAction.Create : SyncAction.Update, SyncStatus.Pending, x.Reason)).ToList(), ct);
        return documents.Except(waiting.Select(x => x.Doc)).ToList();
    }

    /// <summary>A document voided before it ever reached Xero has nothing to void there.</summary>
    private async Task<List<T>> SkipNeverSentVoidsAsync<T>(Context c, List<T> documents, Func<T, SyncEntity> entity, Func<T, string> label, CancellationToken ct)
        where T : LineItemDocument
    {
        var neverSent = documents.Where(d => d.Status == DocumentStatus.Voided && d.Sync.XeroId is null).ToList();
        await RecordAsync(c, neverSent.Select(d => new Outcome(entity(d), d, label(d), SyncAction.Void, SyncStatus.Skipped,
            "voided before it reached Xero: nothing to send")).ToList(), ct);
        return documents.Except(neverSent).ToList();
    }

    private IQueryable<T> Pending<T>(IQueryable<T> documents, Context c) where T : TenantDocument =>
        documents.Where(d => d.TenantId == c.Run.TenantId && d.Sync.PendingSince <= c.Run.Cutoff
                             && (d.Sync.Status == SyncStatus.Pending || (c.RetryFailed && d.Sync.Status == SyncStatus.Failed)))
            .OrderBy(d => d.Id);

    private static async Task<Dictionary<Guid, string>> XeroIdsAsync<T>(IQueryable<T> documents, IEnumerable<Guid> ids, CancellationToken ct) where T : TenantDocument
    {
        var wanted = ids.Distinct().ToList();
        return await documents.Where(d => wanted.Contains(d.Id) && d.Sync.XeroId != null)
            .ToDictionaryAsync(d => d.Id, d => d.Sync.XeroId!, ct);
    }

    /// <summary>Ends the run, with its activity entry and any alert in the same save (S6.2, S7).</summary>
    private async Task FinishAsync(Run run, RunState state, string? message, CancellationToken ct, bool alert = true)
    {
        run.State = state;
        run.Message = message;
        run.FinishedAt = clock.GetUtcNow().UtcDateTime;
        activity.Add(run.TenantId, ActivityType.Run, run.StartedBy,
            $"{run.Trigger} sync by {run.StartedBy}: {state}, {run.SyncedCount} synced, {run.FailedCount} failed, {run.PendingCount} pending, {run.SkippedCount} skipped",
            new
            {
                RunId = run.Id, run.Trigger, run.StartedBy, run.StartedAt, run.FinishedAt, State = state, Synced = run.SyncedCount, Failed = run.FailedCount,
                Pending = run.PendingCount, Skipped = run.SkippedCount, message,
            });
        if (alert && state is RunState.CompletedWithErrors or RunState.Failed or RunState.Stopped)
        {
            var tenant = await db.Tenants.Where(t => t.Id == run.TenantId).Select(t => t.Name).SingleAsync(ct);
            var link = $"/api/v1/tenants/{run.TenantId}";
            await alerts.RaiseAsync(run.TenantId, state == RunState.Stopped ? Alerts.Alerts.DayBudgetSpent(tenant, run, link) : Alerts.Alerts.RunEnded(tenant, run, link), ct);
        }
        await db.SaveChangesAsync(ct);
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
