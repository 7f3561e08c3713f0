namespace InventorySync.Storage;

/// <summary>Opens once the database is migrated and seeded: /readyz and the API wait on it.</summary>
public sealed class StartupGate
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ready => _ready.Task;
    public bool IsReady => _ready.Task.IsCompletedSuccessfully;
    public void Open() => _ready.TrySetResult();
}
