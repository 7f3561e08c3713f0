using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InventorySync.Api.Hosting;

public static class HostedServices
{
    /// <summary>
    /// Takes a framework's hosted service out (registered by type or by a factory), and answers how it was
    /// registered, for a caller that starts it itself; fails loudly if a new version renamed it.
    /// </summary>
    public static ServiceDescriptor Remove(IServiceCollection services, string implementation)
    {
        var hosted = services.Where(d => d.ServiceType == typeof(IHostedService) && !d.IsKeyedService)
            .Where(d => (d.ImplementationType ?? d.ImplementationFactory?.Method.ReturnType)?.Name == implementation)
            .ToList();
        if (hosted.Count == 0)
            throw new InvalidOperationException($"No hosted service {implementation} to take out: check start-up.");
        foreach (var descriptor in hosted) services.Remove(descriptor);
        return hosted[0];
    }
}
