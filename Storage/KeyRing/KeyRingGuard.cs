using System.Buffers.Text;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace InventorySync.Storage.KeyRing;

/// <summary>
/// Run at start, once the database is migrated: every key of the Data Protection key ring must be encrypted with
/// this node's key-encryption certificate. A node given another certificate is refused, before it can fail to read a
/// token (and take that for a revoked connection). A ring written in clear, or under the certificate being rotated
/// out, is re-protected: the tokens move to a new key encrypted with the current certificate and the old keys are
/// deleted.
/// </summary>
public sealed partial class KeyRingGuard(AppDb db, KeyEncryption encryption, ILogger<KeyRingGuard> log)
{
    public const string ApplicationName = "InventorySync";

    /// <summary>The Data Protection purpose of the Xero tokens in <c>xero_connections</c>.</summary>
    public const string TokenPurpose = "InventorySync.Xero.Tokens.v1";

    /// <summary>The Data Protection purpose of the payments webhook secrets in <c>tenant_settings</c>.</summary>
    public const string WebhookSecretPurpose = "InventorySync.Webhooks.Secrets.v1";

    private const long AdvisoryLockKey = 0x1_5E_5C_00_02;
    private static readonly XNamespace Dsig = "http://www.w3.org/2000/09/xmldsig#";
    private static readonly XNamespace XmlEnc = "http://www.w3.org/2001/04/xmlenc#";

    public async Task EnsureProtectedAsync(CancellationToken ct)
    {
        if (encryption.GeneratedAt is { } path) LogGenerated(path);
        if ((await StaleKeysAsync(ct)).Count == 0) return;
        var postgres = db.Database.IsNpgsql();
        // Nodes starting together queue here; whoever comes second finds the work done. The lock belongs to a
        // session: the connection stays open so that the unlock runs on the session that took it.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (postgres) await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({AdvisoryLockKey})", ct);
            try
            {
                var stale = await StaleKeysAsync(ct);
                if (stale.Count > 0) await ReprotectAsync(stale, ct);
            }
            finally
            {
                if (postgres)
                    await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({AdvisoryLockKey})",
                        CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The keys not encrypted with the current certificate; throws on a key this node cannot read.</summary>
    private async Task<List<Guid>> StaleKeysAsync(CancellationToken ct)
    {
        var stale = new List<Guid>();
        foreach (var xml in await db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToListAsync(ct))
        {
            var key = XElement.Parse(xml!);
            if (key.Name != "key") continue;
            var id = Guid.Parse((string)key.Attribute("id")!);
            var thumbprint = key.Descendants(XmlEnc + "EncryptedData").Descendants(Dsig + "X509Certificate")
                .Select(c => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(c.Value)).Thumbprint)
                .FirstOrDefault();
            if (thumbprint == encryption.Certificate.Thumbprint) continue;
            if (thumbprint is not null && thumbprint != encryption.Previous?.Thumbprint)
                throw new InvalidOperationException(
                    $"The key ring's key {id} is encrypted with the key-encryption certificate {thumbprint}, and this "
                    + $"node has {encryption.Certificate.Thumbprint}: every node needs the same certificate "
                    + "(INVENTORYSYNC_KEY_ENCRYPTION). To rotate it, give the old one as "
                    + "KeyEncryption__PreviousCertificate (README, \"Secrets\").");
            stale.Add(id);
        }
        return stale;
    }

    /// <summary>
    /// Reads the secrets (Xero tokens, webhook secrets) through a ring of the stored keys and seals them again
    /// through a ring of one new key, both private to this method; then the new key, the secrets and the deletion of
    /// the stale keys commit together, so that a start that dies half-way leaves the ring as it was. The node's own
    /// ring is first read after this.
    /// </summary>
    private async Task ReprotectAsync(List<Guid> stale, CancellationToken ct)
    {
        var rows = await db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml!).ToListAsync(ct);
        var stored = Ring(new MemoryRing(rows.Select(XElement.Parse)), encryption.Previous);
        var fresh = new MemoryRing([]);
        var sealing = Ring(fresh, null);

        var connections = await db.XeroConnections
            .Where(c => c.AccessTokenProtected != null || c.RefreshTokenProtected != null).ToListAsync(ct);
        foreach (var connection in connections)
        {
            connection.AccessTokenProtected = Reseal(connection.AccessTokenProtected, TokenPurpose);
            connection.RefreshTokenProtected = Reseal(connection.RefreshTokenProtected, TokenPurpose);
            connection.Version++;
        }
        foreach (var settings in await db.Settings.Where(s => s.PaymentsWebhookSecretProtected != null).ToListAsync(ct))
            settings.PaymentsWebhookSecretProtected =
                Reseal(settings.PaymentsWebhookSecretProtected, WebhookSecretPurpose);

        await using var tx = await db.BeginWriteAsync(ct);
        db.DataProtectionKeys.AddRange(fresh.Stored);
        await db.SaveChangesAsync(ct);
        var names = stale.SelectMany(id => new[] { $"key-{id:D}", $"revocation-{id:D}" }).ToList();
        await db.DataProtectionKeys.Where(k => names.Contains(k.FriendlyName!)).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        LogReprotected(stale.Count, connections.Count, encryption.Certificate.Thumbprint);

        string? Reseal(string? sealedText, string purpose) => sealedText is null
            ? null
            : sealing.CreateProtector(purpose).Protect(Encoding.UTF8.GetString(
                ((IPersistedDataProtector)stored.CreateProtector(purpose)).DangerousUnprotect(
                    Base64Url.DecodeFromChars(sealedText), ignoreRevocationErrors: true, out _, out _)));
    }

    /// <summary>A Data Protection ring over <paramref name="keys"/>; its new keys go under the current certificate.
    /// </summary>
    private IDataProtectionProvider Ring(MemoryRing keys, X509Certificate2? previous)
    {
        var services = new ServiceCollection();
        var builder = services.AddDataProtection().SetApplicationName(ApplicationName)
            .ProtectKeysWithCertificate(encryption.Certificate);
        if (previous is not null) builder.UnprotectKeysWithAnyCertificate(previous);
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = keys);
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>();
    }

    private sealed class MemoryRing(IEnumerable<XElement> elements) : IXmlRepository
    {
        private readonly List<XElement> _elements = [.. elements];

        public List<DataProtectionKey> Stored { get; } = [];

        public IReadOnlyCollection<XElement> GetAllElements() => [.. _elements];

        public void StoreElement(XElement element, string friendlyName)
        {
            _elements.Add(element);
            Stored.Add(new DataProtectionKey
                { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "Generated the key-encryption certificate {Path}: it protects the key ring that encrypts Xero "
                  + "tokens. "
                  + "Keep a copy apart from the database's backups; a PostgreSQL install must be given its own "
                  + "(INVENTORYSYNC_KEY_ENCRYPTION).")]
    private partial void LogGenerated(string path);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning,
        Message = "Re-protected the key ring: {Keys} key(s) replaced by a key under certificate {Thumbprint}; "
                  + "{Connections} connection(s) re-encrypted")]
    private partial void LogReprotected(int keys, int connections, string thumbprint);
}
