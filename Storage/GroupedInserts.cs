using System.Runtime.ExceptionServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InventorySync.Storage;

/// <summary>
/// New rows from concurrent requests committed together (<see cref="CommitGroups{TWrite,TResult}"/>): one
/// transaction and one fsync for many sales instead of one each. When a group fails (say, a number another request
/// took a moment ago), each request's rows are tried alone, so only the offending request sees the error and the
/// others are not held back by it.
/// </summary>
public sealed class GroupedInserts
{
    private const int MaxGroup = 200;

    private readonly IServiceScopeFactory _scopes;
    private readonly CommitGroups<IReadOnlyList<object>, Exception?> _groups;

    public GroupedInserts(IServiceScopeFactory scopes, IHostApplicationLifetime host)
    {
        _scopes = scopes;
        _groups = new CommitGroups<IReadOnlyList<object>, Exception?>(
            CommitAsync, MaxGroup, writers: 1, host.ApplicationStopping);
    }

    /// <summary>
    /// Inserts the entities (with the graphs they reach); returns once they are committed. Inside a transaction of
    /// the caller's (an idempotent request's, whose record must commit with its rows) they go in that transaction.
    /// </summary>
    public async Task InsertAsync(AppDb callers, IReadOnlyList<object> entities, CancellationToken ct)
    {
        if (callers.Database.CurrentTransaction is not null)
        {
            callers.AddRange(entities);
            await callers.SaveChangesAsync(ct);
        }
        else if (await _groups.WriteAsync(entities) is { } error)
        {
            ExceptionDispatchInfo.Throw(error);
        }
    }

    private async Task<IReadOnlyList<Exception?>> CommitAsync(
        IReadOnlyList<IReadOnlyList<object>> group, CancellationToken ct)
    {
        try
        {
            await SaveAsync(group.SelectMany(entities => entities), ct);
            return new Exception?[group.Count];
        }
        catch (DbUpdateException) when (group.Count > 1)
        {
            var results = new Exception?[group.Count];
            for (var i = 0; i < group.Count; i++)
            {
                try
                {
                    await SaveAsync(group[i], ct);
                }
                catch (DbUpdateException e)
                {
                    results[i] = e;
                }
            }
            return results;
        }
    }

    private async Task SaveAsync(IEnumerable<object> entities, CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        db.AddRange(entities);
        await db.SaveChangesAsync(ct);
    }
}
