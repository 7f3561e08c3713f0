using InventorySync.Bench;

// dotnet InventorySync.Bench.dll ingest --silo <InventorySync.Silo.dll> [--documents 3000] [--clients 16] [--postgres <server conn>]
// dotnet InventorySync.Bench.dll xero [--calls 2000] [--invoices 10000]
var options = BenchOptions.Parse(args);
return options.Scenario switch
{
    "ingest" => await IngestBenchmark.RunAsync(options),
    "xero" => await XeroClientBenchmark.RunAsync(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: InventorySync.Bench ingest --silo <path to InventorySync.Silo.dll> [--documents N] [--clients N] [--postgres <connection>]");
    Console.Error.WriteLine("       InventorySync.Bench xero [--calls N] [--invoices N]");
    return 2;
}
