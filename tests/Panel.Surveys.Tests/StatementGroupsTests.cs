using Microsoft.Extensions.Logging.Abstractions;
using Panel.Surveys.Answering;
using Panel.TestSupport;

namespace Panel.Surveys.Tests;

/// <summary>The grouping under group commit, without a database: what waits is done together, a failure stays its item's own.</summary>
public sealed class StatementGroupsTests
{
    [Fact]
    public async Task Items_handed_in_while_a_group_is_worked_on_form_the_next_group()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var groups = new List<string[]>();
        await using var work = Recording(gate.Task, groups);
        var first = await StartFirstGroupAsync(work, groups);
        var waiting = new[] { "b", "c", "d" }.Select(work.RunAsync).ToArray();
        Assert.False(first.IsCompleted);
        gate.SetResult();

        Assert.Equal("A", await first);
        Assert.Equal(["B", "C", "D"], await Task.WhenAll(waiting));
        Assert.Equal([["a"], ["b", "c", "d"]], groups);
    }

    [Fact]
    public async Task A_failing_group_is_done_item_by_item_and_only_the_failing_item_fails()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var groups = new List<string[]>();
        await using var work = Recording(gate.Task, groups);
        var first = await StartFirstGroupAsync(work, groups);
        var good1 = work.RunAsync("b");
        var bad = work.RunAsync("bad");
        var good2 = work.RunAsync("c");
        gate.SetResult();

        Assert.Equal("A", await first);
        Assert.Equal("B", await good1);
        Assert.Equal("C", await good2);
        Assert.Equal("bad item", (await Assert.ThrowsAsync<InvalidOperationException>(() => bad)).Message);
        Assert.Equal([["a"], ["b", "bad", "c"], ["b"], ["bad"], ["c"]], groups);
    }

    [Fact]
    public async Task Stopping_finishes_what_was_handed_in_and_refuses_more()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var work = new StatementGroups<int, int>(2, 64, async items =>
        {
            await gate.Task;
            return items.Select(i => i * 2).ToArray();
        }, NullLogger.Instance);
        var handedIn = Enumerable.Range(1, 10).Select(work.RunAsync).ToArray();

        var stopping = work.DisposeAsync().AsTask();
        Assert.Throws<ObjectDisposedException>(() => { _ = work.RunAsync(11); });
        Assert.False(stopping.IsCompleted);
        gate.SetResult();
        await stopping;

        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * 2), handedIn.Select(t => t.Result));
    }

    /// <summary>One worker that records each group, waits for <paramref name="gate"/>, and upper-cases the items (fails a group with "bad").</summary>
    private static StatementGroups<string, string> Recording(Task gate, List<string[]> groups) => new(1, 64, async items =>
    {
        lock (groups)
        {
            groups.Add([.. items]);
        }

        await gate;
        return items.Contains("bad") ? throw new InvalidOperationException("bad item") : items.Select(i => i.ToUpperInvariant()).ToArray();
    }, NullLogger.Instance);

    /// <summary>Hands in "a" and waits until the worker holds it as its first group.</summary>
    private static async Task<Task<string>> StartFirstGroupAsync(StatementGroups<string, string> work, List<string[]> groups)
    {
        var first = work.RunAsync("a");
        await Eventually.UntilAsync(() => Task.FromResult(Count(groups)), n => n == 1, TimeSpan.FromSeconds(5), "the first group to start");
        return first;
    }

    private static int Count(List<string[]> groups)
    {
        lock (groups)
        {
            return groups.Count;
        }
    }
}
