using System.Security.Cryptography;
using System.Text;
using InventorySync.Grains.Tenants;
using InventorySync.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace InventorySync.Api.Auth;

/// <summary>
/// The operator (admin) key: INVENTORYSYNC_ADMIN_KEY when set; otherwise one generated on first start, printed once
/// and kept hashed in the database so that it survives restarts.
/// </summary>
public sealed partial class OperatorKey(IConfiguration config, TimeProvider clock, ILogger<OperatorKey> log)
{
    public const string Variable = "INVENTORYSYNC_ADMIN_KEY";
    public const int MinimumLength = 16;

    private byte[]? _hash;

    public bool Matches(string keyHash) =>
        _hash is { } hash && CryptographicOperations.FixedTimeEquals(hash, Encoding.ASCII.GetBytes(keyHash));

    public async Task InitializeAsync(AppDb db, CancellationToken ct)
    {
        if (config[Variable] is { Length: > 0 } configured)
        {
            if (configured.Length < MinimumLength)
                throw new InvalidOperationException($"{Variable} must be at least {MinimumLength} characters long.");
            Use(ApiKeys.Hash(configured));
            return;
        }
        if (await db.OperatorKeys.OrderBy(k => k.Id).Select(k => k.KeyHash).FirstOrDefaultAsync(ct) is { } stored)
        {
            Use(stored);
            LogStored(Variable);
            return;
        }
        var key = ApiKeys.New();
        db.OperatorKeys.Add(new Storage.Entities.OperatorKey { KeyHash = ApiKeys.Hash(key), CreatedAt = clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(ct);
        // A second node may have generated one at the same moment: the first row wins everywhere.
        Use(await db.OperatorKeys.OrderBy(k => k.Id).Select(k => k.KeyHash).FirstAsync(ct));
        if (Matches(ApiKeys.Hash(key)))
            Console.WriteLine($"""

                ==> Operator (admin) key, shown only this once: {key}
                    Send it as 'Authorization: Bearer <key>'. Set {Variable} to choose your own.

                """);
    }

    private void Use(string keyHash) => _hash = Encoding.ASCII.GetBytes(keyHash);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
        Message = "Using the operator key generated on first start; set {Variable} to replace it")]
    private partial void LogStored(string variable);
}
