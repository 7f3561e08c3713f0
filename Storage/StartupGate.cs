namespace InventorySync.Storage;

/// <summary>
/// Opens once the database is migrated and seeded: /readyz and the API wait on it. A start that fails for good
/// (not a database still starting) fails the gate, so that whoever waits learns why.
/// </summary>
public sealed class StartupGate
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ready => _ready.Task;
    public bool IsReady => _ready.Task.IsCompletedSuccessfully;
    public void Open() => _ready.TrySetResult();
    public void Fail(Exception reason) => _ready.TrySetException(reason);
}
