using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Panel.ServiceDefaults;

/// <summary>
/// A background job that waits <see cref="Interval"/>, runs once, and again until the service stops (or runs first
/// and then waits, with <see cref="RunsAtStart"/>); a failed run is logged and the next one comes at the next
/// interval. Tests call the job's own run method by hand.
/// </summary>
public abstract partial class PeriodicJob(TimeProvider time, ILogger logger) : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    protected ILogger Logger { get; } = logger;

    /// <summary>How long to wait before each run (read before every wait, so options may change).</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>One run of the job.</summary>
    protected abstract Task TickAsync(CancellationToken ct);

    /// <summary>Whether the first run comes at start (work that fell due while the service was down) or after an interval.</summary>
    protected virtual bool RunsAtStart => false;

    /// <summary>
    /// Whether a failure is logged with its exception, or by its type alone (a job over contact details: an exception's
    /// message or data may quote a row).
    /// </summary>
    protected virtual bool LogsExceptions => true;

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var first = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!first || !RunsAtStart)
            {
                await Task.Delay(Interval, Time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }

            first = false;
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFailed(Logger, LogsExceptions ? ex : null, GetType().Name, ex.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Job} failed ({ErrorType}); will retry")]
    private static partial void LogFailed(ILogger logger, Exception? exception, string job, string errorType);
}
