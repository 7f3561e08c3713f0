using Microsoft.Extensions.DependencyInjection;
using Orleans.Placement;

namespace InventorySync.Grains.Documents;

/// <summary>A contact: its sync state, by the rules every document shares.</summary>
[PreferLocalPlacement] // on the silo of the run or request that first needs it
[CollectionAgeLimit(Minutes = 5)]
public sealed class ContactGrain(SyncStateWriter writer, IServiceScopeFactory scopes, TimeProvider clock)
    : DocumentGrain(writer, scopes, clock), IContactGrain;
