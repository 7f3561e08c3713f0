using InventorySync.Contracts;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Common;

public static class Paging
{
    public static async Task<Paged<TOut>> ToPagedAsync<TIn, TOut>(
        this IQueryable<TIn> query, PageRequest request, Func<TIn, TOut> map, CancellationToken ct)
    {
        var (page, size) = request.Checked();
        var total = await query.CountAsync(ct);
        var items = await query.Skip((page - 1) * size).Take(size).ToListAsync(ct);
        return new Paged<TOut>(items.Select(map).ToList(), page, size, total);
    }

    /// <summary>The page asked for and its size, defaults filled in; a 400 for values out of range.</summary>
    public static (int Page, int Size) Checked(this PageRequest request)
    {
        var page = request.Page ?? 1;
        var size = request.PageSize ?? PageRequest.DefaultSize;
        var v = new Validation();
        v.Check(page >= 1, "page", "must be 1 or more.");
        v.Check(size is >= 1 and <= PageRequest.MaxSize, "pageSize", $"must be between 1 and {PageRequest.MaxSize}.");
        v.ThrowIfInvalid();
        return (page, size);
    }
}
