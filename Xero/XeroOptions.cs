namespace InventorySync.Xero;

/// <summary>The "Xero" configuration section: the app's credentials, Xero's addresses and the limits to keep under.</summary>
public sealed class XeroOptions
{
    public const string Section = "Xero";

    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";
    public string RedirectUri { get; set; } = "";
    public string Scopes { get; set; } = "openid profile email accounting.transactions accounting.settings accounting.contacts accounting.attachments offline_access";

    /// <summary>Where the user consents (Xero: https://login.xero.com).</summary>
    public Uri LoginUrl { get; set; } = new("https://login.xero.com");
    /// <summary>The token endpoint's host (Xero: https://identity.xero.com).</summary>
    public Uri IdentityUrl { get; set; } = new("https://identity.xero.com");
    /// <summary>The API and connections host (Xero: https://api.xero.com).</summary>
    public Uri ApiUrl { get; set; } = new("https://api.xero.com");

    public int MinuteLimit { get; set; } = 60;
    public int ConcurrentLimit { get; set; } = 5;
    public int DayLimit { get; set; } = 5000;
    public int AppMinuteLimit { get; set; } = 10_000;
    /// <summary>How much longer than Xero's minute our windows hold a call (see <c>XeroLimits.Window</c>).</summary>
    public TimeSpan WindowMargin { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
    public int MaxRetries { get; set; } = 3;
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>Refresh an access token this long before it expires.</summary>
    public TimeSpan RefreshMargin { get; set; } = TimeSpan.FromMinutes(2);

    public int BatchSize { get; set; } = 50;
    public int MaxBatchBytes { get; set; } = 3_500_000;
}
