using Microsoft.Extensions.Options;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Security;

/// <summary>Deletes the records of sessions that ended without signing out (idle, or past the staff limit).</summary>
public sealed partial class SessionCleanup(
    IServiceScopeFactory scopes,
    IOptions<SessionTimeoutOptions> options,
    TimeProvider time,
    ILogger<SessionCleanup> logger) : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => options.Value.CleanupInterval;

    protected override Task TickAsync(CancellationToken ct) => RunOnceAsync(ct);

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var deleted = await scope.ServiceProvider.GetRequiredService<SessionStore>().DeleteEndedAsync(ct);
        if (deleted > 0)
        {
            LogDeleted(Logger, deleted);
        }

        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} ended sessions")]
    private static partial void LogDeleted(ILogger logger, int count);
}
