using System.Data.Common;
using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

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
/// Writes of many documents' sync columns and sync transactions, one keyed statement per row, on both providers:
/// EF's change tracking costs more than the write itself at a run's volume. Column names, value conversions and
/// parameter types come from the EF model, so these statements cannot drift from the tables EF reads.
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
            var set = string.Join(", ", columns.Select((p, c) => $"{Quote(p.GetColumnName())} = @p{c}"));
            var sql = $"UPDATE {Quote(entity.GetTableName()!)} SET {set} " +
                      $"WHERE {Quote(id.GetColumnName())} = @p{columns.Count} " +
                      $"AND {Quote(version.GetColumnName())} = @p{columns.Count + 1}";
            IReadOnlyList<IProperty> parameters = [.. columns, id, version];
            var rows = group.ToList();
            var affected = await ExecuteEachAsync(db, sql, parameters, rows.Select(r =>
                columns.Select(p => p.PropertyInfo!.GetValue(r.State)).Append(r.DocumentId).Append(r.ExpectedVersion)
                    .ToArray()), ct);
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
        var sql = $"INSERT INTO {Quote(entity.GetTableName()!)} ({columns}) " +
                  $"VALUES ({string.Join(", ", properties.Select((_, c) => $"@p{c}"))})";
        await ExecuteEachAsync(db, sql, properties,
            transactions.Select(t => properties.Select(p => p.PropertyInfo!.GetValue(t)).ToArray()), ct);
    }

    /// <summary>
    /// Runs one statement once per row of values, answering each run's rows affected: as one batch where the
    /// provider sends batches in a single round trip (PostgreSQL), else by one prepared command (SQLite, in-process).
    /// </summary>
    private static async Task<int[]> ExecuteEachAsync(AppDb db, string sql, IReadOnlyList<IProperty> parameters,
        IEnumerable<object?[]> rows, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
                          ?? throw new InvalidOperationException("Sync state is written inside a write transaction.");
        await using var command = connection.CreateCommand();
        (command.CommandText, command.Transaction) = (sql, transaction);
        var mappings = parameters.Select(p => (RelationalTypeMapping)p.GetRelationalTypeMapping()).ToList();
        DbParameter Parameter(int c, object? value) =>
            mappings[c].CreateParameter(command, $"@p{c}", value, parameters[c].IsNullable);
        if (connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            foreach (var values in rows)
            {
                var statement = batch.CreateBatchCommand();
                statement.CommandText = sql;
                for (var c = 0; c < values.Length; c++) statement.Parameters.Add(Parameter(c, values[c]));
                batch.BatchCommands.Add(statement);
            }
            if (batch.BatchCommands.Count == 0) return [];
            await batch.ExecuteNonQueryAsync(ct);
            return batch.BatchCommands.Select(b => b.RecordsAffected).ToArray();
        }
        var affected = new List<int>();
        foreach (var values in rows)
        {
            command.Parameters.Clear();
            for (var c = 0; c < values.Length; c++) command.Parameters.Add(Parameter(c, values[c]));
            affected.Add(await command.ExecuteNonQueryAsync(ct));
        }
        return affected.ToArray();
    }

    private static string Quote(string name) => $"\"{name}\"";
}
