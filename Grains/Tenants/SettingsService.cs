using InventorySync.Contracts;
using InventorySync.Grains.Common;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Tenants;

/// <summary>A tenant's integration settings (S3.3, S4.1, S5.1, S6.1) and its account mapping (S5.4).</summary>
public sealed class SettingsService(AppDb db, Sync.Schedules schedules, Activity.ActivityLog activity, IGrainFactory grains, TimeProvider clock)
{
    public const int MaxAlertEmails = 50;

    public async Task<TenantSettingsDto> GetAsync(Guid tenantId, CancellationToken ct) => ToDto(await FindAsync(tenantId, ct));

    /// <summary>Fields left out (null) keep their current value, so a client can change one setting alone.</summary>
    public async Task<TenantSettingsDto> UpdateAsync(Guid tenantId, TenantSettingsDto r, string changedBy, CancellationToken ct)
    {
        var s = await FindAsync(tenantId, ct);
        var before = AutoSync(s);
        var direction = s.PaymentDirection;
        var v = new Validation();
        s.ExportAttachments = r.ExportAttachments ?? s.ExportAttachments;
        s.PaymentDirection = r.PaymentDirection ?? s.PaymentDirection;
        if (r.AutoSync is { } auto)
        {
            s.AutoSyncEnabled = auto.Enabled ?? s.AutoSyncEnabled;
            s.AutoSyncStartDate = auto.StartDate ?? s.AutoSyncStartDate;
            s.AutoSyncStartTime = auto.StartTime ?? s.AutoSyncStartTime;
            s.AutoSyncEvery = auto.Every ?? s.AutoSyncEvery;
            s.AutoSyncUnit = auto.Unit ?? s.AutoSyncUnit;
        }
        var a = v.Nested("autoSync");
        a.Check(!s.AutoSyncEnabled || s.AutoSyncStartDate is not null, "startDate", "is required when auto-sync is on.");
        a.Check(!s.AutoSyncEnabled || s.AutoSyncStartTime is not null, "startTime", "is required when auto-sync is on.");
        var most = s.AutoSyncUnit switch { FrequencyUnit.Minutes => 1440, FrequencyUnit.Hours => 168, _ => 366 };
        a.Check(s.AutoSyncEvery >= 1 && s.AutoSyncEvery <= most, "every", $"must be between 1 and {most} {s.AutoSyncUnit.ToString().ToLowerInvariant()}.");

        if (r.Alerts is { } alerts)
        {
            s.AlertType = alerts.Type ?? s.AlertType;
            if (alerts.Emails is not null)
            {
                var emails = alerts.Emails.Select(e => e.Trim()).Where(e => e.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                for (var i = 0; i < emails.Count; i++)
                    v.Check(Validation.IsEmail(emails[i]), $"alerts.emails[{i}]", $"'{emails[i]}' is not an e-mail address.");
                v.Check(emails.Count <= MaxAlertEmails, "alerts.emails", $"at most {MaxAlertEmails} addresses are allowed.");
                s.AlertEmails = string.Join('\n', emails);
            }
        }
        v.Check(s.AlertType != AlertType.Email || s.AlertEmails.Length > 0, "alerts.emails", "at least one address is required for e-mail alerts.");
        v.ThrowIfInvalid();
        s.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        if (AutoSync(s) is var after && after != before)
        {
            var timeZone = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.TimeZone).SingleAsync(ct);
            await schedules.ApplyAsync(tenantId, s, timeZone, ct);
            activity.Add(tenantId, ActivityType.AutoSyncChanged, changedBy, $"Auto-sync changed by {changedBy}: {before} → {after}", new { Old = before, New = after });
        }
        if (s.PaymentDirection != direction)
            activity.Add(tenantId, ActivityType.PaymentDirectionChanged, changedBy,
                $"Payments changed by {changedBy}: {Describe(direction)} → {Describe(s.PaymentDirection)}",
                new { Old = direction, New = s.PaymentDirection });
        await db.SaveChangesAsync(ct);
        // Also when nothing changed: a retried request repairs a reminder that a failed call left behind.
        await grains.GetGrain<ISyncCoordinatorGrain>(tenantId).FollowScheduleAsync();
        return ToDto(s);
    }

    /// <summary>The auto-sync settings in words, as the activity report shows their changes.</summary>
    private static string AutoSync(TenantSettings s) => s.AutoSyncEnabled
        ? $"on, every {s.AutoSyncEvery} {s.AutoSyncUnit.ToString().ToLowerInvariant()} from {s.AutoSyncStartDate:yyyy-MM-dd} {s.AutoSyncStartTime:HH\\:mm}"
        : "off";

    private static string Describe(PaymentDirection d) => d switch
    {
        PaymentDirection.Push => "push to Xero",
        PaymentDirection.Pull => "pull from Xero",
        _ => "both ways",
    };

    public async Task<AccountMappingsDto> GetAccountMappingsAsync(Guid tenantId, CancellationToken ct)
    {
        await FindAsync(tenantId, ct);
        var codes = await db.AccountMappings.Where(m => m.TenantId == tenantId).ToDictionaryAsync(m => m.Purpose, m => m.AccountCode, ct);
        return new AccountMappingsDto(
            codes.GetValueOrDefault(AccountPurpose.Sales), codes.GetValueOrDefault(AccountPurpose.Purchases),
            codes.GetValueOrDefault(AccountPurpose.Bank), codes.GetValueOrDefault(AccountPurpose.CustomerCredits),
            codes.GetValueOrDefault(AccountPurpose.SupplierDeposits));
    }

    /// <summary>Replaces the whole mapping: a purpose left out (null) is unmapped.</summary>
    public async Task<AccountMappingsDto> PutAccountMappingsAsync(Guid tenantId, AccountMappingsDto r, CancellationToken ct)
    {
        await FindAsync(tenantId, ct);
        var v = new Validation();
        var wanted = new Dictionary<AccountPurpose, string?>
        {
            [AccountPurpose.Sales] = v.OptionalText("sales", r.Sales, 10),
            [AccountPurpose.Purchases] = v.OptionalText("purchases", r.Purchases, 10),
            [AccountPurpose.Bank] = v.OptionalText("bank", r.Bank, 10),
            [AccountPurpose.CustomerCredits] = v.OptionalText("customerCredits", r.CustomerCredits, 10),
            [AccountPurpose.SupplierDeposits] = v.OptionalText("supplierDeposits", r.SupplierDeposits, 10),
        };
        v.ThrowIfInvalid();
        var existing = await db.AccountMappings.Where(m => m.TenantId == tenantId).ToListAsync(ct);
        db.AccountMappings.RemoveRange(existing);
        foreach (var (purpose, code) in wanted)
            if (code is not null)
                db.AccountMappings.Add(new AccountMapping { TenantId = tenantId, Purpose = purpose, AccountCode = code });
        await db.SaveChangesAsync(ct);
        return await GetAccountMappingsAsync(tenantId, ct);
    }

    private async Task<TenantSettings> FindAsync(Guid tenantId, CancellationToken ct) =>
        await db.Settings.FirstOrDefaultAsync(s => s.TenantId == tenantId, ct) ?? throw new NotFoundException($"The tenant {tenantId}");

    private static TenantSettingsDto ToDto(TenantSettings s) => new(
        s.ExportAttachments,
        s.PaymentDirection,
        new AutoSyncSettingsDto(s.AutoSyncEnabled, s.AutoSyncStartDate, s.AutoSyncStartTime, s.AutoSyncEvery, s.AutoSyncUnit),
        new AlertSettingsDto(s.AlertType, s.AlertEmails.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
}
