using InventorySync.Bench;

// dotnet InventorySync.Bench.dll ingest --silo <InventorySync.Silo.dll> [--documents 3000] [--clients 16] [--postgres <server conn>]
// dotnet InventorySync.Bench.dll xero [--calls 2000] [--invoices 10000]
// dotnet InventorySync.Bench.dll sync [--invoices 10000] [--tenants 1000] [--per-tenant 100] [--speed 10] [--postgres <server conn>]
// dotnet InventorySync.Bench.dll sync --own-work --speed 1 [--invoices 10000] [--postgres <server conn>]
var options = BenchOptions.Parse(args);
return options.Scenario switch
{
    "ingest" => await IngestBenchmark.RunAsync(options),
    "xero" => await XeroClientBenchmark.RunAsync(options),
    "sync" => await SyncBenchmark.RunAsync(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: InventorySync.Bench ingest --silo <path to InventorySync.Silo.dll> [--documents N] [--clients N] [--postgres <connection>]");
    Console.Error.WriteLine("       InventorySync.Bench xero [--calls N] [--invoices N]");
    Console.Error.WriteLine("       InventorySync.Bench sync [--invoices N] [--tenants N] [--per-tenant N] [--speed X] [--postgres <connection>]");
    Console.Error.WriteLine("       InventorySync.Bench sync --own-work [--invoices N] [--speed 1] [--postgres <connection>]");
    return 2;
}
