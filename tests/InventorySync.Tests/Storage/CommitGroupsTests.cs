using InventorySync.Storage;

namespace InventorySync.Tests.Storage;

/// <summary>Group commit's rules, with a commit the test holds open: no database, no timing.</summary>
public sealed class CommitGroupsTests
{
    /// <summary>Records each group, holds the first open until <see cref="ReleaseFirst"/>.</summary>
    private sealed class HeldCommits
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<TaskCompletionSource<IReadOnlyList<int>>> _started =
            [.. Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource<IReadOnlyList<int>>(
                TaskCreationOptions.RunContinuationsAsynchronously))];
        private int _groups;

        public Task<IReadOnlyList<int>> Started(int group) => _started[group].Task;

        public void ReleaseFirst() => _release.TrySetResult();

        public async Task<IReadOnlyList<int>> CommitAsync(IReadOnlyList<int> writes, CancellationToken ct)
        {
            var group = Interlocked.Increment(ref _groups) - 1;
            _started[group].TrySetResult(writes);
            if (group == 0) await _release.Task;
            return writes.Select(w => w * 10).ToList();
        }
    }

    [Fact]
    public async Task A_burst_behind_a_commit_waits_for_it_and_goes_in_one_group()
    {
        var commits = new HeldCommits();
        var groups = new CommitGroups<int, int>(commits.CommitAsync, maxGroup: 100, writers: 1, CancellationToken.None);

        var first = groups.WriteAsync(1);
        Assert.Equal([1], await commits.Started(0));
        var burst = Enumerable.Range(2, 5).Select(groups.WriteAsync).ToList();
        Assert.False(commits.Started(1).IsCompleted);
        commits.ReleaseFirst();

        Assert.Equal([2, 3, 4, 5, 6], await commits.Started(1));
        Assert.Equal(10, await first);
        var answers = await Task.WhenAll(burst);
        Assert.Equal([20, 30, 40, 50, 60], answers);
    }

    [Fact]
    public async Task A_second_writer_helps_only_once_enough_writes_wait_and_then_takes_them_all()
    {
        var commits = new HeldCommits();
        var groups = new CommitGroups<int, int>(commits.CommitAsync, maxGroup: 100, writers: 2,
            CancellationToken.None, helpAt: 3);

        var first = groups.WriteAsync(1);
        Assert.Equal([1], await commits.Started(0));
        // Two waiting are fewer than helpAt: a helper taking them now would split the burst.
        var waiting = new[] { groups.WriteAsync(2), groups.WriteAsync(3) };
        var third = groups.WriteAsync(4);

        // The first commit is still open: the helper took the three together.
        Assert.Equal([2, 3, 4], await commits.Started(1));
        Assert.False(first.IsCompleted);
        var answers = await Task.WhenAll([.. waiting, third]);
        Assert.Equal([20, 30, 40], answers);
        commits.ReleaseFirst();
        Assert.Equal(10, await first);
    }
}
