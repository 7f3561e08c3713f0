using InventorySync.Contracts;

namespace InventorySync.Grains.Reconciliation;

/// <summary>
/// A document as one side holds it, for the comparison: Xero's id links the sides; <see cref="ByAccount"/> spreads its
/// lines (or a payment) over the accounts they post to.
/// </summary>
public sealed record Compared(SyncEntity Type, Guid? OurId, string? Link, string? XeroId, string? Number,
    decimal Amount,
    IReadOnlyDictionary<string, decimal> ByAccount);

/// <summary>
/// Our documents against Xero's (S8.1): one side only is Missed on the other, both sides with different amounts are
/// Different, the rest match and are not listed; totals per document type either way.
/// </summary>
public static class ReconciliationComparison
{
    /// <param name="accounts">The accounts looked at: a document posting to none of them is left out. Empty: all.
    /// </param>
    public static ReconciliationResult Compare(IReadOnlyList<Compared> ours, IReadOnlyList<Compared> xero,
        IReadOnlyCollection<string> accounts, bool detailed)
    {
        bool Looked(Compared d) => accounts.Count == 0 || d.ByAccount.Keys.Any(accounts.Contains);
        (ours, xero) = (ours.Where(Looked).ToList(), xero.Where(Looked).ToList());
        var theirs = xero.Where(x => x.XeroId is not null).ToDictionary(x => x.XeroId!,
            StringComparer.OrdinalIgnoreCase);
        var differences = new List<ReconciliationDifference>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var o in ours)
        {
            if (o.XeroId is null || !theirs.TryGetValue(o.XeroId, out var x))
            {
                differences.Add(Difference(o, null, "Missed", "ours"));
                continue;
            }
            seen.Add(o.XeroId);
            if (x.Amount != o.Amount) differences.Add(Difference(o, x, "Different", null));
        }
        differences.AddRange(xero.Where(x => x.XeroId is null || !seen.Contains(x.XeroId))
            .Select(x => Difference(null, x, "Missed", "xero")));
        var totals = ours.Select(o => o.Type).Concat(xero.Select(x => x.Type)).Distinct().Order()
            .Select(type =>
            {
                var (o, x) = (ours.Where(d => d.Type == type).ToList(), xero.Where(d => d.Type == type).ToList());
                return new ReconciliationTotal(type, o.Count, o.Sum(d => d.Amount), x.Count, x.Sum(d => d.Amount),
                    o.Sum(d => d.Amount) - x.Sum(d => d.Amount));
            })
            .ToList();
        var byAccount = ours.Select(d => (Side: 0, Doc: d)).Concat(xero.Select(d => (Side: 1, Doc: d)))
            .SelectMany(x => x.Doc.ByAccount.Select(a => (x.Side, x.Doc.Type, Account: a.Key, a.Value)))
            .Where(x => accounts.Count == 0 || accounts.Contains(x.Account))
            .GroupBy(x => (x.Account, x.Type)).OrderBy(g => g.Key.Account,
                StringComparer.Ordinal).ThenBy(g => g.Key.Type)
            .Select(g =>
            {
                var (o, x) = (g.Where(a => a.Side == 0).Sum(a => a.Value), g.Where(a => a.Side == 1).Sum(a => a.Value));
                return new ReconciliationAccountTotal(g.Key.Account, g.Key.Type, o, x, o - x);
            })
            .ToList();
        return new ReconciliationResult(differences.Count == 0, differences.Count, totals, byAccount,
            detailed ? differences : null);
    }

    private static ReconciliationDifference Difference(Compared? ours, Compared? xero, string status, string? side) =>
        new((ours ?? xero)!.Type, status, side, ours?.OurId, ours?.Link, ours?.Number, ours?.Amount,
            xero?.XeroId ?? ours?.XeroId, xero?.Number, xero?.Amount);
}
