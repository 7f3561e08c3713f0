using InventorySync.Xero.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InventorySync.Xero;

public static class XeroRegistration
{
    /// <summary>The Xero client; the host provides an <see cref="IXeroTokenStore"/>.</summary>
    public static IHostApplicationBuilder AddXero(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<XeroOptions>().BindConfiguration(XeroOptions.Section)
            .Validate(o => o.BatchSize is > 0 and <= 50, "Xero:BatchSize must be between 1 and 50")
            .Validate(o => o.MinuteLimit > 0 && o.ConcurrentLimit > 0 && o.AppMinuteLimit > 0, "Xero limits must be positive")
            .Validate(o => o.WindowMargin >= TimeSpan.Zero, "Xero:WindowMargin must not be negative")
            .ValidateOnStart();
        builder.Services.AddSingleton<XeroLimits>();
        builder.Services.AddSingleton<XeroMetrics>();
        builder.Services.AddSingleton<XeroTokenProvider>();
        builder.Services.AddSingleton<IXeroRefreshGate, InProcessRefreshGate>();
        builder.Services.AddHttpClient<XeroIdentity>();
        builder.Services.AddHttpClient<XeroApi>();
        return builder;
    }
}
