using InventorySync.Contracts;
using InventorySync.Grains.Connections;
using InventorySync.Grains.Tenants;
using Microsoft.AspNetCore.Mvc;

namespace InventorySync.Web.Pages.Tenants;

/// <summary>
/// The tenant's settings (S3.3, S4.1, S5.1, S6.1), its account mapping (S5.4) and its Xero connection (S1.2–S1.4),
/// through the same services as the API: a refused change is said in words and nothing of it is saved.
/// </summary>
public sealed class SettingsModel(SettingsService settings, XeroConnections connections) : TenantPageModel
{
    /// <summary>The settings as the form sends them: an unticked box is false, not "unchanged".</summary>
    public sealed class SettingsForm
    {
        public bool AutoSyncEnabled { get; set; }
        public DateOnly? StartDate { get; set; }
        public TimeOnly? StartTime { get; set; }
        public int Every { get; set; } = 1;
        public FrequencyUnit Unit { get; set; }
        public PaymentDirection PaymentDirection { get; set; }
        public bool ExportAttachments { get; set; }
        public AlertType AlertType { get; set; }
        public string? Emails { get; set; }
    }

    [BindProperty] public SettingsForm Form { get; set; } = new();
    [BindProperty] public AccountMappingsDto Accounts { get; set; } = new(null, null, null, null, null);
    [BindProperty(SupportsGet = true)] public bool Saved { get; set; }

    public XeroConnectionResponse Connection { get; private set; } = null!;

    public async Task OnGetAsync()
    {
        await LoadFormAsync();
        await LoadAccountsAsync();
        await LoadConnectionAsync();
        if (Saved) Message = "Settings saved.";
    }

    public async Task<IActionResult> OnPostSaveAsync()
    {
        var dto = new TenantSettingsDto(Form.ExportAttachments, Form.PaymentDirection,
            new AutoSyncSettingsDto(Form.AutoSyncEnabled, Form.StartDate, Form.StartTime, Form.Every, Form.Unit),
            new AlertSettingsDto(Form.AlertType,
                (Form.Emails ?? "").Split('\n',
                    StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)));
        if (await TryAsync(() => settings.UpdateAsync(TenantId, dto, Caller.Name, HttpContext.RequestAborted)))
            return RedirectToPage(new { tenantId = TenantId, saved = true });
        await LoadAccountsAsync();
        await LoadConnectionAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAccountsAsync()
    {
        if (await TryAsync(() => settings.PutAccountMappingsAsync(TenantId, Accounts, HttpContext.RequestAborted)))
            return RedirectToPage(new { tenantId = TenantId, saved = true });
        await LoadFormAsync();
        await LoadConnectionAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostConnectAsync()
    {
        XeroConnectStarted? started = null;
        if (await TryAsync(async () => started = await connections.ConnectAsync(TenantId, HttpContext.RequestAborted)))
            return Redirect(started!.AuthorizeUrl);
        await LoadFormAsync();
        await LoadAccountsAsync();
        await LoadConnectionAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostDisconnectAsync()
    {
        await TryAsync(() => connections.DisconnectAsync(TenantId, HttpContext.RequestAborted));
        return RedirectToPage(new { tenantId = TenantId });
    }

    private async Task LoadFormAsync()
    {
        var current = await settings.GetAsync(TenantId, HttpContext.RequestAborted);
        Form = new SettingsForm
        {
            AutoSyncEnabled = current.AutoSync?.Enabled ?? false, StartDate = current.AutoSync?.StartDate,
            StartTime = current.AutoSync?.StartTime, Every = current.AutoSync?.Every ?? 1,
            Unit = current.AutoSync?.Unit ?? FrequencyUnit.Hours,
            PaymentDirection = current.PaymentDirection ?? PaymentDirection.Both,
            ExportAttachments = current.ExportAttachments ?? false,
            AlertType = current.Alerts?.Type ?? AlertType.Internal,
            Emails = string.Join('\n', current.Alerts?.Emails ?? []),
        };
    }

    private async Task LoadAccountsAsync() =>
        Accounts = await settings.GetAccountMappingsAsync(TenantId, HttpContext.RequestAborted);

    private async Task LoadConnectionAsync() =>
        Connection = await connections.GetAsync(TenantId, HttpContext.RequestAborted);
}
