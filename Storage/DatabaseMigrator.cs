using System.Data.Common;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InventorySync.Storage;

/// <summary>
/// Applies the versioned SQL scripts of <c>Migrations/&lt;provider&gt;/NNNN_name.sql</c> in order and records each in
/// <c>schema_migrations</c>. Safe when several nodes start at once: PostgreSQL nodes queue on an advisory lock,
/// SQLite processes on the database's write lock; whoever comes second finds the work done.
/// </summary>
public sealed partial class DatabaseMigrator(AppDb db, IOptions<StorageOptions> storage, TimeProvider clock, ILogger<DatabaseMigrator> log)
{
    private const long AdvisoryLockKey = 0x1_5E_5C_00_01;

    public sealed record Script(int Version, string Name, string Sql);

    public static IReadOnlyList<Script> Scripts(DatabaseProvider provider)
    {
        var assembly = typeof(DatabaseMigrator).Assembly;
        var prefix = $"{assembly.GetName().Name}.Migrations.{provider}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => n[prefix.Length..^4])
            .Select(name => new Script(int.Parse(name[..4]), name, Read(assembly, prefix + name + ".sql")))
            .OrderBy(s => s.Version)
            .ToList();
    }

    public async Task MigrateAsync(CancellationToken ct)
    {
        var provider = storage.Value.Provider;
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        try
        {
            if (provider == DatabaseProvider.Postgres)
            {
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", ct);
                try { await ApplyAsync(connection, provider, ct); }
                finally { await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None); }
            }
            else
            {
                // WAL lets readers go on while a writer commits; it is a property of the file, set once.
                await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL", ct);
                await ApplyAsync(connection, provider, ct);
            }
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    private async Task ApplyAsync(DbConnection connection, DatabaseProvider provider, CancellationToken ct)
    {
        foreach (var script in Scripts(provider))
        {
            // SQLite's transactions here begin IMMEDIATE: the write lock is taken before the version is read.
            await using var tx = await connection.BeginTransactionAsync(ct);
            await ExecuteAsync(connection, tx,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name varchar(200) NOT NULL, applied_at varchar(40) NOT NULL)", ct);
            if (await IsAppliedAsync(connection, tx, script.Version, ct))
                continue;
            await ExecuteAsync(connection, tx, script.Sql, ct);
            await using (var record = connection.CreateCommand())
            {
                record.Transaction = tx;
                record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @a)";
                AddParameter(record, "@v", script.Version);
                AddParameter(record, "@n", script.Name);
                AddParameter(record, "@a", clock.GetUtcNow().ToString("O"));
                await record.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            LogApplied(script.Name);
        }
    }

    private static async Task<bool> IsAppliedAsync(DbConnection connection, DbTransaction tx, int version, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE version = @v";
        AddParameter(cmd, "@v", version);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct)) > 0;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.CommandTimeout = 300;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static void AddParameter(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Applied database migration {Name}")]
    private partial void LogApplied(string name);
}
