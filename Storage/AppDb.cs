using System.Text;
using InventorySync.Contracts;
using InventorySync.Storage.Entities;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace InventorySync.Storage;

public sealed class AppDb(DbContextOptions<AppDb> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<User> Users => Set<User>();
    public DbSet<OperatorKey> OperatorKeys => Set<OperatorKey>();
    public DbSet<TenantSettings> Settings => Set<TenantSettings>();
    public DbSet<AccountMapping> AccountMappings => Set<AccountMapping>();
    public DbSet<XeroConnection> XeroConnections => Set<XeroConnection>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<Invoice> Invoices => Set<Invoice>();
    public DbSet<CreditNote> CreditNotes => Set<CreditNote>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<BankTransaction> BankTransactions => Set<BankTransaction>();
    public DbSet<Attachment> Attachments => Set<Attachment>();
    public DbSet<AttachmentContent> AttachmentContents => Set<AttachmentContent>();
    public DbSet<AttachmentExport> AttachmentExports => Set<AttachmentExport>();
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<SyncTransaction> SyncTransactions => Set<SyncTransaction>();
    public DbSet<Schedule> Schedules => Set<Schedule>();
    public DbSet<MaintenanceWindow> MaintenanceWindows => Set<MaintenanceWindow>();
    public DbSet<ActivityEntry> Activity => Set<ActivityEntry>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<Reconciliation> Reconciliations => Set<Reconciliation>();

    /// <summary>Whether this context stores in SQLite (EF's own check reads the provider's assembly name each time).
    /// </summary>
    private bool OnSqlite => Database.GetDbConnection() is SqliteConnection;

    private SemaphoreSlim? WriteGate => OnSqlite ? SqliteWriteGate.For(Database.GetConnectionString()!) : null;

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess,
        CancellationToken cancellationToken = default)
    {
        WriteSyncStatusWithEveryNewVersion();
        if (Database.CurrentTransaction is not null || WriteGate is not { } gate)
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        await gate.WaitAsync(cancellationToken);
        try { return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken); }
        finally { gate.Release(); }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        WriteSyncStatusWithEveryNewVersion();
        if (Database.CurrentTransaction is not null || WriteGate is not { } gate)
            return base.SaveChanges(acceptAllChangesOnSuccess);
        gate.Wait();
        try { return base.SaveChanges(acceptAllChangesOnSuccess); }
        finally { gate.Release(); }
    }

    /// <summary>
    /// A new version is pending whatever this context read of the sync columns: the row's status is written with the
    /// version, never left as a document grain wrote it for the version before (see <see cref="SyncStateSql"/>).
    /// </summary>
    private void WriteSyncStatusWithEveryNewVersion()
    {
        foreach (var entry in ChangeTracker.Entries<TenantDocument>())
        {
            if (entry.State != EntityState.Modified || !entry.Property(d => d.Version).IsModified) continue;
            var sync = entry.ComplexProperty(d => d.Sync);
            sync.Property(s => s.Status).IsModified = true;
            sync.Property(s => s.PendingSince).IsModified = true;
        }
    }

    /// <summary>Begins a transaction for several writes that must commit together.</summary>
    public async Task<WriteTransaction> BeginWriteAsync(CancellationToken ct)
    {
        var gate = WriteGate;
        if (gate is not null) await gate.WaitAsync(ct);
        try
        {
            return new WriteTransaction(await Database.BeginTransactionAsync(ct), gate);
        }
        catch
        {
            gate?.Release();
            throw;
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder b)
    {
        b.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        b.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
        b.Properties<decimal>().HavePrecision(19, 4);
        b.Properties<string>().HaveMaxLength(400);
        foreach (var enumType in typeof(SyncStatus).Assembly.GetTypes().Where(t => t.IsEnum))
            b.Properties(enumType).HaveConversion<string>().HaveMaxLength(40);
    }

    protected override void OnModelCreating(ModelBuilder m)
    {
        m.Entity<Tenant>(e =>
        {
            e.ToTable("tenants");
            e.Property(x => x.Name).HasMaxLength(200);
        });
        m.Entity<User>(e =>
        {
            e.ToTable("users");
            e.HasIndex(x => x.KeyHash).IsUnique();
            e.HasIndex(x => x.TenantId);
            TenantOwned(e);
        });
        m.Entity<OperatorKey>().ToTable("operator_keys");
        m.Entity<TenantSettings>(e =>
        {
            e.ToTable("tenant_settings");
            e.HasKey(x => x.TenantId);
            e.Property(x => x.AlertEmails).HasMaxLength(4000);
            e.Property(x => x.PaymentsWebhookUrl).HasMaxLength(2000);
            e.Property(x => x.PaymentsWebhookSecretProtected).HasMaxLength(8000);
            TenantOwned(e);
        });
        m.Entity<AccountMapping>(e =>
        {
            e.ToTable("account_mappings");
            e.HasKey(x => new { x.TenantId, x.Purpose });
            TenantOwned(e);
        });
        m.Entity<XeroConnection>(e =>
        {
            e.ToTable("xero_connections");
            e.HasKey(x => x.TenantId);
            e.Property(x => x.AccessTokenProtected).HasMaxLength(8000);
            e.Property(x => x.RefreshTokenProtected).HasMaxLength(8000);
            e.Property(x => x.Version).IsConcurrencyToken();
            TenantOwned(e);
        });
        m.Entity<DataProtectionKey>(e =>
        {
            e.ToTable("data_protection_keys");
            e.Property(x => x.FriendlyName).IsRequired().HasMaxLength(400);
            e.Property(x => x.Xml).IsRequired().HasMaxLength(16000);
        });
        m.Entity<IdempotencyRecord>(e =>
        {
            e.ToTable("idempotency_records");
            e.HasKey(x => new { x.Scope, x.Key });
            e.Property(x => x.Body).HasMaxLength(1_000_000);
            e.HasIndex(x => x.CreatedAt);
        });

        Document<Contact>(m, "contacts");
        m.Entity<Order>(e =>
        {
            e.ToTable("orders");
            e.HasIndex(x => new { x.TenantId, x.Kind, x.CreatedAt });
            e.HasMany(x => x.Invoices).WithOne(x => x.Order).HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Contact>().WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.NoAction);
            TenantOwned(e);
        });
        LineItems<Invoice>(m, "invoices", "invoice_lines", e =>
        {
            // Xero refuses two sale invoices with one number; bills may repeat a supplier's number.
            e.HasIndex(x => new { x.TenantId, x.InvoiceNumber }).IsUnique().HasFilter("kind = 'Sale'");
            e.HasIndex(x => x.OrderId);
        });
        LineItems<CreditNote>(m, "credit_notes", "credit_note_lines", e =>
        {
            e.HasOne<Contact>().WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.NoAction);
            e.HasOne<Order>().WithMany().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.NoAction);
        });
        Document<Payment>(m, "payments", e =>
        {
            e.Ignore(x => x.DocumentId);
            e.Ignore(x => x.DocumentIdOrNull);
            e.Property(x => x.Amount).HasPrecision(19, 2);
            e.HasIndex(x => x.InvoiceId);
            e.HasIndex(x => x.CreditNoteId);
            e.HasIndex(x => new { x.TenantId, x.FeedSequence }).IsUnique();
            e.HasOne<Invoice>().WithMany().HasForeignKey(x => x.InvoiceId).OnDelete(DeleteBehavior.NoAction);
            e.HasOne<CreditNote>().WithMany().HasForeignKey(x => x.CreditNoteId).OnDelete(DeleteBehavior.NoAction);
        });
        Document<BankTransaction>(m, "bank_transactions", e =>
        {
            e.Property(x => x.Amount).HasPrecision(19, 2);
            e.HasOne<Order>().WithMany().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.NoAction);
            e.HasOne<Contact>().WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.NoAction);
        });
        m.Entity<Attachment>(e =>
        {
            e.ToTable("attachments");
            e.Property(x => x.FileName).HasMaxLength(255);
            e.HasIndex(x => x.OrderId);
            e.HasOne<Order>().WithMany().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Cascade);
            TenantOwned(e);
        });
        m.Entity<AttachmentContent>(e =>
        {
            e.ToTable("attachment_contents");
            e.HasKey(x => x.AttachmentId);
            e.HasOne<Attachment>().WithOne().HasForeignKey<AttachmentContent>(x => x.AttachmentId).OnDelete(DeleteBehavior.Cascade);
        });
        m.Entity<AttachmentExport>(e =>
        {
            e.ToTable("attachment_exports");
            e.HasKey(x => new { x.AttachmentId, x.InvoiceId });
            e.HasOne<Attachment>().WithMany().HasForeignKey(x => x.AttachmentId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Invoice>().WithMany().HasForeignKey(x => x.InvoiceId).OnDelete(DeleteBehavior.Cascade);
            TenantOwned(e);
        });

        m.Entity<Run>(e =>
        {
            e.ToTable("runs");
            e.Property(x => x.Message).HasMaxLength(4000);
            // The database, not a lock in memory, guarantees one active run per tenant (DESIGN invariant 2).
            e.HasIndex(x => x.TenantId).IsUnique().HasFilter("state IN ('Queued', 'Running')")
                .HasDatabaseName("ux_runs_one_active_per_tenant");
            e.HasIndex(x => new { x.TenantId, x.CreatedAt });
            TenantOwned(e);
        });
        m.Entity<SyncTransaction>(e =>
        {
            e.ToTable("sync_transactions");
            e.Property(x => x.Message).HasMaxLength(4000);
            // A tenant's history is read newest first; a run's transactions by the run's own index.
            e.HasIndex(x => new { x.TenantId, x.Id });
            e.HasOne<Run>().WithMany().HasForeignKey(x => x.RunId).OnDelete(DeleteBehavior.Cascade);
            TenantOwned(e);
        });
        m.Entity<Schedule>(e =>
        {
            e.ToTable("schedules");
            e.HasKey(x => x.TenantId);
            e.HasIndex(x => x.NextDueUtc);
            TenantOwned(e);
        });
        m.Entity<MaintenanceWindow>(e =>
        {
            e.ToTable("maintenance_windows");
            e.HasIndex(x => new { x.StartsAt, x.EndsAt });
        });
        m.Entity<ActivityEntry>(e =>
        {
            e.ToTable("activity");
            e.Property(x => x.Details).HasMaxLength(8000);
            e.HasIndex(x => new { x.TenantId, x.At });
            TenantOwned(e);
        });
        m.Entity<Notification>(e =>
        {
            e.ToTable("notifications");
            e.Property(x => x.Body).HasMaxLength(8000);
            e.HasIndex(x => new { x.TenantId, x.At });
            TenantOwned(e);
        });
        m.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox");
            e.Property(x => x.Payload).HasMaxLength(1_000_000);
            e.Property(x => x.LastError).HasMaxLength(4000);
            e.HasIndex(x => new { x.SentAt, x.NextAttemptAt });
            e.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Cascade);
        });
        m.Entity<Reconciliation>(e =>
        {
            e.ToTable("reconciliations");
            e.Property(x => x.Accounts).HasMaxLength(4000);
            e.Property(x => x.Result).HasMaxLength(10_000_000);
            e.Property(x => x.Message).HasMaxLength(4000);
            e.HasIndex(x => new { x.TenantId, x.CreatedAt });
            TenantOwned(e);
        });

        SnakeCaseNames(m);
    }

    private static void TenantOwned<T>(EntityTypeBuilder<T> e) where T : class =>
        e.HasOne<Tenant>().WithMany().HasForeignKey("TenantId").OnDelete(DeleteBehavior.Cascade);

    private static void Document<T>(ModelBuilder m, string table, Action<EntityTypeBuilder<T>>? configure = null)
        where T : TenantDocument
    {
        m.Entity<T>(e =>
        {
            e.ToTable(table);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.ComplexProperty(x => x.Sync, s => s.Property(x => x.LastError).HasMaxLength(4000));
            e.HasIndex(x => new { x.TenantId, x.CreatedAt });
            TenantOwned(e);
            configure?.Invoke(e);
        });
    }

    private static void LineItems<T>(ModelBuilder m, string table, string linesTable,
        Action<EntityTypeBuilder<T>> configure)
        where T : LineItemDocument =>
        Document<T>(m, table, e =>
        {
            e.Property(x => x.CurrencyCode).HasMaxLength(3);
            e.Property(x => x.SubTotal).HasPrecision(19, 2);
            e.Property(x => x.TotalTax).HasPrecision(19, 2);
            e.Property(x => x.Total).HasPrecision(19, 2);
            e.Property(x => x.AmountPaid).HasPrecision(19, 2);
            e.Ignore(x => x.AmountDue);
            e.OwnsMany(x => x.Lines, l =>
            {
                l.ToTable(linesTable);
                l.WithOwner().HasForeignKey("DocumentId");
                l.HasKey("DocumentId", nameof(DocumentLine.LineNumber));
                l.Property(x => x.LineNumber).ValueGeneratedNever();
                l.Property(x => x.Description).HasMaxLength(4000);
                l.Property(x => x.LineAmount).HasPrecision(19, 2);
                l.Property(x => x.TaxAmount).HasPrecision(19, 2);
            });
            configure(e);
        });

    /// <summary>PostgreSQL folds unquoted names to lower case: snake_case names keep hand-written SQL readable on both providers.</summary>
    private static void SnakeCaseNames(ModelBuilder m)
    {
        foreach (var entity in m.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            foreach (var property in entity.GetProperties())
                property.SetColumnName(SnakeCase(property.Name));
            foreach (var complex in entity.GetComplexProperties())
                foreach (var property in complex.ComplexType.GetProperties())
                    property.SetColumnName(SnakeCase(complex.Name) + "_" + SnakeCase(property.Name));
            foreach (var key in entity.GetKeys())
                key.SetName($"pk_{table}");
            foreach (var fk in entity.GetForeignKeys())
                fk.SetConstraintName($"fk_{table}_{string.Join("_", fk.Properties.Select(p => SnakeCase(p.Name)))}");
            foreach (var index in entity.GetIndexes().Where(i => i.GetDatabaseName()?.StartsWith("ux_") != true))
                index.SetDatabaseName($"ix_{table}_{string.Join("_", index.Properties.Select(p => SnakeCase(p.Name)))}");
        }
    }

    internal static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0 && !char.IsUpper(name[i - 1])) sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }

    /// <summary>All times are UTC; SQLite forgets the kind, PostgreSQL's timestamptz insists on it.</summary>
    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
