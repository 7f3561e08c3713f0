using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace InventorySync.Web.Pages;

/// <summary>Previous and next links of a paged list, keeping the page's other query values.</summary>
public sealed record Pager(int Page, int PageSize, int TotalCount, IQueryCollection Query)
{
    public int PageCount => Math.Max(1, (TotalCount + PageSize - 1) / PageSize);

    public static Pager Of<T>(Contracts.Paged<T> page, IQueryCollection query) =>
        new(page.Page, page.PageSize, page.TotalCount, query);

    public string Link(int page)
    {
        var query = new QueryBuilder(Query.Where(q => q.Key != "p").SelectMany(q => q.Value,
            (q, v) => new KeyValuePair<string, string>(q.Key, v ?? ""))) { { "p", page.ToString() } };
        return query.ToQueryString().Value!;
    }
}
