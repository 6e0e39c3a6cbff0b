using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Panel.Messaging;

/// <summary>
/// Group commit of a service's inbox consumers (<see cref="InboxConsumer{TMessage,TDbContext}"/>). Every message a
/// consumer receives is queued here; one worker at a time takes what is queued (up to <see cref="GroupLimit"/>) and
/// applies it in one transaction: the group's message ids go into the inbox in one statement, each message not
/// applied before is handed to its consumer (made in the group's scope, so on the group's DbContext) and saved, and
/// one commit makes them all durable before any of them is acknowledged. While a group commits, the next one gathers,
/// so a flood is applied in groups as large as it is fast, and a lone message waits for no timer.
/// <para>
/// If anything in a group fails, nothing of it is kept and each of its messages is applied again in a transaction of
/// its own: the good ones succeed, and only the failing one fails its delivery (retried by MassTransit, then moved to
/// its _error queue), as without grouping. Events of one group are applied in the order they came; consumers never
/// relied on order (deliveries run concurrently anyway) and the counters they move commute. One worker per service
/// means two groups never take the same rows in different orders.
/// </para>
/// </summary>
public sealed partial class InboxGroupCommit<TDbContext>(IServiceScopeFactory scopes, TimeProvider time, ILogger<InboxGroupCommit<TDbContext>> logger)
    where TDbContext : DbContext, IMessagingDbContext
{
    /// <summary>At most this many messages per transaction.</summary>
    public const int GroupLimit = 200;

    private readonly ConcurrentQueue<Pending> _queue = new();
    private int _working;

    /// <summary>One delivery (compared by reference: two deliveries of one message are two).</summary>
    private sealed class Pending(Type consumerType, string consumer, Guid messageId, object message, CancellationToken ct)
    {
        public Type ConsumerType { get; } = consumerType;
        public string Consumer { get; } = consumer;
        public Guid MessageId { get; } = messageId;
        public object Message { get; } = message;
        public CancellationToken Ct { get; } = ct;
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Applies the message with its consumer once it is committed: true, or false if it had been applied before.</summary>
    public Task<bool> ApplyAsync(Type consumerType, string consumer, Guid messageId, object message, CancellationToken ct)
    {
        var pending = new Pending(consumerType, consumer, messageId, message, ct);
        _queue.Enqueue(pending);
        if (Interlocked.CompareExchange(ref _working, 1, 0) == 0)
        {
            _ = Task.Run(WorkAsync, CancellationToken.None);
        }

        return pending.Done.Task;
    }

    private async Task WorkAsync()
    {
        while (true)
        {
            while (Take() is { Count: > 0 } group)
            {
                await ApplyGroupAsync(group);
            }

            Volatile.Write(ref _working, 0);
            // A message queued after the last Take but before the flag was cleared would wait for the next message: look once more.
            if (_queue.IsEmpty || Interlocked.CompareExchange(ref _working, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private List<Pending> Take()
    {
        var group = new List<Pending>();
        while (group.Count < GroupLimit && _queue.TryDequeue(out var pending))
        {
            if (pending.Ct.IsCancellationRequested)
            {
                pending.Done.TrySetCanceled(pending.Ct);
                continue;
            }

            group.Add(pending);
        }

        return group;
    }

    private async Task ApplyGroupAsync(List<Pending> group)
    {
        try
        {
            var applied = await CommitAsync(group);
            foreach (var pending in group)
            {
                pending.Done.TrySetResult(applied.Contains(pending));
            }

            return;
        }
        catch (Exception ex) when (group.Count > 1)
        {
            LogGroupFailed(logger, ex, group.Count, typeof(TDbContext).Name);
        }
        catch (Exception ex)
        {
            group[0].Done.TrySetException(ex);
            return;
        }

        foreach (var pending in group)
        {
            try
            {
                var applied = await CommitAsync([pending]);
                pending.Done.TrySetResult(applied.Contains(pending));
            }
            catch (Exception ex)
            {
                pending.Done.TrySetException(ex);
            }
        }
    }

    /// <summary>One transaction for the group; the messages it applied (the others were applied before).</summary>
    private async Task<HashSet<Pending>> CommitAsync(List<Pending> group)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(CancellationToken.None);

        // A message delivered twice into one group is applied once: the first copy, the others count as applied before.
        var firsts = group.DistinctBy(p => (p.MessageId, p.Consumer)).ToList();
        var ids = firsts.Select(p => p.MessageId).ToArray();
        var consumers = firsts.Select(p => p.Consumer).ToArray();
        var fresh = (await db.Database.SqlQuery<InboxKey>($"""
                INSERT INTO inbox_messages (message_id, consumer, processed_at)
                SELECT id, consumer, {time.GetUtcNow()} FROM unnest({ids}, {consumers}) AS m(id, consumer)
                ON CONFLICT DO NOTHING
                RETURNING message_id, consumer
                """).ToListAsync(CancellationToken.None))
            .ToHashSet();

        var applied = new HashSet<Pending>();
        foreach (var pending in firsts.Where(p => fresh.Contains(new InboxKey(p.MessageId, p.Consumer))))
        {
            var handler = (IInboxHandler)(scope.ServiceProvider.GetService(pending.ConsumerType)
                ?? ActivatorUtilities.CreateInstance(scope.ServiceProvider, pending.ConsumerType));
            await handler.HandleAsync(pending.Message, pending.Ct);
            await db.SaveChangesAsync(pending.Ct);
            applied.Add(pending);
        }

        if (applied.Count == 0)
        {
            await tx.RollbackAsync(CancellationToken.None);
            return applied;
        }

        await tx.CommitAsync(CancellationToken.None);
        return applied;
    }

    private sealed record InboxKey(Guid MessageId, string Consumer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group of {Count} messages of {Context} failed; applying each on its own")]
    private static partial void LogGroupFailed(ILogger logger, Exception exception, int count, string context);
}
