using InventorySync.Contracts;
using InventorySync.Grains.Common;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Tenants;

/// <summary>The operator's side of tenants and their users (S1.1).</summary>
public sealed class TenantService(AppDb db, TimeProvider clock)
{
    public async Task<TenantResponse> CreateAsync(TenantRequest r, CancellationToken ct)
    {
        var now = Now;
        var tenant = new Tenant { Id = Guid.CreateVersion7(), Name = "", TimeZone = "UTC", Status = TenantStatus.Active, CreatedAt = now };
        Apply(tenant, r);
        db.Tenants.Add(tenant);
        db.Settings.Add(new TenantSettings { TenantId = tenant.Id, UpdatedAt = now });
        await db.SaveChangesAsync(ct);
        return ToResponse(tenant);
    }

    public Task<Paged<TenantResponse>> ListAsync(PageRequest page, CancellationToken ct) =>
        db.Tenants.OrderBy(t => t.Id).ToPagedAsync(page, ToResponse, ct);

    public async Task<TenantResponse> GetAsync(Guid id, CancellationToken ct) => ToResponse(await FindAsync(id, ct));

    public async Task<TenantResponse> UpdateAsync(Guid id, TenantRequest r, CancellationToken ct)
    {
        var tenant = await FindAsync(id, ct);
        Apply(tenant, r);
        await db.SaveChangesAsync(ct);
        return ToResponse(tenant);
    }

    public async Task<TenantResponse> SetStatusAsync(Guid id, TenantStatus status, CancellationToken ct)
    {
        var tenant = await FindAsync(id, ct);
        tenant.Status = status;
        tenant.UpdatedAt = Now;
        await db.SaveChangesAsync(ct);
        return ToResponse(tenant);
    }

    /// <summary>Deletes the tenant and, by cascade, every row that belongs to it.</summary>
    public async Task DeleteAsync(Guid id, CancellationToken ct)
    {
        if (await db.Tenants.Where(t => t.Id == id).ExecuteDeleteAsync(ct) == 0)
            throw new NotFoundException($"The tenant {id}");
    }

    public async Task<CreatedUserResponse> CreateUserAsync(Guid tenantId, UserRequest r, CancellationToken ct)
    {
        await FindAsync(tenantId, ct);
        var v = new Validation();
        var name = v.Text("name", r.Name, 100);
        v.ThrowIfInvalid();
        var key = ApiKeys.New();
        var user = new User
        {
            Id = Guid.CreateVersion7(), TenantId = tenantId, Name = name,
            KeyHash = ApiKeys.Hash(key), KeyPrefix = ApiKeys.Display(key), CreatedAt = Now,
        };
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        return new CreatedUserResponse(user.Id, user.Name, key, user.CreatedAt);
    }

    public async Task<IReadOnlyList<UserResponse>> ListUsersAsync(Guid tenantId, CancellationToken ct)
    {
        await FindAsync(tenantId, ct);
        var users = await db.Users.Where(u => u.TenantId == tenantId).OrderBy(u => u.Id).ToListAsync(ct);
        return users.Select(ToResponse).ToList();
    }

    /// <summary>Revoking twice is harmless: the key stays revoked from the first time.</summary>
    public async Task<UserResponse> RevokeUserAsync(Guid tenantId, Guid userId, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.TenantId == tenantId && u.Id == userId, ct)
                   ?? throw new NotFoundException($"The user {userId}");
        user.RevokedAt ??= Now;
        await db.SaveChangesAsync(ct);
        return ToResponse(user);
    }

    public static bool IsTimeZone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);

    private void Apply(Tenant tenant, TenantRequest r)
    {
        var v = new Validation();
        var name = v.Text("name", r.Name, 200);
        var timeZone = r.TimeZone?.Trim() is { Length: > 0 } tz ? tz : tenant.TimeZone;
        v.Check(IsTimeZone(timeZone), "timeZone", $"'{timeZone}' is not a known IANA time zone such as Europe/London.");
        v.ThrowIfInvalid();
        tenant.Name = name;
        tenant.TimeZone = timeZone;
        tenant.UpdatedAt = Now;
    }

    private async Task<Tenant> FindAsync(Guid id, CancellationToken ct) =>
        await db.Tenants.FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw new NotFoundException($"The tenant {id}");

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private static TenantResponse ToResponse(Tenant t) => new(t.Id, t.Name, t.TimeZone, t.Status, t.CreatedAt, t.UpdatedAt);

    private static UserResponse ToResponse(User u) => new(u.Id, u.Name, u.KeyPrefix, u.CreatedAt, u.RevokedAt);
}
