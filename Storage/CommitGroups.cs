using System.Threading.Channels;

namespace InventorySync.Storage;

/// <summary>
/// Group commit: writes asked for while the previous group commits go together in the next one, so concurrent
/// writers share a transaction (and SQLite's single writer, and an fsync) instead of queuing for one each. Each
/// write learns its own result only once its group has committed. With several <c>writers</c>, the first commits
/// whatever is queued; the others help only once <c>helpAt</c> writes wait behind it, so that a burst of writes is
/// not cut into as many small transactions as there are idle writers.
/// </summary>
public sealed class CommitGroups<TWrite, TResult>(
    Func<IReadOnlyList<TWrite>, CancellationToken, Task<IReadOnlyList<TResult>>> commit, int maxGroup, int writers,
    CancellationToken stopping, int helpAt = 1)
{
    private sealed record Pending(TWrite Write)
    {
        public TaskCompletionSource<TResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly Lock _starting = new();
    private readonly SemaphoreSlim _backlog = new(0);
    private Task? _loops;
    private int _inFlight;

    /// <summary>Writes asked for and not yet answered.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public Task<TResult> WriteAsync(TWrite write)
    {
        if (_loops is null)
            lock (_starting)
                _loops ??= Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() => LoopAsync(w > 0))));
        var pending = new Pending(write);
        Interlocked.Increment(ref _inFlight);
        if (_queue.Writer.TryWrite(pending))
        {
            // One signal waiting is enough to wake a helper; more would only pile up.
            if (writers > 1 && _queue.Reader.Count >= helpAt && _backlog.CurrentCount == 0) _backlog.Release();
            return pending.Result.Task;
        }
        Interlocked.Decrement(ref _inFlight);
        throw new OperationCanceledException("The host is stopping.", stopping);
    }

    private async Task LoopAsync(bool helper)
    {
        var group = new List<Pending>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stopping))
            {
                if (helper && _queue.Reader.Count < helpAt)
                {
                    await _backlog.WaitAsync(stopping);
                    continue;
                }
                while (group.Count < maxGroup && _queue.Reader.TryRead(out var pending)) group.Add(pending);
                try
                {
                    var results = await commit(group.Select(p => p.Write).ToList(), stopping);
                    for (var i = 0; i < group.Count; i++) group[i].Result.TrySetResult(results[i]);
                }
                catch (Exception e)
                {
                    foreach (var p in group) p.Result.TrySetException(e);
                }
                Interlocked.Add(ref _inFlight, -group.Count);
                group.Clear();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var pending)) group.Add(pending);
            foreach (var p in group) p.Result.TrySetCanceled(stopping);
            Interlocked.Add(ref _inFlight, -group.Count);
        }
    }
}
