using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using InventorySync.Xero.Models;
using InventorySync.XeroSandbox.State;

namespace InventorySync.XeroSandbox.Api;

/// <summary>GET lists as Xero answers them: filtered by IDs, where and If-Modified-Since, paged up to 1,000.</summary>
public static partial class Queries
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    public static IResult List<T>(HttpContext http, SandboxState s, string name, Func<Org, IEnumerable<(Guid Id, T Item)>> source,
        params (string Query, Func<T, string?> Value)[] filters)
    {
        var q = http.Request.Query;
        var org = AccountingApi.OrgOf(http);
        lock (s.Gate)
        {
            var since = XeroJson.ParseTimestamp(http.Request.Headers.IfModifiedSince.ToString());
            var items = source(org).Where(x => since is null || org.UpdatedAt.GetValueOrDefault(x.Id) >= since).Select(x => x.Item);
            foreach (var (query, value) in filters)
                if (q[query].ToString() is { Length: > 0 } list)
                {
                    var wanted = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
                    items = items.Where(i => value(i) is { } v && wanted.Contains(v));
                }
            if (q["where"].ToString() is { Length: > 0 } where)
            {
                if (Where(where) is not { } predicate) return Errors.Validation($"The where clause '{where}' is not understood.");
                items = items.Where(i => predicate(JsonSerializer.SerializeToNode(i, XeroJson.Options)!));
            }
            var all = items.ToList();
            if (!int.TryParse(q["page"], out var page))
                return Results.Json(Envelope.Write(name, all), XeroJson.Options);
            var size = int.TryParse(q["pageSize"], out var ps) ? Math.Clamp(ps, 1, MaxPageSize) : DefaultPageSize;
            page = Math.Max(1, page);
            var pagination = new Pagination { Page = page, PageSize = size, ItemCount = all.Count, PageCount = (all.Count + size - 1) / size };
            return Results.Json(Envelope.Write(name, all.Skip((page - 1) * size).Take(size), pagination), XeroJson.Options);
        }
    }

    /// <summary>The part of Xero's where language our client uses: Field op value joined by AND.</summary>
    public static Func<JsonNode, bool>? Where(string text)
    {
        var clauses = new List<Func<JsonNode, bool>>();
        foreach (var part in AndSplit().Split(text.Trim()))
        {
            var m = Clause().Match(part.Trim());
            if (!m.Success) return null;
            var path = m.Groups["field"].Value.Split('.');
            var op = m.Groups["op"].Value;
            var raw = m.Groups["value"].Value;
            Func<JsonNode?, int?> compare;
            if (raw.StartsWith("DateTime(", StringComparison.Ordinal))
            {
                var parts = raw[9..^1].Split(',').Select(p => int.Parse(p.Trim(), CultureInfo.InvariantCulture)).ToArray();
                var date = new DateTime(parts[0], parts[1], parts[2], 0, 0, 0, DateTimeKind.Utc);
                compare = n => XeroJson.ParseTimestamp(n?.GetValue<string>()) is { } d ? d.CompareTo(date) : null;
            }
            else
            {
                var literal = raw.StartsWith("Guid(", StringComparison.Ordinal) ? raw[6..^2] : raw.Trim('"');
                compare = n => n is null ? null : string.Compare(n.ToString(), literal, StringComparison.OrdinalIgnoreCase);
            }
            clauses.Add(node =>
            {
                JsonNode? value = node;
                foreach (var p in path) value = value?[p];
                var c = compare(value);
                return c is { } r && op switch
                {
                    "==" => r == 0, "!=" => r != 0, ">" => r > 0, ">=" => r >= 0, "<" => r < 0, "<=" => r <= 0, _ => false,
                };
            });
        }
        return node => clauses.All(c => c(node));
    }

    [GeneratedRegex(@"\s+(?:AND|&&)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex AndSplit();

    [GeneratedRegex(@"^(?<field>[A-Za-z.]+)\s*(?<op>==|!=|>=|<=|>|<)\s*(?<value>""[^""]*""|Guid\(""[^""]*""\)|DateTime\(\s*\d+\s*,\s*\d+\s*,\s*\d+\s*\))$")]
    private static partial Regex Clause();
}
