using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using InventorySync.Contracts;
using InventorySync.Tests.Infrastructure;

namespace InventorySync.Tests.Api;

/// <summary>
/// Meters are named, and a process's metrics listener hears every meter of that name: the tests that count runs
/// and calls run alone, so that other test hosts' runs are not counted with theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "metrics";
}

/// <summary>What operators watch: /metrics in Prometheus' format and the Orleans Dashboard (S9.1).</summary>
public abstract partial class OperationsTests(XeroApp fixture) : XeroApiTest(fixture)
{
    /// <summary>One sample of the Prometheus text format: <c>name{label="value",...} number</c>.</summary>
    protected sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""(?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(\\.|[^"\\])*)" """,
        RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Label();

    protected static List<Sample> Parse(string text) => text.Split('\n')
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .Select(l => SampleLine().Match(l))
        .Select(m =>
        {
            Assert.True(m.Success, $"not a Prometheus sample: {m.Value}");
            var labels = Label().Matches(m.Groups["labels"].Value)
                .ToDictionary(l => l.Groups["key"].Value, l => l.Groups["value"].Value);
            return new Sample(m.Groups["name"].Value, labels,
                double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
        }).ToList();

    private static double Sum(List<Sample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value))
            .Sum(s => s.Value);

    [Fact]
    public async Task After_a_run_the_operators_metrics_count_it_its_documents_and_its_Xero_calls()
    {
        var (tenantId, user, org) = await ConnectedTenantAsync();
        var contact = await NewContactAsync(user, tenantId, "Metered Ltd");
        await NewSaleAsync(user, tenantId, contact.Id, "INV-M1", "INV-M2");
        var before = Parse(await Admin.GetStringAsync("/metrics"));

        var run = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));

        Assert.Equal((RunState.Succeeded, 3), (run.State, run.Synced));
        var after = Parse(await Admin.GetStringAsync("/metrics"));
        double Grew(string name, params (string, string)[] labels) =>
            Sum(after, name, labels) - Sum(before, name, labels);
        Assert.Equal(1, Grew("inventorysync_runs_total", ("outcome", "Succeeded"), ("trigger", "Manual")));
        Assert.Equal(3, Grew("inventorysync_documents_total", ("status", "synced")));
        Assert.Equal(1, Grew("inventorysync_run_duration_seconds_count", ("outcome", "Succeeded")));
        var calls = Xero.Xero.RequestsTo(org).Count(r => r.At >= run.CreatedAt);
        Assert.Equal(calls, Grew("inventorysync_xero_calls_total", ("status", "200")));
        int remaining;
        lock (Xero.State.Gate) remaining = org.DayLimit - Xero.Xero.RequestsTo(org).Count;
        Assert.Equal(remaining, Sum(after, "inventorysync_xero_day_budget_remaining", ("tenant", tenantId.ToString())));
        Assert.Contains(after, s => s.Name == "http_server_request_duration_seconds_count");
        Assert.Contains(after, s => s.Name.StartsWith("dotnet_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_and_the_dashboard_are_for_the_operator_alone()
    {
        var (_, user, _) = await NewTenantWithUserAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await App.CreateClient().GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("/dashboard/")).StatusCode);
        var dashboard = await Admin.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("Orleans", await dashboard.Content.ReadAsStringAsync());
    }
}

[Collection(MetricsCollection.Name)]
public sealed class OperationsTests_Sqlite(SqliteXeroApp fixture)
    : OperationsTests(fixture), IClassFixture<SqliteXeroApp>;

[Collection(MetricsCollection.Name)]
public sealed class OperationsTests_Postgres(PostgresXeroApp fixture)
    : OperationsTests(fixture), IClassFixture<PostgresXeroApp>
{
    [Fact]
    public async Task Npgsql_reports_its_connections()
    {
        var samples = Parse(await Admin.GetStringAsync("/metrics"));
        Assert.Contains(samples, s => s.Name.StartsWith("db_client_", StringComparison.Ordinal));
    }
}
