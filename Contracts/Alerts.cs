namespace InventorySync.Contracts;

public sealed record NotificationResponse(long Id, DateTime At, string Title, string Body, DateTime? ReadAt);

public sealed record UnreadCount(int Count);

/// <param name="Search">Words the entry's summary contains.</param>
public sealed record ActivityQuery(DateTime? From, DateTime? To, ActivityType? Type, string? User, int? Page,
    int? PageSize, string? Search = null);

/// <summary>An activity entry; <paramref name="Details"/> holds its facts as a JSON object (a run's counts, a setting's old and new value).</summary>
public sealed record ActivityResponse(long Id, DateTime At, ActivityType Type, string? UserName, string Summary, System.Text.Json.JsonElement? Details);
