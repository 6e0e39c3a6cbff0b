using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Panel.ServiceDefaults;

namespace Panel.Messaging.Tests;

/// <summary>The one loop every background job runs on: when it first runs, how failures are logged, that it keeps going.</summary>
public sealed class PeriodicJobTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_job_waits_an_interval_before_its_first_run_unless_it_runs_at_start()
    {
        var time = new FakeTimeProvider();
        using var later = new CountingJob(time, runsAtStart: false);
        using var atStart = new CountingJob(time, runsAtStart: true);
        await later.StartAsync(CancellationToken.None);
        await atStart.StartAsync(CancellationToken.None);

        await atStart.WaitForRunsAsync(1);
        Assert.Equal(0, later.Runs);

        time.Advance(Interval);
        await later.WaitForRunsAsync(1);
        await atStart.WaitForRunsAsync(2);

        await later.StopAsync(CancellationToken.None);
        await atStart.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_failed_run_is_logged_and_the_next_interval_runs_again()
    {
        var time = new FakeTimeProvider();
        var withException = new RecordingLogger();
        var typeOnly = new RecordingLogger();
        using var detailed = new CountingJob(time, runsAtStart: true, withException, fail: true);
        using var quiet = new CountingJob(time, runsAtStart: true, typeOnly, fail: true, logsExceptions: false);
        await detailed.StartAsync(CancellationToken.None);
        await quiet.StartAsync(CancellationToken.None);
        await detailed.WaitForRunsAsync(1);
        await quiet.WaitForRunsAsync(1);

        time.Advance(Interval);
        await detailed.WaitForRunsAsync(2);
        await quiet.WaitForRunsAsync(2);
        await detailed.StopAsync(CancellationToken.None);
        await quiet.StopAsync(CancellationToken.None);

        Assert.NotEmpty(withException.Entries);
        Assert.All(withException.Entries, e => Assert.Contains("member@example.fi", e.Exception?.Message ?? "", StringComparison.Ordinal));
        Assert.NotEmpty(typeOnly.Entries);
        Assert.All(typeOnly.Entries, e =>
        {
            Assert.Null(e.Exception);
            Assert.Contains(nameof(InvalidOperationException), e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("member@example.fi", e.Message, StringComparison.Ordinal);
        });
    }

    private sealed class CountingJob(TimeProvider time, bool runsAtStart, ILogger? logger = null, bool fail = false, bool logsExceptions = true)
        : PeriodicJob(time, logger ?? NullLogger.Instance)
    {
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        protected override TimeSpan Interval => PeriodicJobTests.Interval;

        protected override bool RunsAtStart => runsAtStart;

        protected override bool LogsExceptions => logsExceptions;

        protected override Task TickAsync(CancellationToken ct)
        {
            Interlocked.Increment(ref _runs);
            return fail ? throw new InvalidOperationException("A row of member@example.fi could not be stored.") : Task.CompletedTask;
        }

        public Task WaitForRunsAsync(int runs) =>
            Panel.TestSupport.Eventually.UntilAsync(() => Task.FromResult(Runs), n => n >= runs, TimeSpan.FromSeconds(10), $"{runs} runs");
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<(string Message, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
            {
                Entries.Add((formatter(state, exception), exception));
            }
        }
    }
}
