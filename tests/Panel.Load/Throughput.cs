using System.Diagnostics;

namespace Panel.Load;

/// <summary>Runs an operation from C concurrent workers for N seconds and collects throughput and latencies.</summary>
internal static class Throughput
{
    public sealed record Result(int Ok, int Failed, double Seconds, double[] LatenciesMs)
    {
        public double PerSecond => Ok / Seconds;
        public double Percentile(double p) => LatenciesMs.Length == 0 ? 0 : LatenciesMs[Math.Min(LatenciesMs.Length - 1, (int)(p * LatenciesMs.Length))];
    }

    /// <summary>
    /// Calls <paramref name="operation"/>(worker, i) in a loop per worker until the time is up, or until it
    /// answers null (nothing left to do). True counts as done, false as failed.
    /// </summary>
    public static async Task<Result> MeasureAsync(int seconds, int concurrency, Func<int, int, Task<bool?>> operation)
    {
        var latencies = new List<double>[concurrency];
        var ok = 0;
        var failed = 0;
        var stop = Stopwatch.StartNew();
        var end = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            latencies[worker] = [];
            for (var i = 0; stop.Elapsed < end; i++)
            {
                var started = Stopwatch.GetTimestamp();
                bool? success;
                try
                {
                    success = await operation(worker, i);
                }
                catch (HttpRequestException)
                {
                    success = false;
                }

                if (success is null)
                {
                    break;
                }

                latencies[worker].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (success.Value) Interlocked.Increment(ref ok); else Interlocked.Increment(ref failed);
            }
        }));
        var elapsed = stop.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Result(ok, failed, elapsed, all);
    }

    public static Task<Result> MeasureAsync(int seconds, int concurrency, Func<int, int, Task<bool>> operation) =>
        MeasureAsync(seconds, concurrency, async (worker, i) => (bool?)await operation(worker, i));

    public static void Print(string what, Result r) =>
        Console.WriteLine(FormattableString.Invariant(
            $"{what}: {r.PerSecond:0.0}/s ok={r.Ok} failed={r.Failed} p50={r.Percentile(0.50):0.0} ms p95={r.Percentile(0.95):0.0} ms p99={r.Percentile(0.99):0.0} ms"));
}
