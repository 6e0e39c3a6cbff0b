using System.Diagnostics;
using Xunit;

namespace Panel.TestSupport;

/// <summary>
/// Compares how long two kinds of request take, within one run, to show they do the same work (a page that must not
/// tell a known account from an unknown one by its time). Robust on a busy machine: the samples are interleaved, the
/// order within each pair alternating, so a slow moment falls on both kinds alike; medians ignore the odd pause; and
/// the assertion allows a wide margin, which still catches skipped work that costs a multiple (a password hash).
/// </summary>
public static class TimingComparison
{
    public sealed record Result(IReadOnlyList<double> A, IReadOnlyList<double> B)
    {
        public double MedianA { get; } = Median(A);
        public double MedianB { get; } = Median(B);
        public double Ratio => MedianA / MedianB;

        public override string ToString() =>
            $"medians {MedianA:F1} ms vs {MedianB:F1} ms (ratio {Ratio:F2}) over {A.Count} interleaved samples each; "
            + $"A: [{string.Join(", ", A.Select(t => t.ToString("F1")))}]; B: [{string.Join(", ", B.Select(t => t.ToString("F1")))}]";
    }

    /// <summary>
    /// Times <paramref name="a"/> and <paramref name="b"/> <paramref name="samples"/> times each, interleaved, after
    /// <paramref name="warmUp"/> untimed pairs; <paramref name="beforeEach"/> (untimed) runs before every call.
    /// </summary>
    public static async Task<Result> MeasureAsync(int samples, Func<Task> a, Func<Task> b, int warmUp = 3, Func<Task>? beforeEach = null)
    {
        for (var i = 0; i < warmUp; i++)
        {
            await TimeAsync(a, beforeEach);
            await TimeAsync(b, beforeEach);
        }

        var timesA = new List<double>(samples);
        var timesB = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            if (i % 2 == 0)
            {
                timesA.Add(await TimeAsync(a, beforeEach));
                timesB.Add(await TimeAsync(b, beforeEach));
            }
            else
            {
                timesB.Add(await TimeAsync(b, beforeEach));
                timesA.Add(await TimeAsync(a, beforeEach));
            }
        }

        return new Result(timesA, timesB);
    }

    /// <summary>
    /// Fails unless the medians are within <paramref name="factor"/> of each other (either way), or (for requests of
    /// a millisecond or so, whose ratio is noise) no more than <paramref name="slackMs"/> apart.
    /// </summary>
    public static void AssertSimilar(Result result, double factor = 2.0, double slackMs = 0) =>
        Assert.True((result.Ratio >= 1 / factor && result.Ratio <= factor) || Math.Abs(result.MedianA - result.MedianB) <= slackMs,
            $"The two should take about as long: {result}");

    private static async Task<double> TimeAsync(Func<Task> action, Func<Task>? beforeEach)
    {
        if (beforeEach is not null)
        {
            await beforeEach();
        }

        var started = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
