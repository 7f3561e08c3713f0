using InventorySync.Bench;

// dotnet InventorySync.Bench.dll ingest --silo <InventorySync.Silo.dll> [--documents 3000] [--clients 16] [--postgres <server conn>]
var options = BenchOptions.Parse(args);
return options.Scenario switch
{
    "ingest" => await IngestBenchmark.RunAsync(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: InventorySync.Bench ingest --silo <path to InventorySync.Silo.dll> [--documents N] [--clients N] [--postgres <connection>]");
    return 2;
}
