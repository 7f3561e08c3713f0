using System.Globalization;
using InventorySync.Storage.Entities;

namespace InventorySync.Grains.Sync;

/// <summary>How money moves are named in the transactions list: "5.00 on 2026-11-03".</summary>
public static class PaymentLabel
{
    public static string Of(Payment p) => Of(p.Amount, p.Date);

    public static string Of(decimal amount, DateOnly date) => string.Create(CultureInfo.InvariantCulture,
        $"{amount} on {date:yyyy-MM-dd}");
}
