using System.Threading.Channels;

namespace Panel.Surveys.Answering;

/// <summary>
/// Does the same database work for many concurrent requests at once: a request hands in its item and waits;
/// a few workers each take all the items waiting (at most <c>maxGroup</c>), do the work for them with one
/// statement and give each request its result. Alone, an item is done at once; under load, the items that arrive
/// while a group is being done form the next group, so the database parses, plans (and commits) once per group
/// instead of once per item. A request gets its result only after its group's statement has finished. If a
/// group's work fails, its items are done one by one, so that a failure is only that item's own.
/// </summary>
public sealed class StatementGroups<TItem, TResult> : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> work;
    private readonly ILogger logger;
    private readonly int maxGroup;
    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    private readonly Task[] workers;

    /// <param name="work">Does the work for a group; returns one result per item, in the items' order.</param>
    public StatementGroups(int workers, int maxGroup, Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> work, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxGroup, 1);
        this.work = work;
        this.logger = logger;
        this.maxGroup = maxGroup;
        this.workers = Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync)).ToArray();
    }

    public Task<TResult> RunAsync(TItem item)
    {
        var pending = new Pending(item);
        if (!queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(StatementGroups<TItem, TResult>), "Surveys is stopping.");
        }

        return pending.Result.Task;
    }

    private async Task WorkAsync()
    {
        var group = new List<Pending>(maxGroup);
        while (await queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < maxGroup && queue.Reader.TryRead(out var pending))
            {
                group.Add(pending);
            }

            await DoAsync(group);
        }
    }

    private async Task DoAsync(List<Pending> group)
    {
        try
        {
            var results = await work(group.ConvertAll(p => p.Item));
            if (results.Count != group.Count)
            {
                throw new InvalidOperationException($"The work gave {results.Count} results for {group.Count} items.");
            }

            for (var i = 0; i < group.Count; i++)
            {
                group[i].Result.TrySetResult(results[i]);
            }
        }
        catch (Exception e) when (group.Count > 1)
        {
            logger.LogWarning(e, "A group of {Count} failed; doing its items one by one", group.Count);
            foreach (var pending in group)
            {
                await DoAsync([pending]);
            }
        }
        catch (Exception e)
        {
            group[0].Result.TrySetException(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await Task.WhenAll(workers);
    }

    private sealed record Pending(TItem Item)
    {
        public TaskCompletionSource<TResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
