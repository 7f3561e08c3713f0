namespace InventorySync.Grains.Common;

// Grains raise these, and an exception crosses from a grain to its caller's silo or front end: Orleans carries the
// type and message of each of ours (GrainsRegistration), and these fields the API answers with by their ids.

/// <summary>The request was well-formed but its content is wrong; each error names its field (400).</summary>
[GenerateSerializer]
public sealed class RequestValidationException(IDictionary<string, string[]> errors)
    : Exception("The request has invalid fields: " + string.Join(", ", errors.Keys))
{
    [Id(0)]
    public IDictionary<string, string[]> Errors { get; } = errors;

    public static RequestValidationException For(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>The resource does not exist for this caller: another tenant's data looks exactly like missing data (404).</summary>
public sealed class NotFoundException(string what) : Exception($"{what} was not found.");

/// <summary>The request conflicts with the resource's current state (409).</summary>
public sealed class ConflictException(string message) : Exception(message);

/// <summary>A part of the installation this needs is not configured (503).</summary>
public sealed class NotConfiguredException(string message) : Exception(message);

/// <summary>A sync is already running for the tenant (409, naming the run).</summary>
[GenerateSerializer]
public sealed class RunConflictException(Guid runningRunId)
    : Exception($"A synchronisation is already running for this tenant (run {runningRunId}); only one runs at a time.")
{
    [Id(0)]
    public Guid RunningRunId { get; } = runningRunId;
}

/// <summary>The service is under maintenance until <see cref="Until"/> (503 with Retry-After).</summary>
[GenerateSerializer]
public sealed class MaintenanceException(DateTime until, string? reason)
    : Exception($"Synchronisation is paused for maintenance until {until:u}{(reason is null ? "" : $" ({reason})")}; try again after it.")
{
    [Id(0)]
    public DateTime Until { get; } = until;
}
