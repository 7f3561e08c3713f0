using System.Text.Json;
using System.Text.Json.Serialization;
using InventorySync.Contracts;
using InventorySync.Grains.Common;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Activity;

/// <summary>
/// The system activity report (S7): runs, auto-sync changes, postponed and skipped slots, refused manual syncs and
/// connections needing authorisation. <see cref="Add"/> only stages the entry: it is written by the caller's save,
/// together with the change it describes.
/// </summary>
public sealed class ActivityLog(AppDb db, TimeProvider clock)
{
    private static readonly JsonSerializerOptions DetailsJson = new(JsonSerializerOptions.Web) { Converters = { new JsonStringEnumConverter() } };

    public void Add(Guid tenantId, ActivityType type, string? userName, string summary, object? details = null) =>
        db.Activity.Add(new ActivityEntry
        {
            TenantId = tenantId, At = clock.GetUtcNow().UtcDateTime, Type = type.ToString(), UserName = userName, Summary = summary,
            Details = details is null ? null : JsonSerializer.Serialize(details, DetailsJson),
        });

    public async Task<Paged<ActivityResponse>> ListAsync(Guid tenantId, ActivityQuery q, CancellationToken ct)
    {
        var v = new Validation();
        v.Check(q.From is null || q.To is null || q.From <= q.To, "from", "must not be after 'to'.");
        v.ThrowIfInvalid();
        var entries = db.Activity.Where(a => a.TenantId == tenantId);
        if (q.From is { } from) entries = entries.Where(a => a.At >= from.ToUniversalTime());
        if (q.To is { } to) entries = entries.Where(a => a.At <= to.ToUniversalTime());
        if (q.Type is { } type) entries = entries.Where(a => a.Type == type.ToString());
        if (!string.IsNullOrWhiteSpace(q.User)) entries = entries.Where(a => a.UserName == q.User.Trim());
        if (!string.IsNullOrWhiteSpace(q.Search)) entries = entries.Where(a => a.Summary.Contains(q.Search.Trim()));
        return await entries.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).ToPagedAsync(new PageRequest(q.Page, q.PageSize),
            a => new ActivityResponse(a.Id, a.At, Enum.Parse<ActivityType>(a.Type), a.UserName, a.Summary,
                a.Details is null ? null : JsonSerializer.Deserialize<JsonElement>(a.Details)), ct);
    }
}
