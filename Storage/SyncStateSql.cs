using System.Data.Common;
using System.Text;
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
}

/// <summary>A document's new sync columns, written only if its row still has <see cref="ExpectedVersion"/>.</summary>
public sealed record SyncStateChange(DocumentTable Table, Guid DocumentId, int ExpectedVersion, SyncState State);

/// <summary>
/// Set-based writes of many documents' sync columns and sync transactions in a few statements, on both providers:
/// EF's change tracking costs more than the write itself at a run's volume. Column names, value conversions and
/// parameter types come from the EF model, so these statements cannot drift from the tables EF reads.
/// </summary>
public static class SyncStateSql
{
    /// <summary>Rows a statement carries: parameters stay far below both providers' limits.</summary>
    private const int RowsPerStatement = 100;

    private static readonly string[] SyncColumns =
    [
        nameof(SyncState.Status), nameof(SyncState.PendingSince), nameof(SyncState.XeroId), nameof(SyncState.SyncedVersion),
        nameof(SyncState.Attempts), nameof(SyncState.LastError), nameof(SyncState.LastRunId),
    ];

    public static Type EntityOf(DocumentTable table) => table switch
    {
        DocumentTable.Contacts => typeof(Contact),
        DocumentTable.Invoices => typeof(Invoice),
        DocumentTable.CreditNotes => typeof(CreditNote),
        DocumentTable.Payments => typeof(Payment),
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, null),
    };

    /// <summary>A document's version and sync columns as they are now, or null when it does not exist.</summary>
    public static Task<(int Version, SyncState Sync)?> ReadAsync(AppDb db, DocumentTable table, Guid id, CancellationToken ct) =>
        table switch
        {
            DocumentTable.Contacts => ReadAsync(db.Contacts, id, ct),
            DocumentTable.Invoices => ReadAsync(db.Invoices, id, ct),
            DocumentTable.CreditNotes => ReadAsync(db.CreditNotes, id, ct),
            DocumentTable.Payments => ReadAsync(db.Payments, id, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(table), table, null),
        };

    private static async Task<(int Version, SyncState Sync)?> ReadAsync<T>(DbSet<T> set, Guid id, CancellationToken ct)
        where T : TenantDocument
    {
        var row = await set.AsNoTracking().Where(d => d.Id == id).Select(d => new { d.Version, d.Sync }).FirstOrDefaultAsync(ct);
        return row is null ? null : (row.Version, row.Sync);
    }

    /// <summary>
    /// Writes each change whose row still has its expected version, inside the caller's transaction; answers the
    /// documents written. A row edited meanwhile is left alone for its owner to read again.
    /// </summary>
    public static async Task<HashSet<Guid>> UpdateAsync(AppDb db, IReadOnlyList<SyncStateChange> changes, CancellationToken ct)
    {
        var written = new HashSet<Guid>();
        foreach (var group in changes.GroupBy(c => c.Table))
        {
            var entity = db.Model.FindEntityType(EntityOf(group.Key))!;
            var sync = entity.FindComplexProperty(nameof(TenantDocument.Sync))!.ComplexType;
            var id = entity.FindProperty(nameof(TenantDocument.Id))!;
            var version = entity.FindProperty(nameof(TenantDocument.Version))!;
            var table = Quote(entity.GetTableName()!);
            var columns = SyncColumns.Select(sync.FindProperty).Select(p => p!).ToList();
            foreach (var rows in group.Chunk(RowsPerStatement))
            {
                await using var command = Command(db);
                var values = new StringBuilder();
                for (var r = 0; r < rows.Length; r++)
                {
                    values.Append(r == 0 ? "SELECT " : " UNION ALL SELECT ");
                    values.Append(Parameter(command, id, $"i{r}", rows[r].DocumentId)).Append(" AS id, ");
                    values.Append(Parameter(command, version, $"v{r}", rows[r].ExpectedVersion)).Append(" AS version");
                    for (var c = 0; c < columns.Count; c++)
                        values.Append(", ").Append(Parameter(command, columns[c], $"c{r}_{c}", columns[c].PropertyInfo!.GetValue(rows[r].State)))
                            .Append(" AS c").Append(c);
                }
                var set = string.Join(", ", columns.Select((p, c) => $"{Quote(p.GetColumnName())} = v.c{c}"));
                var idColumn = Quote(id.GetColumnName());
                command.CommandText =
                    $"UPDATE {table} SET {set} FROM ({values}) AS v " +
                    $"WHERE {table}.{idColumn} = v.id AND {table}.{Quote(version.GetColumnName())} = v.version " +
                    $"RETURNING {table}.{idColumn}";
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct)) written.Add(reader.GetFieldValue<Guid>(0));
            }
        }
        return written;
    }

    /// <summary>Inserts sync transactions, inside the caller's transaction.</summary>
    public static async Task InsertAsync(AppDb db, IReadOnlyList<SyncTransaction> transactions, CancellationToken ct)
    {
        var entity = db.Model.FindEntityType(typeof(SyncTransaction))!;
        var properties = entity.GetProperties().Where(p => p.ValueGenerated == Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.Never)
            .ToList();
        var columns = string.Join(", ", properties.Select(p => Quote(p.GetColumnName())));
        foreach (var rows in transactions.Chunk(RowsPerStatement))
        {
            await using var command = Command(db);
            var values = string.Join(", ", rows.Select((row, r) =>
                "(" + string.Join(", ", properties.Select((p, c) => Parameter(command, p, $"t{r}_{c}", p.PropertyInfo!.GetValue(row)))) + ")"));
            command.CommandText = $"INSERT INTO {Quote(entity.GetTableName()!)} ({columns}) VALUES {values}";
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static DbCommand Command(AppDb db)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction()
                              ?? throw new InvalidOperationException("Sync state is written inside a write transaction.");
        return command;
    }

    /// <summary>Adds a parameter typed and converted as EF would for <paramref name="property"/>'s column.</summary>
    private static string Parameter(DbCommand command, IReadOnlyProperty property, string name, object? value)
    {
        var mapping = (RelationalTypeMapping)((IProperty)property).GetRelationalTypeMapping();
        command.Parameters.Add(mapping.CreateParameter(command, "@" + name, value, property.IsNullable));
        return "@" + name;
    }

    private static string Quote(string name) => $"\"{name}\"";
}
