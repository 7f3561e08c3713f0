namespace InventorySync.Contracts;

public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount);

public sealed record PageRequest(int? Page, int? PageSize)
{
    public const int DefaultSize = 50;
    public const int MaxSize = 200;
}

/// <summary>A resource with an id, so that a create can answer with its Location.</summary>
public interface IResource
{
    Guid Id { get; }
}

/// <summary>Several resources created in one all-or-nothing request.</summary>
public sealed record BatchRequest<T>(IReadOnlyList<T>? Items);

public sealed record BatchResponse<T>(IReadOnlyList<T> Items);
