using System.Text.Json;
using System.Text.Json.Nodes;
using InventorySync.Xero.Models;
using InventorySync.XeroSandbox.State;

namespace InventorySync.XeroSandbox.Api;

/// <summary>
/// What a list endpoint takes besides <c>where</c> and <c>order</c> (both always): the Xero parameters listing ids
/// or numbers, the fields <c>searchTerm</c> looks in, and whether it pages, takes <c>unitdp</c> or
/// <c>summaryOnly</c>. A parameter outside this is refused as not emulated.
/// </summary>
public sealed record ListOptions<T>(
    (string Query, Func<T, string?> Value)[] Filters,
    Func<T, string?>[] SearchFields,
    bool Paged = true,
    bool UnitDecimals = false,
    bool SummaryOnly = false);

/// <summary>Query parameters shared by lists, reads and writes.</summary>
public static class Query
{
    /// <summary>Decimal places of unit amounts: 4 with unitdp=4, else 2.</summary>
    public static int UnitDecimals(HttpContext http) => http.Request.Query["unitdp"] == "4" ? 4 : 2;

    public static bool SummaryOnly(HttpContext http) =>
        string.Equals(http.Request.Query["summaryOnly"], "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>A 400 naming the first parameter outside <paramref name="accepted"/>, or null.</summary>
    public static IResult? RefuseOthers(HttpContext http, IEnumerable<string> accepted)
    {
        var known = accepted.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return http.Request.Query.Keys.FirstOrDefault(k => !known.Contains(k)) is { } other
            ? Errors.Validation($"The query parameter '{other}' is not emulated by XeroSandbox on {http.Request.Path}.")
            : null;
    }
}

/// <summary>
/// GET lists as Xero answers them: filtered by ids, <c>where</c>, <c>searchTerm</c> and If-Modified-Since, ordered
/// by <c>order</c>, paged up to 1,000, each document presented as Xero shows it.
/// </summary>
public static class Queries
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    public static IResult List<T>(HttpContext http, SandboxState s, string name,
        Func<Org, IEnumerable<(Guid Id, T Item)>> source, ListOptions<T> options, Func<Org, T, HttpContext, T> present)
    {
        if (Query.RefuseOthers(http, Accepted(options)) is { } refused) return refused;
        var q = http.Request.Query;
        var org = AccountingApi.OrgOf(http);
        Func<JsonNode, bool>? where;
        List<(Func<JsonNode, JsonNode?> Value, bool Descending)> order;
        try
        {
            where = q["where"].ToString() is { Length: > 0 } clause ? Where.Parse(clause, typeof(T)) : null;
            order = Order(q["order"].ToString());
        }
        catch (WhereException e)
        {
            return Errors.Validation(e.Message);
        }
        lock (org.DocumentsGate)
        {
            var since = XeroJson.ParseTimestamp(http.Request.Headers.IfModifiedSince.ToString());
            var items = source(org).Where(x => since is null || org.UpdatedAt.GetValueOrDefault(x.Id) >= since)
                .Select(x => x.Item);
            foreach (var (query, value) in options.Filters)
                if (q[query].ToString() is { Length: > 0 } list)
                {
                    var wanted = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                        .ToHashSet(StringComparer.OrdinalIgnoreCase);
                    items = items.Where(i => value(i) is { } v && wanted.Contains(v));
                }
            if (q["searchTerm"].ToString() is { Length: > 0 } term)
                items = items.Where(i => options.SearchFields.Any(f => f(i)?.Contains(term,
                    StringComparison.OrdinalIgnoreCase) == true));
            var all = items.ToList();
            if (where is not null || order.Count > 0)
            {
                var nodes = all.Select(i => (Item: i, Node: JsonSerializer.SerializeToNode(i,
                    XeroJson.Options)!)).ToList();
                if (where is not null) nodes = nodes.Where(n => where(n.Node)).ToList();
                if (order.Count > 0) nodes.Sort((a, b) => Compare(order, a.Node, b.Node));
                all = nodes.Select(n => n.Item).ToList();
            }
            if (!options.Paged || !int.TryParse(q["page"], out var page))
                return Answers.List(name, all.Select(i => present(org, i, http)), s.Now);
            var size = int.TryParse(q["pageSize"], out var ps) ? Math.Clamp(ps, 1, MaxPageSize) : DefaultPageSize;
            page = Math.Max(1, page);
            var pagination = new Pagination
            {
                Page = page, PageSize = size, ItemCount = all.Count, PageCount = (all.Count + size - 1) / size,
            };
            var answer = all.Skip((page - 1) * size).Take(size).Select(i => present(org, i, http));
            return Answers.List(name, answer, s.Now, pagination);
        }

        List<(Func<JsonNode, JsonNode?>, bool)> Order(string text) => text.Length == 0
            ? []
            : text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(part =>
            {
                var words = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length > 2 || (words.Length == 2 && words[1].ToUpperInvariant() is not ("ASC" or "DESC")))
                    throw new WhereException($"The order '{text}' is not understood at '{part}'.");
                return (Where.Path(words[0], typeof(T)), words.Length == 2 && words[1].ToUpperInvariant() == "DESC");
            }).ToList();
    }

    private static int Compare(List<(Func<JsonNode, JsonNode?> Value, bool Descending)> order, JsonNode a, JsonNode b)
    {
        foreach (var (value, descending) in order)
            if (Where.Compare(value(a), value(b)) is var c and not 0)
                return descending ? -c : c;
        return 0;
    }

    private static IEnumerable<string> Accepted<T>(ListOptions<T> options)
    {
        yield return "where";
        yield return "order";
        foreach (var (query, _) in options.Filters) yield return query;
        if (options.SearchFields.Length > 0) yield return "searchTerm";
        if (options.Paged)
        {
            yield return "page";
            yield return "pageSize";
        }
        if (options.UnitDecimals) yield return "unitdp";
        if (options.SummaryOnly) yield return "summaryOnly";
    }
}
