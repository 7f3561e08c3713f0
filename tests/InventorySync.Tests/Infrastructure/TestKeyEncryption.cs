using InventorySync.Storage.KeyRing;

namespace InventorySync.Tests.Infrastructure;

/// <summary>Key-encryption certificates: one that every host of the run shares, as an install's nodes do.</summary>
public static class TestKeyEncryption
{
    private static readonly Lazy<string> SharedCertificate = new(New);

    public static string Shared => SharedCertificate.Value;

    /// <summary>A new certificate file (PKCS#12 with its private key).</summary>
    public static string New()
    {
        var folder = Path.Combine(Path.GetTempPath(), "inventorysync-tests");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"key-encryption-{Guid.NewGuid():N}.pfx");
        KeyEncryption.WriteNewCertificate(path);
        return path;
    }
}
