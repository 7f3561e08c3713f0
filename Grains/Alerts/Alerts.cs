using System.Globalization;
using System.Text.Json;
using InventorySync.Contracts;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Alerts;

/// <summary>An alert about one tenant: what failed, how many, and where to look.</summary>
public sealed record Alert(string Subject, string Body);

/// <summary>An e-mail waiting in the outbox: an alert, or a report with its file attached.</summary>
public sealed record AlertEmail(IReadOnlyList<string> To, string Subject, string Body, MailFile? File = null)
{
    public const string Kind = "alert-email";

    /// <summary>Puts the e-mail in the outbox, to go with the caller's save.</summary>
    public void Enqueue(AppDb db, Guid tenantId, DateTime now) => db.Outbox.Add(new OutboxMessage
    {
        TenantId = tenantId, Kind = Kind, Payload = JsonSerializer.Serialize(this), CreatedAt = now,
            NextAttemptAt = now,
    });
}

/// <summary>A text file attached to an e-mail (a report's CSV).</summary>
public sealed record MailFile(string FileName, string ContentType, string Content);

/// <summary>
/// Raises alerts as the tenant's settings ask (S6.1, S6.2): an e-mail to its list, through the outbox, or an internal
/// notification. Nothing is saved here: the caller's save writes the alert with the outcome that caused it, so an
/// alert exists if and only if its cause does.
/// </summary>
public sealed class Alerts(AppDb db, TimeProvider clock)
{
    public async Task RaiseAsync(Guid tenantId, Alert alert, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var settings = await db.Settings.AsNoTracking().Where(s => s.TenantId == tenantId)
            .Select(s => new { s.AlertType, s.AlertEmails }).FirstOrDefaultAsync(ct);
        if (settings is { AlertType: AlertType.Email, AlertEmails.Length: > 0 })
        {
            new AlertEmail(settings.AlertEmails.Split('\n', StringSplitOptions.RemoveEmptyEntries), alert.Subject,
                alert.Body)
                .Enqueue(db, tenantId, now);
        }
        else
            db.Notifications.Add(new Notification { TenantId = tenantId, At = now, Title = alert.Subject,
                Body = alert.Body });
    }

    public static Alert RunEnded(string tenant, Run run, string link) => new(
        run.State == RunState.Failed ? $"{tenant}: sync stopped before it finished" : $"{tenant}: sync ended with {Plural(run.FailedCount, "failed document")}",
        $"The {Describe(run)} ended {run.State switch { RunState.Failed => "before it finished", _ => "with errors" }}: "
        + $"{Plural(run.FailedCount, "document")} failed, {run.SyncedCount} synced, {run.PendingCount} still pending."
        + (run.Message is { } m ? $"\n\n{m}" : "")
        + $"\n\nThe failed documents and Xero's reasons: {link}/sync/transactions?runId={run.Id}&status=Failed");

    public static Alert DayBudgetSpent(string tenant, Run run, string link) => new(
        $"{tenant}: sync stopped, Xero's daily limit is spent",
        $"The {Describe(run)} stopped because Xero's daily call limit for the organisation is spent: {run.SyncedCount} synced, "
        + $"{run.FailedCount} failed; everything not sent stays pending for the next run.\n\n{run.Message}\n\nThe run: {link}/sync/runs/{run.Id}");

    public static Alert NeedsReauthorisation(string tenant, string link) => new(
        $"{tenant}: Xero must be connected again",
        "Xero refused the stored authorisation (invalid_grant): nothing is synced and auto-sync is paused until someone "
        + $"connects the organisation again.\n\nConnect: POST {link}/xero/connect");

    private static string Describe(Run run) =>
        $"{(run.Trigger == RunTrigger.Manual ? $"manual sync started by {run.StartedBy}" : "auto-sync")} of {run.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC";

    private static string Plural(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";
}
