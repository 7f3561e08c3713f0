using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Placement;

namespace InventorySync.Grains.Documents;

/// <summary>An attachment's exports, one at a time: the run's and the "export it now" never overlap.</summary>
[PreferLocalPlacement] // on the silo of the tenant's coordinator, whose calls share the organisation's limits
[CollectionAgeLimit(Minutes = 5)]
public sealed class AttachmentGrain(IServiceScopeFactory scopes, IHostApplicationLifetime host)
    : Grain, IAttachmentGrain
{
    public async Task ExportAsync(AttachmentExportStart start)
    {
        var attachmentId = this.GetPrimaryKey(out var tenant);
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AttachmentExports>()
            .ExportAsync(Guid.Parse(tenant!), attachmentId, start, host.ApplicationStopping);
    }
}
