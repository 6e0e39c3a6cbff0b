using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Panel.Messaging;

/// <summary>
/// Publishes a service's stored events to RabbitMQ and deletes them once the broker confirmed them (or, with a
/// <see cref="MessagingOptions.OutboxRetention"/> above zero, marks them sent and deletes them after it).
/// Rows are claimed with FOR UPDATE SKIP LOCKED inside a transaction that lasts until they are
/// deleted (or marked), so two replicas never publish the same row at once; a crash between the broker's
/// confirm and the commit republishes the row, which the consumers' inbox absorbs (the message id
/// is the row id). A batch is published at once and each row is deleted (or marked sent) only after the broker
/// confirmed it, so a batch costs about one round trip instead of one per event. Events of one batch
/// may reach the broker in any order: consumers never rely on order (they run concurrently anyway).
/// Rows sent longer ago than <see cref="MessagingOptions.OutboxRetention"/> are deleted.
/// </summary>
public sealed partial class OutboxRelay<TDbContext>(
    IServiceScopeFactory scopes,
    IBus bus,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<OutboxRelay<TDbContext>> logger) : BackgroundService
    where TDbContext : DbContext, IMessagingDbContext
{
    private static readonly ActivitySource Source = new("Panel.Messaging");
    // Pruning is scheduled on the machine's monotonic clock, not the TimeProvider: a test that moves its
    // clock a year ahead must not see its events pruned, and the first prune comes one interval after start.
    private long _nextPruneTicks = Environment.TickCount64 + (long)options.Value.PruneInterval.TotalMilliseconds;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // A few loops claim disjoint batches (SKIP LOCKED): while one waits for the broker's confirms or its commit, the
        // next batch is already being published, so a backlog drains at the broker's pace rather than one round trip's.
        Task.WhenAll(Enumerable.Range(0, options.Value.RelayConcurrency).Select(_ => RelayLoopAsync(stoppingToken)));

    private async Task RelayLoopAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var consecutiveFailures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var result = await RelayBatchAsync(stoppingToken);
                if (result.Failed)
                {
                    consecutiveFailures++;
                    await Task.Delay(Backoff(consecutiveFailures, o.MaxBackoff), time, stoppingToken);
                    continue;
                }

                consecutiveFailures = 0;
                var dueTicks = Interlocked.Read(ref _nextPruneTicks);
                if (Environment.TickCount64 >= dueTicks
                    && Interlocked.CompareExchange(ref _nextPruneTicks, Environment.TickCount64 + (long)o.PruneInterval.TotalMilliseconds, dueTicks) == dueTicks)
                {
                    await PruneSentAsync(stoppingToken);
                }

                if (result.Published == o.RelayBatchSize)
                {
                    OutboxSignal.Pulse(); // more may be waiting: wake a sibling loop too
                    continue;
                }

                await OutboxSignal.WaitAsync(o.RelayPollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database itself failed (restart, network). Nothing was marked sent; try again later.
                consecutiveFailures++;
                LogRelayFailed(logger, ex, typeof(TDbContext).Name);
                await Task.Delay(Backoff(consecutiveFailures, o.MaxBackoff), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public static TimeSpan Backoff(int failures, TimeSpan max)
    {
        var ms = Math.Min(max.TotalMilliseconds, 200 * Math.Pow(2, Math.Min(failures, 16)));
        return TimeSpan.FromMilliseconds(ms);
    }

    public readonly record struct BatchResult(int Published, bool Failed);

    /// <summary>Publishes one batch of due events. Public so tests can drive two relays by hand.</summary>
    public async Task<BatchResult> RelayBatchAsync(CancellationToken ct)
    {
        var o = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);

        var now = time.GetUtcNow();
        var batch = await db.OutboxMessages
            .FromSql($"""
                SELECT * FROM outbox_messages
                WHERE sent_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= {now})
                ORDER BY created_at, id
                LIMIT {o.RelayBatchSize}
                FOR UPDATE SKIP LOCKED
                """)
            .AsNoTracking()
            .ToListAsync(ct);

        int published;
        var failed = false;
        var outcomes = await Task.WhenAll(batch.Select(async message =>
        {
            try
            {
                await PublishAsync(message, o.PublishTimeout, ct);
                return (message, error: (Exception?)null);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                return (message, error: ex);
            }
        }));

        // Delete (or mark) only what the broker confirmed, in one statement; the rest is tried again after a backoff.
        var confirmedAt = time.GetUtcNow();
        var confirmed = outcomes.Where(x => x.error is null).Select(x => x.message.Id).ToArray();
        if (confirmed.Length > 0)
        {
            _ = o.OutboxRetention > TimeSpan.Zero
                ? await db.Database.ExecuteSqlAsync($"UPDATE outbox_messages SET sent_at = {confirmedAt} WHERE id = ANY({confirmed})", ct)
                : await db.Database.ExecuteSqlAsync($"DELETE FROM outbox_messages WHERE id = ANY({confirmed})", ct);
        }

        foreach (var (message, error) in outcomes.Where(x => x.error is not null))
        {
            var attempts = message.Attempts + 1;
            var next = confirmedAt + Backoff(attempts, o.MaxBackoff);
            await db.Database.ExecuteSqlAsync($"UPDATE outbox_messages SET attempts = {attempts}, next_attempt_at = {next} WHERE id = {message.Id}", ct);
            LogPublishFailed(logger, error!, message.MessageType, message.Id, attempts);
            failed = true;
        }

        published = confirmed.Length;
        await tx.CommitAsync(ct);
        if (published > 0)
        {
            LogPublished(logger, published, typeof(TDbContext).Name);
        }

        return new BatchResult(published, failed);
    }

    /// <summary>
    /// Deletes rows sent longer ago than the retention, a bounded number per statement so a large backlog
    /// never holds long locks. Public so tests can prune by hand.
    /// </summary>
    public async Task<int> PruneSentAsync(CancellationToken ct)
    {
        var o = options.Value;
        var before = time.GetUtcNow() - o.OutboxRetention;
        var total = 0;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        while (!ct.IsCancellationRequested)
        {
            var deleted = await db.Database.ExecuteSqlAsync($"""
                DELETE FROM outbox_messages
                WHERE id IN (SELECT id FROM outbox_messages WHERE sent_at < {before} LIMIT {o.PruneBatchSize} FOR UPDATE SKIP LOCKED)
                """, ct);
            total += deleted;
            if (deleted < o.PruneBatchSize)
            {
                break;
            }
        }

        if (total > 0)
        {
            LogPruned(logger, total, typeof(TDbContext).Name);
        }

        return total;
    }

    private async Task PublishAsync(OutboxMessage message, TimeSpan timeout, CancellationToken ct)
    {
        var type = Outbox.ResolveType(message.MessageType);
        var payload = JsonSerializer.Deserialize(message.Body, type, Outbox.Json)!;

        ActivityContext.TryParse(message.TraceParent, null, out var parent);
        using var activity = Source.StartActivity("outbox publish " + type.Name, ActivityKind.Producer, parent);

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        await bus.Publish(payload, type, ctx => ctx.MessageId = message.Id, cts.Token);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Relayed {Count} events of {Context}")]
    private static partial void LogPublished(ILogger logger, int count, string context);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} events of {Context} sent before the outbox retention")]
    private static partial void LogPruned(ILogger logger, int count, string context);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {MessageType} {MessageId} failed (attempt {Attempt}); will retry")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string messageType, Guid messageId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay of {Context} failed; will retry")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception, string context);
}
