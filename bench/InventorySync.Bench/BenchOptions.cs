namespace InventorySync.Bench;

public sealed record BenchOptions(string Scenario, string SiloPath, int Documents, int Clients, int BatchSize, string? Postgres, int Calls, int Invoices, double Speed, int Tenants, int InvoicesPerTenant, bool OwnWork)
{
    public static BenchOptions Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        return new BenchOptions(
            args.FirstOrDefault() ?? "",
            Value("--silo", ""),
            int.Parse(Value("--documents", "6000")),
            int.Parse(Value("--clients", "16")),
            int.Parse(Value("--batch", "50")),
            Value("--postgres", Environment.GetEnvironmentVariable("INVENTORYSYNC_TEST_POSTGRES") ?? "") is { Length: > 0 } pg ? pg : null,
            int.Parse(Value("--calls", "2000")),
            int.Parse(Value("--invoices", "10000")),
            double.Parse(Value("--speed", "10"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Value("--tenants", "1000")),
            int.Parse(Value("--per-tenant", "100")),
            args.Contains("--own-work"));
    }
}
