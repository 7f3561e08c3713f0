using System.Security.Cryptography;
using System.Text;

namespace InventorySync.Grains.Tenants;

/// <summary>API keys are 256 random bits; only their SHA-256 is stored, so a leaked database leaks no key.</summary>
public static class ApiKeys
{
    public const string Prefix = "isk_";

    public static string New() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Enough of a key to recognise it in a list, not enough to use it.</summary>
    public static string Display(string key) => key[..Math.Min(key.Length, Prefix.Length + 6)];

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
