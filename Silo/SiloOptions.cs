namespace InventorySync.Silo;

/// <summary>How this node joins the Orleans cluster (section <c>Orleans</c>).</summary>
public sealed class ClusterNodeOptions
{
    public const string Section = "Orleans";

    /// <summary>Silo-to-silo traffic.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Where Orleans clients (the API-only front end) connect.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos reach this one at; empty: this machine's first address.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Names the cluster in the shared database; nodes with the same id form one cluster.</summary>
    public string ClusterId { get; set; } = "inventorysync";
}
