using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace InventorySync.Storage.KeyRing;

public sealed class KeyEncryptionOptions
{
    public const string Section = "KeyEncryption";

    /// <summary>A PEM or PKCS#12 (.pfx, .p12) file holding the certificate and its private key
    /// (INVENTORYSYNC_KEY_ENCRYPTION).</summary>
    public string? Certificate { get; set; }

    /// <summary>The PKCS#12 file's password, if it has one (INVENTORYSYNC_KEY_ENCRYPTION_PASSWORD).</summary>
    public string? Password { get; set; }

    /// <summary>The certificate being rotated out: read to re-protect the key ring, never used to protect.</summary>
    public string? PreviousCertificate { get; set; }

    public string? PreviousPassword { get; set; }

    public static void Apply(KeyEncryptionOptions options, IConfiguration configuration)
    {
        if (configuration["INVENTORYSYNC_KEY_ENCRYPTION"] is { Length: > 0 } path) options.Certificate = path;
        if (configuration["INVENTORYSYNC_KEY_ENCRYPTION_PASSWORD"] is { Length: > 0 } pw) options.Password = pw;
    }
}

/// <summary>
/// The key-encryption certificate that protects the Data Protection key ring in the database, so that a dump of the
/// database alone decrypts no Xero token. A single node on SQLite without one configured generates its own beside
/// the database file; nodes sharing PostgreSQL must be given the same one. Read while the host is built (Data
/// Protection takes its certificates then), so that a node without its certificate stops before it starts.
/// </summary>
public sealed class KeyEncryption
{
    public const string GeneratedFileName = "key-encryption.pfx";

    private KeyEncryption(X509Certificate2 certificate, X509Certificate2? previous, string? generatedAt) =>
        (Certificate, Previous, GeneratedAt) = (certificate, previous, generatedAt);

    public X509Certificate2 Certificate { get; }

    /// <summary>The certificate being rotated out, if one is given.</summary>
    public X509Certificate2? Previous { get; }

    /// <summary>Where this start generated the certificate, if it did.</summary>
    public string? GeneratedAt { get; }

    public static KeyEncryption Load(IConfiguration configuration)
    {
        var o = configuration.GetSection(KeyEncryptionOptions.Section).Get<KeyEncryptionOptions>() ?? new();
        KeyEncryptionOptions.Apply(o, configuration);
        var storage = StorageOptions.From(configuration);
        var previous = o.PreviousCertificate is { Length: > 0 } old ? Read(old, o.PreviousPassword) : null;
        if (o.Certificate is { Length: > 0 } path) return new(Read(path, o.Password), previous, null);
        if (storage.Provider == DatabaseProvider.Postgres)
            throw new InvalidOperationException(
                "No key-encryption certificate: every node on PostgreSQL needs the same one to protect the key ring "
                + "that encrypts Xero tokens. Set INVENTORYSYNC_KEY_ENCRYPTION to a .pfx or .pem file holding a "
                + "certificate and its private key (README, \"Secrets\").");
        var database = Path.GetFullPath(new SqliteConnectionStringBuilder(storage.Database).DataSource);
        var generated = Path.Combine(Path.GetDirectoryName(database)!, GeneratedFileName);
        if (File.Exists(generated)) return new(Read(generated, null), previous, null);
        WriteNewCertificate(generated);
        return new(Read(generated, null), previous, generated);
    }

    private static X509Certificate2 Read(string path, string? password)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = File.ReadAllText(path).Contains("-----BEGIN", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPemFile(path)
                : X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"The key-encryption certificate {Path.GetFullPath(path)} cannot be read: {e.Message}", e);
        }
        if (!certificate.HasPrivateKey || certificate.GetRSAPrivateKey() is null)
            throw new InvalidOperationException(
                $"The key-encryption certificate {Path.GetFullPath(path)} needs an RSA private key beside it.");
        return certificate;
    }

    /// <summary>A new self-signed certificate with its private key, readable by its owner only.</summary>
    public static void WriteNewCertificate(string path)
    {
        var now = TimeProvider.System.GetUtcNow();
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest(
            "CN=InventorySync key encryption", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(100));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
