using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using InventorySync.Contracts;
using InventorySync.Storage;
using InventorySync.Storage.KeyRing;
using InventorySync.Tests.Infrastructure;
using InventorySync.Xero.Client;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace InventorySync.Tests.Storage;

/// <summary>The key ring that encrypts Xero tokens, protected by the key-encryption certificate (issue 15).</summary>
public abstract class KeyRingTests(DatabaseProvider provider)
{
    private static readonly XNamespace XmlEnc = "http://www.w3.org/2001/04/xmlenc#";

    [Fact]
    public async Task A_dump_of_the_database_holds_no_usable_key_and_the_tokens_stay_sealed()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var clock = TestClock.New();
        await using var xero = await Emulator.StartAsync(clock);
        await using var app = Node(database, xero, clock, TestKeyEncryption.Shared);
        await app.StartAsync();
        var tenantId = await ConnectedTenantAsync(app, xero);

        var keys = await app.WithDbAsync(db => db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync());
        var refreshToken = await app.WithDbAsync(db =>
            db.XeroConnections.Where(c => c.TenantId == tenantId).Select(c => c.RefreshTokenProtected!).SingleAsync());

        Assert.NotEmpty(keys);
        Assert.All(keys.Select(XElement.Parse), key =>
        {
            Assert.Single(key.Descendants(XmlEnc + "EncryptedData"));
            Assert.Empty(key.Descendants("masterKey"));
        });
        var dump = Directory.CreateTempSubdirectory("inventorysync-dump-");
        foreach (var key in keys) File.WriteAllText(Path.Combine(dump.FullName, $"{Guid.NewGuid():N}.xml"), key);
        var withoutCertificate =
            DataProtectionProvider.Create(dump, b => b.SetApplicationName(KeyRingGuard.ApplicationName));
        Assert.ThrowsAny<CryptographicException>(() =>
            withoutCertificate.CreateProtector(KeyRingGuard.TokenPurpose).Unprotect(refreshToken));

        // The same dump with the certificate opens: what failed above was the missing certificate alone.
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(TestKeyEncryption.Shared, null);
        var withCertificate = DataProtectionProvider.Create(dump,
            b => b.SetApplicationName(KeyRingGuard.ApplicationName).UnprotectKeysWithAnyCertificate(certificate));
        var token = withCertificate.CreateProtector(KeyRingGuard.TokenPurpose).Unprotect(refreshToken);
        lock (xero.State.Gate) Assert.Contains(token, xero.State.RefreshTokens.Keys);
        dump.Delete(recursive: true);
    }

    [Fact]
    public async Task A_ring_in_clear_or_under_a_rotated_out_certificate_is_protected_again_and_tokens_still_work()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var clock = TestClock.New();
        await using var xero = await Emulator.StartAsync(clock);
        var old = TestKeyEncryption.New();
        Guid tenantId;
        XeroTokens tokens;
        await using (var before = Node(database, xero, clock, old))
        {
            await before.StartAsync();
            tenantId = await ConnectedTenantAsync(before, xero);
            tokens = (await before.Service<IXeroTokenStore>().GetAsync(tenantId, CancellationToken.None))!;
        }
        // As an install before the certificate left its ring: the access token under a key stored in clear (the
        // refresh token stays under the old certificate's key).
        var clear = Directory.CreateTempSubdirectory("inventorysync-clear-ring-");
        var accessInClear = DataProtectionProvider
            .Create(clear, b => b.SetApplicationName(KeyRingGuard.ApplicationName))
            .CreateProtector(KeyRingGuard.TokenPurpose).Protect(tokens.AccessToken);
        var clearKey = File.ReadAllText(Assert.Single(clear.GetFiles()).FullName);
        clear.Delete(recursive: true);
        await using (var db = StorageTests.NewDb(database))
        {
            var id = XElement.Parse(clearKey).Attribute("id")!.Value;
            db.DataProtectionKeys.Add(new() { FriendlyName = $"key-{id}", Xml = clearKey });
            var connection = await db.XeroConnections.SingleAsync(c => c.TenantId == tenantId);
            connection.AccessTokenProtected = accessInClear;
            await db.SaveChangesAsync();
        }

        var current = TestKeyEncryption.New();
        await using (var rotated = Node(database, xero, clock, current, previous: old))
        {
            await rotated.StartAsync();
            var keys = await rotated.WithDbAsync(db => db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync());
            var thumbprint = X509CertificateLoader.LoadPkcs12FromFile(current, null).Thumbprint;
            Assert.Equal([thumbprint], keys.Select(k => Thumbprint(XElement.Parse(k))));
            Assert.Equal(tokens, await rotated.Service<IXeroTokenStore>().GetAsync(tenantId, CancellationToken.None));
        }

        // The old certificate can go: the ring and the tokens need only the current one, and Xero still answers
        // (once this silo's share of Xero's app limit is its own, a minute after the last silo left).
        await using var after = Node(database, xero, clock, current);
        await after.StartAsync();
        var nodes = new Nodes(clock, xero);
        nodes.Add(after);
        await nodes.UntilAsync(
            () => Task.FromResult(after.Service<XeroLimits>().AppShare > 0), "a share of the app limit");
        var user = await UserAsync(after, tenantId);
        var organisation = await (await user.GetAsync($"/api/v1/tenants/{tenantId}/xero/organisation"))
            .ReadAsync<XeroOrganisationResponse>();
        Assert.False(string.IsNullOrEmpty(organisation.Name));
    }

    private static string? Thumbprint(XElement key) =>
        key.Descendants(XName.Get("X509Certificate", "http://www.w3.org/2000/09/xmldsig#"))
            .Select(c => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(c.Value)).Thumbprint)
            .SingleOrDefault();

    protected static AppFactory Node(TestDatabase database, Emulator xero, FakeTimeProvider clock, string certificate,
        string? previous = null) =>
        new(database.ConnectionString, clock: clock, configure: b =>
        {
            xero.Serve(b);
            b.UseSetting("INVENTORYSYNC_KEY_ENCRYPTION", certificate);
            if (previous is not null) b.UseSetting("KeyEncryption:PreviousCertificate", previous);
        });

    protected static async Task<Guid> ConnectedTenantAsync(AppFactory app, Emulator xero)
    {
        var admin = app.ClientWithKey(AppFactory.AdminKey);
        var tenant = await (await admin.PostJsonAsync("/api/v1/tenants", new { name = "Sealed", timeZone = "UTC" }))
            .ReadAsync<TenantResponse>(HttpStatusCode.Created);
        await xero.ConnectAsync(app, await UserAsync(app, tenant.Id), tenant.Id);
        return tenant.Id;
    }

    private static async Task<HttpClient> UserAsync(AppFactory app, Guid tenantId)
    {
        var admin = app.ClientWithKey(AppFactory.AdminKey);
        var user = await (await admin.PostJsonAsync($"/api/v1/tenants/{tenantId}/users", new { name = "Ada" }))
            .ReadAsync<CreatedUserResponse>(HttpStatusCode.Created);
        return app.ClientWithKey(user.ApiKey);
    }
}

public sealed class KeyRingTests_Sqlite() : KeyRingTests(DatabaseProvider.Sqlite);

public sealed class KeyRingTests_Postgres() : KeyRingTests(DatabaseProvider.Postgres)
{
    [Fact]
    public async Task A_node_without_the_certificate_or_with_another_is_refused_and_the_tenant_stays_connected()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        var clock = TestClock.New();
        await using var xero = await Emulator.StartAsync(clock);
        await using var first = Node(database, xero, clock, TestKeyEncryption.Shared);
        await first.StartAsync();
        var tenantId = await ConnectedTenantAsync(first, xero);

        await using var without = new AppFactory(database.ConnectionString,
            configure: b => b.UseSetting("INVENTORYSYNC_KEY_ENCRYPTION", ""));
        var missing = Assert.ThrowsAny<Exception>(() => without.Services);
        Assert.Contains(
            "No key-encryption certificate: every node on PostgreSQL needs the same one", missing.ToString());

        // The process stops: a node that cannot read the ring must not serve, nor judge the tokens revoked.
        var elsewhere = Directory.CreateTempSubdirectory("inventorysync-node");
        await using (var another = SiloProcess.Start(elsewhere.FullName, new Dictionary<string, string>
        {
            ["INVENTORYSYNC_DATABASE"] = database.ConnectionString,
            ["INVENTORYSYNC_KEY_ENCRYPTION"] = TestKeyEncryption.New(),
            ["Orleans__AdvertisedAddress"] = "127.0.0.1",
        }, "--urls", $"http://127.0.0.1:{Ports.Free()}"))
        {
            Assert.NotEqual(0, await another.ExitCodeAsync());
            Assert.Contains("every node needs the same certificate (INVENTORYSYNC_KEY_ENCRYPTION)", another.Output);
        }
        elsewhere.Delete(recursive: true);

        var status = await first.WithDbAsync(db =>
            db.XeroConnections.Where(c => c.TenantId == tenantId).Select(c => c.Status).SingleAsync());
        Assert.Equal(ConnectionStatus.Connected, status);
    }
}

/// <summary>How a node reads its key-encryption certificate from configuration.</summary>
public sealed class KeyEncryptionTests
{
    [Fact]
    public void A_PEM_file_with_the_certificate_and_its_key_is_read_and_one_without_the_key_is_refused_by_name()
    {
        var folder = Directory.CreateTempSubdirectory("inventorysync-kek-");
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=kek", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(TestClock.Start, TestClock.Start.AddYears(1));
        var withKey = Path.Combine(folder.FullName, "key-encryption.pem");
        var withoutKey = Path.Combine(folder.FullName, "certificate-only.pem");
        File.WriteAllText(withKey, certificate.ExportCertificatePem() + "\n" + rsa.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(withoutKey, certificate.ExportCertificatePem());

        Assert.Equal(certificate.Thumbprint, KeyEncryption.Load(Configuration(withKey)).Certificate.Thumbprint);
        var refused = Assert.Throws<InvalidOperationException>(() => KeyEncryption.Load(Configuration(withoutKey)));
        Assert.Contains($"The key-encryption certificate {withoutKey} cannot be read", refused.Message);
        folder.Delete(recursive: true);
    }

    [Fact]
    public void A_single_SQLite_node_without_one_generates_it_beside_the_database_once()
    {
        var folder = Directory.CreateTempSubdirectory("inventorysync-kek-");
        var database = $"Data Source={Path.Combine(folder.FullName, "data", "inventorysync.db")}";

        var first = KeyEncryption.Load(Configuration(null, database));
        var again = KeyEncryption.Load(Configuration(null, database));

        Assert.Equal(Path.Combine(folder.FullName, "data", KeyEncryption.GeneratedFileName), first.GeneratedAt);
        Assert.Equal((first.Certificate.Thumbprint, null), (again.Certificate.Thumbprint, again.GeneratedAt));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(first.GeneratedAt!));
        folder.Delete(recursive: true);
    }

    private static IConfiguration Configuration(string? certificate, string database = "Host=db;Database=x") =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["INVENTORYSYNC_KEY_ENCRYPTION"] = certificate, ["INVENTORYSYNC_DATABASE"] = database,
        }).Build();
}
