namespace InventorySync.XeroSandbox;

/// <summary>The Xero emulator on its own: dotnet run --project XeroSandbox (http://127.0.0.1:5090).</summary>
internal static class Program
{
    private static void Main(string[] args) => SandboxHost.Build(args).Run();
}
