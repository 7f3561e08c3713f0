using InventorySync.Contracts;
using InventorySync.Grains.Activity;
using InventorySync.Grains.Alerts;
using InventorySync.Grains.Connections;
using InventorySync.Grains.Documents;
using InventorySync.Grains.Reconciliation;
using InventorySync.Grains.Sync;
using InventorySync.Xero;
using InventorySync.Xero.Client;
using InventorySync.Grains.Tenants;
using InventorySync.Grains.Webhooks;
using InventorySync.Storage.Entities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Serialization;

namespace InventorySync.Grains;

public static class GrainsRegistration
{
    /// <summary>The Orleans grain storage of the grains that keep state of their own.</summary>
    public const string GrainStorage = "inventorysync";

    public static IHostApplicationBuilder AddGrains(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        // A refusal raised in a grain reaches the API of another silo or of the front end as the same exception, and
        // a failed write with PostgreSQL's own error inside (Orleans knows "System" and "Microsoft" already).
        services.Configure<ExceptionSerializationOptions>(o =>
        {
            o.SupportedNamespacePrefixes.Add("InventorySync");
            o.SupportedNamespacePrefixes.Add("Npgsql");
        });
        services.AddOptions<AttachmentOptions>().BindConfiguration(AttachmentOptions.Section)
            .Validate(o => o.MaxBytes > 0, "Attachments:MaxBytes must be positive").ValidateOnStart();
        services.AddScoped<TenantService>();
        services.AddScoped<SettingsService>();
        services.AddScoped<Orders>();
        services.AddScoped<Attachments>();
        services.AddScoped<AttachmentExports>();
        builder.AddXero();
        services.AddSingleton<XeroTokenStore>();
        services.AddSingleton<IXeroTokenStore>(sp => sp.GetRequiredService<XeroTokenStore>());
        services.AddSingleton<IXeroRefreshGate, XeroConnectionGrainGate>();
        services.AddScoped<XeroConnections>();
        services.AddScoped<SyncQueries>();
        services.AddScoped<RunStarter>();
        services.AddScoped<MaintenanceWindows>();
        services.AddScoped<Schedules>();
        services.AddScoped<AutoSyncSlots>();
        services.AddScoped<SyncRun>();
        services.AddSingleton<SyncMetrics>();
        services.AddScoped<PaymentPull>();
        services.AddScoped<PaymentLists>();
        services.AddOptions<PaymentPullOptions>().BindConfiguration(PaymentPullOptions.Section)
            .Validate(o => o.PullEvery >= TimeSpan.FromMinutes(1), "Payments:PullEvery must be at least a minute")
            .ValidateOnStart();
        services.AddScoped<OnboardingPreviews>();
        services.AddScoped<ReconciliationReport>();
        services.AddScoped<Reconciliations>();
        services.AddScoped<ReconciliationPlanner>();
        services.AddOptions<ReconciliationOptions>().BindConfiguration(ReconciliationOptions.Section)
            .Validate(o => o.ReserveCalls >= 0, "Reconciliation:ReserveCalls must not be negative").ValidateOnStart();
        services.AddSingleton<DocumentGrains>();
        services.AddSingleton<SyncStateWriter>();
        services.AddScoped<ActivityLog>();
        services.AddScoped<Alerts.Alerts>();
        services.AddScoped<Notifications>();
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section)
            .Validate(o => o.Port is > 0 and < 65536, "Smtp:Port must be a TCP port").ValidateOnStart();
        services.AddSingleton<IMailSender, SmtpMailSender>();
        services.AddScoped<OutboxDelivery>();
        services.AddScoped<PaymentWebhooks>();
        services.AddScoped<PaymentWebhookSender>();
        services.AddHttpClient(PaymentWebhookSender.Client, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddDocumentKind<Contact, ContactRequest, ContactResponse, Contacts>();
        services.AddDocumentKind<CreditNote, CreditNoteRequest, CreditNoteResponse, CreditNotes>();
        services.AddDocumentKind<Payment, PaymentRequest, PaymentResponse, Payments>();
        services.AddDocumentKind<Payment, RefundRequest, PaymentResponse, Refunds>();
        services.AddDocumentKind<BankTransaction, CustomerCreditRequest, BankTransactionResponse, CustomerCredits>();
        services.AddDocumentKind<BankTransaction, SupplierDepositRequest, BankTransactionResponse, SupplierDeposits>();
        return builder;
    }

    private static void AddDocumentKind<TEntity, TRequest, TResponse, TKind>(this IServiceCollection services)
        where TEntity : TenantDocument, new()
        where TKind : class, IDocumentKind<TEntity, TRequest, TResponse>
    {
        services.AddSingleton<IDocumentKind<TEntity, TRequest, TResponse>, TKind>();
        services.AddScoped<DocumentService<TEntity, TRequest, TResponse>>();
    }
}
