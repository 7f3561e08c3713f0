using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using InventorySync.Xero.Models;
using Microsoft.IdentityModel.Tokens;

namespace InventorySync.XeroSandbox.State;

/// <summary>
/// Everything the emulator holds, behind one lock: its organisations (each organisation's documents behind its own
/// <see cref="Org.DocumentsGate"/>), the identity service's grants and tokens, the limits and call windows, the faults
/// a test asked for, the idempotency keys and every request it received.
/// </summary>
public sealed class SandboxState(TimeProvider clock)
{
    public const string ClientId = "sandbox-client-id";
    public const string ClientSecret = "sandbox-client-secret";
    public static readonly TimeSpan AccessTokenLife = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan RefreshGrace = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan RefreshTokenLife = TimeSpan.FromDays(60);
    public static readonly TimeSpan IdempotencyLife = TimeSpan.FromMinutes(6);
    /// <summary>The sandbox's one user, who consents to everything.</summary>
    public static readonly Guid UserId = new("5ea4f5b1-0b6e-4c53-9d0b-3f4c1a8e2d7a");
    public const string UserEmail = "sandbox.user@example.com";

    public Lock Gate { get; } = new();
    public TimeProvider Clock => clock;
    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    public Dictionary<Guid, Org> Orgs { get; } = [];
    public List<Guid> ConsentTo { get; } = [];

    public Dictionary<string, AuthCode> Codes { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, AccessToken> AccessTokens { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, RefreshToken> RefreshTokens { get; } = new(StringComparer.Ordinal);
    public ConnectionTable Connections { get; } = new();

    /// <summary>Signs id_tokens; its public half is served at the JWKS address.</summary>
    public RsaSecurityKey SigningKey { get; } = new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };
    public object SigningKeyAsJwk
    {
        get
        {
            var key = SigningKey.Rsa.ExportParameters(false);
            return new
            {
                kty = "RSA", use = "sig", alg = SecurityAlgorithms.RsaSha256, kid = SigningKey.KeyId,
                n = Base64UrlEncoder.Encode(key.Modulus), e = Base64UrlEncoder.Encode(key.Exponent),
            };
        }
    }

    public int AppMinuteLimit { get; set; } = 10_000;
    public Queue<DateTime> AppCalls { get; } = new();
    public List<Fault> Faults { get; } = [];
    /// <summary>Calls held by a "hang" or "lose-answer" fault right now.</summary>
    public int Hanging { get; set; }
    public Dictionary<(Guid Org, string Key), IdempotentAnswer> Idempotency { get; } = [];
    public List<RecordedRequest> Requests { get; } = [];

    public Org AddOrganisation(string name, string baseCurrency = "NZD")
    {
        var org = Org.Create(name, baseCurrency, Now);
        lock (Gate) Orgs[org.Id] = org;
        return org;
    }
}

public sealed record AuthCode(
    Guid AuthEventId, IReadOnlyList<Guid> OrgIds, string RedirectUri, string Scope, DateTime ExpiresAt);

public sealed record AccessToken(Guid AuthEventId, DateTime ExpiresAt);

public sealed class RefreshToken
{
    public required Guid AuthEventId { get; init; }
    public required string Scope { get; init; }
    public required DateTime IssuedAt { get; init; }
    /// <summary>When a newer token replaced this one; it stays usable for the grace period after.</summary>
    public DateTime? SupersededAt { get; set; }
    public bool Revoked { get; set; }
}

public sealed record Connection(Guid Id, Guid TenantId, Guid AuthEventId, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>
/// The app's connections, one per organisation, found by id or by organisation: every accounting call checks its
/// organisation's, and a scan of them all per call grows with the organisations connected.
/// </summary>
public sealed class ConnectionTable
{
    private readonly Dictionary<Guid, Connection> _byId = [];
    private readonly Dictionary<Guid, Connection> _byOrganisation = [];

    public IEnumerable<Connection> All => _byId.Values;

    public Connection? Of(Guid organisationId) => _byOrganisation.GetValueOrDefault(organisationId);

    public Connection? Find(Guid id) => _byId.GetValueOrDefault(id);

    /// <summary>Adds the connection, or replaces the one with its id.</summary>
    public void Put(Connection connection)
    {
        _byId[connection.Id] = connection;
        _byOrganisation[connection.TenantId] = connection;
    }

    public bool Remove(Guid id)
    {
        if (!_byId.Remove(id, out var connection)) return false;
        _byOrganisation.Remove(connection.TenantId);
        return true;
    }
}

/// <summary>
/// What the next call to the accounting API (or the next one with this method and path ending) does instead of
/// answering: refuse as over a limit, fail, hang, answer late, or do its work and then lose the answer.
/// </summary>
public sealed record Fault(string Kind, int DelayMilliseconds, string? Method = null, string? Path = null)
{
    public static readonly string[] Kinds = ["429", "500", "503", "hang", "slow", "lose-answer"];

    public bool Matches(HttpRequest request) =>
        (Method is null || string.Equals(Method, request.Method, StringComparison.OrdinalIgnoreCase))
        && (Path is null || request.Path.Value?.EndsWith(Path, StringComparison.OrdinalIgnoreCase) == true);
}

public sealed record IdempotentAnswer(string RequestHash, int Status, byte[] Body, DateTime ExpiresAt);

/// <summary>
/// An accounting call as the emulator saw it, with its answer (JSON answers only; files are not kept). Bodies are
/// kept as the bytes that travelled and read as text only when asked for: most recorded calls never are.
/// </summary>
public sealed record RecordedRequest(DateTime At, string Method, string Path, string Query,
    IReadOnlyDictionary<string, string> Headers, [property: JsonIgnore] byte[] BodyBytes, int Status, Guid? OrgId,
    [property: JsonIgnore] byte[]? ResponseBytes)
{
    public string Body => Encoding.UTF8.GetString(BodyBytes);
    public string? ResponseBody => ResponseBytes is null ? null : Encoding.UTF8.GetString(ResponseBytes);
}
