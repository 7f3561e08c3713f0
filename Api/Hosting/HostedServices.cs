using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InventorySync.Api.Hosting;

public static class HostedServices
{
    /// <summary>Takes a framework's hosted service out; fails loudly if a new version renamed it.</summary>
    public static void Remove(IServiceCollection services, string implementation)
    {
        var hosted = services.Where(d => d.ServiceType == typeof(IHostedService))
            .Where(d => d.ImplementationType?.Name == implementation).ToList();
        if (hosted.Count == 0)
            throw new InvalidOperationException($"No hosted service {implementation} to take out: check start-up.");
        foreach (var descriptor in hosted) services.Remove(descriptor);
    }
}
