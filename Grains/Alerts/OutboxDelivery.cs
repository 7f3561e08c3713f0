using System.Text.Json;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Alerts;

/// <summary>
/// Sends what the outbox holds, at least once, from any node: a message is claimed by a conditional update that
/// pushes its next attempt past the claim's length (so no other node sends it meanwhile, and a node that dies while
/// sending leaves it to be retried), then marked sent, or given the error and a longer wait.
/// </summary>
public sealed class OutboxDelivery(AppDb db, IMailSender mail, Webhooks.PaymentWebhookSender webhooks,
    TimeProvider clock)
{
    public static readonly TimeSpan Claim = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(30);

    /// <summary>Sends the messages due now; answers how many were sent.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Outbox.AsNoTracking().Where(m => m.SentAt == null && m.NextAttemptAt <= now)
            .OrderBy(m => m.NextAttemptAt).Take(20).ToListAsync(ct);
        var sent = 0;
        foreach (var message in due)
        {
            var claimedUntil = now + Claim;
            var claimed = await db.Outbox.Where(m => m.Id == message.Id && m.SentAt == null && m.NextAttemptAt == message.NextAttemptAt)
                .ExecuteUpdateAsync(u => u.SetProperty(m => m.NextAttemptAt, claimedUntil).SetProperty(m => m.Attempts, m => m.Attempts + 1), ct);
            if (claimed == 0) continue;
            try
            {
                await SendAsync(message, ct);
                await db.Outbox.Where(m => m.Id == message.Id).ExecuteUpdateAsync(u => u
                    .SetProperty(m => m.SentAt, clock.GetUtcNow().UtcDateTime).SetProperty(m => m.LastError, (string?)null), ct);
                sent++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var retryAt = clock.GetUtcNow().UtcDateTime + Backoff(message.Attempts + 1);
                var error = e.Message.Length > 400 ? e.Message[..400] : e.Message;
                await db.Outbox.Where(m => m.Id == message.Id).ExecuteUpdateAsync(u => u
                    .SetProperty(m => m.NextAttemptAt, retryAt).SetProperty(m => m.LastError, error), ct);
            }
        }
        return sent;
    }

    /// <summary>10 s after the first failure, doubling up to half an hour.</summary>
    public static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, 10 * Math.Pow(2, Math.Min(attempts - 1, 16))));

    private Task SendAsync(OutboxMessage message, CancellationToken ct) => message.Kind switch
    {
        AlertEmail.Kind => mail.SendAsync(JsonSerializer.Deserialize<AlertEmail>(message.Payload)!, ct),
        Webhooks.PaymentWebhooks.Kind => webhooks.SendAsync(message, ct),
        _ => throw new InvalidOperationException($"The outbox does not know how to send '{message.Kind}'."),
    };
}
