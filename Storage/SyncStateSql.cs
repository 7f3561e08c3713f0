using System.Data.Common;
using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace InventorySync.Storage;

/// <summary>The tables whose rows carry a document's sync columns.</summary>
public enum DocumentTable
{
    Contacts,
    Invoices,
    CreditNotes,
    Payments,
    BankTransactions,
}

/// <summary>A document's new sync columns, written only if its row still has <see cref="ExpectedVersion"/>.</summary>
public sealed record SyncStateChange(DocumentTable Table, Guid DocumentId, int ExpectedVersion, SyncState State);

/// <summary>
/// Writes of many documents' sync columns and sync transactions: on PostgreSQL one statement per group over arrays
/// of values, on SQLite (in-process) one prepared statement per row. EF's change tracking costs more than the write
/// itself at a run's volume. Column names, value conversions and parameter types come from the EF model, so these
/// statements cannot drift from the tables EF reads.
/// </summary>
public static class SyncStateSql
{
    /// <summary>What a document grain writes; <see cref="SyncState.PendingSince"/> is written with each new version.
    /// </summary>
    private static readonly string[] SyncColumns =
    [
        nameof(SyncState.Status), nameof(SyncState.XeroId), nameof(SyncState.SyncedVersion), nameof(SyncState.Attempts),
        nameof(SyncState.LastError), nameof(SyncState.LastRunId),
    ];

    public static Type EntityOf(DocumentTable table) => table switch
    {
        DocumentTable.Contacts => typeof(Contact),
        DocumentTable.Invoices => typeof(Invoice),
        DocumentTable.CreditNotes => typeof(CreditNote),
        DocumentTable.Payments => typeof(Payment),
        DocumentTable.BankTransactions => typeof(BankTransaction),
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, null),
    };

    /// <summary>A document's version and sync columns as they are now, or null when it does not exist.</summary>
    public static Task<(int Version, SyncState Sync)?> ReadAsync(
        AppDb db, DocumentTable table, Guid id, CancellationToken ct) =>
        table switch
        {
            DocumentTable.Contacts => ReadAsync(db.Contacts, id, ct),
            DocumentTable.Invoices => ReadAsync(db.Invoices, id, ct),
            DocumentTable.CreditNotes => ReadAsync(db.CreditNotes, id, ct),
            DocumentTable.Payments => ReadAsync(db.Payments, id, ct),
            DocumentTable.BankTransactions => ReadAsync(db.BankTransactions, id, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(table), table, null),
        };

    private static async Task<(int Version, SyncState Sync)?> ReadAsync<T>(DbSet<T> set, Guid id, CancellationToken ct)
        where T : TenantDocument
    {
        var row = await set.AsNoTracking().Where(d => d.Id == id)
            .Select(d => new { d.Version, d.Sync }).FirstOrDefaultAsync(ct);
        return row is null ? null : (row.Version, row.Sync);
    }

    /// <summary>
    /// Writes each change whose row still has its expected version, inside the caller's transaction; answers the
    /// documents written. A row edited meanwhile is left alone for its owner to read again.
    /// </summary>
    public static async Task<HashSet<Guid>> UpdateAsync(
        AppDb db, IReadOnlyList<SyncStateChange> changes, CancellationToken ct)
    {
        var written = new HashSet<Guid>();
        foreach (var group in changes.GroupBy(c => c.Table))
        {
            var entity = db.Model.FindEntityType(EntityOf(group.Key))!;
            var sync = entity.FindComplexProperty(nameof(TenantDocument.Sync))!.ComplexType;
            var columns = SyncColumns.Select(c => sync.FindProperty(c)!).ToList();
            var id = entity.FindProperty(nameof(TenantDocument.Id))!;
            var version = entity.FindProperty(nameof(TenantDocument.Version))!;
            IReadOnlyList<IProperty> parameters = [.. columns, id, version];
            var rows = group.ToList();
            var values = rows.Select(r => columns.Select(p => p.PropertyInfo!.GetValue(r.State))
                .Append(r.DocumentId).Append(r.ExpectedVersion).ToArray()).ToList();
            var table = Quote(entity.GetTableName()!);
            string Column(IProperty p) => Quote(p.GetColumnName());
            if (db.Database.IsNpgsql())
            {
                // One statement for the group: each row's values come in as one array per column.
                var set = string.Join(", ", columns.Select((p, c) => $"{Column(p)} = v.c{c}"));
                var names = string.Join(", ", parameters.Select((_, c) => $"c{c}"));
                var sql = ByPrimaryKey +
                          $"UPDATE {table} AS t SET {set} FROM unnest({Arrays(parameters.Count)}) AS v({names}) " +
                          $"WHERE t.{Column(id)} = v.c{columns.Count} " +
                          $"AND t.{Column(version)} = v.c{columns.Count + 1} RETURNING t.{Column(id)}";
                await using var update = CommandFor(db, sql, ColumnArrays(parameters, values));
                await using var reader = await update.ExecuteReaderAsync(ct);
                do
                    while (await reader.ReadAsync(ct)) written.Add(reader.GetGuid(0));
                while (await reader.NextResultAsync(ct));
                continue;
            }
            var each = $"UPDATE {table} SET " +
                       string.Join(", ", columns.Select((p, c) => $"{Column(p)} = @p{c}")) +
                       $" WHERE {Column(id)} = @p{columns.Count} AND {Column(version)} = @p{columns.Count + 1}";
            var affected = await ExecuteEachAsync(db, each, parameters, values, ct);
            for (var r = 0; r < rows.Count; r++)
                if (affected[r] == 1) written.Add(rows[r].DocumentId);
        }
        return written;
    }

    /// <summary>Inserts sync transactions, inside the caller's transaction.</summary>
    public static async Task InsertAsync(AppDb db, IReadOnlyList<SyncTransaction> transactions, CancellationToken ct)
    {
        if (transactions.Count == 0) return;
        var entity = db.Model.FindEntityType(typeof(SyncTransaction))!;
        var properties = entity.GetProperties().Where(p => p.ValueGenerated == ValueGenerated.Never).ToList();
        var columns = string.Join(", ", properties.Select(p => Quote(p.GetColumnName())));
        var table = Quote(entity.GetTableName()!);
        var values = transactions.Select(t => properties.Select(p => p.PropertyInfo!.GetValue(t)).ToArray()).ToList();
        if (db.Database.IsNpgsql())
        {
            var sql = $"INSERT INTO {table} ({columns}) SELECT * FROM unnest({Arrays(properties.Count)})";
            await using var insert = CommandFor(db, sql, ColumnArrays(properties, values));
            await insert.ExecuteNonQueryAsync(ct);
            return;
        }
        var each = $"INSERT INTO {table} ({columns}) " +
                   $"VALUES ({string.Join(", ", properties.Select((_, c) => $"@p{c}"))})";
        await ExecuteEachAsync(db, each, properties, values, ct);
    }

    /// <summary>
    /// Each row is found by its primary key. Right after a large import the planner's statistics can still describe
    /// a near-empty table, and it would then read the whole table into a hash join for every group (measured: a
    /// 10,000-invoice run spent most of its database time so). Only for this transaction, which holds nothing else.
    /// </summary>
    private const string ByPrimaryKey = "SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; ";

    private static string Arrays(int count) => string.Join(", ", Enumerable.Range(0, count).Select(c => $"@a{c}"));

    /// <summary>
    /// One PostgreSQL array parameter per column (<c>@a0</c>, <c>@a1</c>, ...), of the column's provider type after
    /// the EF model's value conversion.
    /// </summary>
    private static IEnumerable<NpgsqlParameter> ColumnArrays(IReadOnlyList<IProperty> columns,
        IReadOnlyList<object?[]> rows) =>
        columns.Select((p, c) =>
        {
            var converter = p.GetRelationalTypeMapping().Converter;
            var type = converter?.ProviderClrType ?? p.ClrType;
            if (type.IsValueType && p.IsNullable)
                type = typeof(Nullable<>).MakeGenericType(Nullable.GetUnderlyingType(type) ?? type);
            var array = Array.CreateInstance(type, rows.Count);
            for (var r = 0; r < rows.Count; r++)
            {
                var value = rows[r][c];
                if (converter is not null && value is not null) value = converter.ConvertToProvider(value);
                array.SetValue(value, r);
            }
            return new NpgsqlParameter($"a{c}", array);
        });

    /// <summary>Runs one statement once per row of values by one prepared command (SQLite, in-process), answering
    /// each run's rows affected.</summary>
    private static async Task<int[]> ExecuteEachAsync(AppDb db, string sql, IReadOnlyList<IProperty> parameters,
        IEnumerable<object?[]> rows, CancellationToken ct)
    {
        await using var command = CommandFor(db, sql, []);
        var mappings = parameters.Select(p => (RelationalTypeMapping)p.GetRelationalTypeMapping()).ToList();
        var affected = new List<int>();
        foreach (var values in rows)
        {
            command.Parameters.Clear();
            for (var c = 0; c < values.Length; c++)
                command.Parameters.Add(
                    mappings[c].CreateParameter(command, $"@p{c}", values[c], parameters[c].IsNullable));
            affected.Add(await command.ExecuteNonQueryAsync(ct));
        }
        return affected.ToArray();
    }

    /// <summary>A command in the caller's write transaction.</summary>
    private static DbCommand CommandFor(AppDb db, string sql, IEnumerable<DbParameter> parameters)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Sync state is written inside a write transaction.");
        command.Parameters.AddRange(parameters.ToArray());
        return command;
    }

    private static string Quote(string name) => $"\"{name}\"";
}
