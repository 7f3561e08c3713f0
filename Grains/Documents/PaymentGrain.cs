using Microsoft.Extensions.DependencyInjection;
using Orleans.Placement;

namespace InventorySync.Grains.Documents;

/// <summary>A payment or refund: its sync state, by the rules every document shares.</summary>
[PreferLocalPlacement] // on the silo of the run or request that first needs it
[CollectionAgeLimit(Minutes = 5)]
public sealed class PaymentGrain(SyncStateWriter writer, IServiceScopeFactory scopes, TimeProvider clock)
    : DocumentGrain(writer, scopes, clock), IPaymentGrain;
