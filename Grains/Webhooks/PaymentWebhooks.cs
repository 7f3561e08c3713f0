using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using InventorySync.Contracts;
using InventorySync.Grains.Common;
using InventorySync.Grains.Documents;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using InventorySync.Storage.KeyRing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Webhooks;

/// <summary>
/// A tenant's payments webhook (S5.3): the URL each pulled payment is posted to, and the secret that signs it, shown
/// once when it is made (a new one with every PUT). Events go through the outbox with the pull's own commit, so each
/// is delivered at least once, with retries and backoff, whatever node sends it.
/// </summary>
public sealed class PaymentWebhooks(
    AppDb db, IDataProtectionProvider protection, IDocumentKind<Payment, PaymentRequest, PaymentResponse> payments,
    TimeProvider clock)
{
    public const string Kind = "payment-webhook";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // The payment as the API writes it: amounts with two decimals, like the feed the receiver may also read.
        Converters = { new JsonStringEnumConverter(), new TwoDecimalsConverter() },
    };

    private IDataProtector Protector => protection.CreateProtector(KeyRingGuard.WebhookSecretPurpose);

    public async Task<PaymentWebhookResponse> GetAsync(Guid tenantId, CancellationToken ct) =>
        (await SettingsAsync(tenantId, ct)).PaymentsWebhookUrl is { } url
            ? new PaymentWebhookResponse(url, null)
            : throw new NotFoundException("The tenant's payments webhook");

    public async Task<PaymentWebhookResponse> PutAsync(Guid tenantId, PaymentWebhookRequest request,
        CancellationToken ct)
    {
        var settings = await SettingsAsync(tenantId, ct);
        var v = new Validation();
        var url = v.Text("url", request?.Url, 2000);
        v.Check(url is null || (Uri.TryCreate(url, UriKind.Absolute, out var uri)
                                && uri.Scheme is "https" or "http" && uri.UserInfo.Length == 0),
            "url", "must be an absolute http or https URL without credentials.");
        v.ThrowIfInvalid();
        var secret = "whsec_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        settings.PaymentsWebhookUrl = url;
        settings.PaymentsWebhookSecretProtected = Protector.Protect(secret);
        settings.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return new PaymentWebhookResponse(url!, secret);
    }

    public async Task DeleteAsync(Guid tenantId, CancellationToken ct)
    {
        var settings = await SettingsAsync(tenantId, ct);
        (settings.PaymentsWebhookUrl, settings.PaymentsWebhookSecretProtected) = (null, null);
        settings.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Puts an event per payment in the outbox, to commit with the caller's save, when a URL is set.</summary>
    public async Task EnqueueAsync(Guid tenantId, IReadOnlyList<Payment> changed, CancellationToken ct)
    {
        if (!await db.Settings.AnyAsync(s => s.TenantId == tenantId && s.PaymentsWebhookUrl != null, ct)) return;
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var payment in changed)
        {
            var type = payment.DeletedInXeroAt is null ? "payment.pulled" : "payment.deleted";
            var change = new PaymentWebhookEvent($"{payment.Id:N}-{payment.FeedSequence}", type, tenantId, now,
                payments.ToResponse(payment));
            db.Outbox.Add(new OutboxMessage
            {
                TenantId = tenantId, Kind = Kind, Payload = JsonSerializer.Serialize(change, Json), CreatedAt = now,
                NextAttemptAt = now,
            });
        }
    }

    /// <summary>
    /// The URL and secret to deliver a tenant's events with now; none when the tenant removed its webhook since.
    /// </summary>
    public async Task<(string Url, byte[] Secret)?> TargetAsync(Guid tenantId, CancellationToken ct)
    {
        var settings = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == tenantId, ct);
        return settings is { PaymentsWebhookUrl: { } url, PaymentsWebhookSecretProtected: { } sealedSecret }
            ? (url, Encoding.UTF8.GetBytes(Protector.Unprotect(sealedSecret)))
            : null;
    }

    /// <summary>The signature header's value: the body's HMAC-SHA256 under the secret, in hex.</summary>
    public static string Signature(byte[] secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body));

    private async Task<TenantSettings> SettingsAsync(Guid tenantId, CancellationToken ct) =>
        await db.Settings.FirstOrDefaultAsync(s => s.TenantId == tenantId, ct)
        ?? throw new NotFoundException($"The tenant {tenantId}");
}
