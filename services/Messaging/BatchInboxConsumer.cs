using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Panel.Messaging;

/// <summary>
/// <see cref="InboxConsumer{TMessage,TDbContext}"/> for events that come in floods (one per answer or open): up to
/// <see cref="MessageLimit"/> messages are applied in one transaction and one commit instead of one each. The
/// batch's message ids are recorded in the inbox in one statement (sorted, so two batches never wait on each other
/// in opposite orders) and only the ones not recorded before are handed to <see cref="HandleAsync"/>; a message
/// delivered twice, in one batch or two, is applied once. If the handler fails, nothing of the batch is kept and
/// MassTransit delivers the batch again (retry, then the error queue per message).
/// Register with <see cref="Options"/>: <c>x.AddConsumer&lt;C&gt;(BatchInboxConsumer.Options)</c>.
/// </summary>
public abstract partial class BatchInboxConsumer<TMessage, TDbContext>(TDbContext db, TimeProvider time, ILogger logger)
    : IConsumer<Batch<TMessage>>
    where TMessage : class
    where TDbContext : DbContext, IMessagingDbContext
{
    protected TDbContext Db => db;
    protected TimeProvider Time => time;

    public async Task Consume(ConsumeContext<Batch<TMessage>> context)
    {
        var consumer = GetType().Name;
        var ct = context.CancellationToken;
        var byId = new Dictionary<Guid, ConsumeContext<TMessage>>();
        foreach (var message in context.Message)
        {
            var id = message.MessageId ?? throw new InvalidOperationException("A Panel integration event always carries a message id.");
            byId.TryAdd(id, message);
        }

        var ids = byId.Keys.Order().ToArray();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var fresh = await db.Database.SqlQuery<Guid>($"""
            INSERT INTO inbox_messages (message_id, consumer, processed_at)
            SELECT id, {consumer}, {time.GetUtcNow()} FROM unnest({ids}) AS ids(id)
            ON CONFLICT DO NOTHING
            RETURNING message_id AS "Value"
            """).ToListAsync(ct);
        if (fresh.Count < ids.Length)
        {
            LogDuplicates(logger, ids.Length - fresh.Count, consumer);
        }

        if (fresh.Count == 0)
        {
            await tx.RollbackAsync(ct);
            return;
        }

        var freshIds = fresh.ToHashSet();
        await HandleAsync(ids.Where(freshIds.Contains).Select(id => byId[id]).ToList(), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Applies the messages not applied before. Runs inside the inbox transaction; SaveChanges is called after it.</summary>
    protected abstract Task HandleAsync(IReadOnlyList<ConsumeContext<TMessage>> messages, CancellationToken ct);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} messages already applied by {Consumer}; skipped")]
    private static partial void LogDuplicates(ILogger logger, int count, string consumer);
}

/// <summary>How batch inbox consumers collect their batches.</summary>
public static class BatchInboxConsumer
{
    /// <summary>At most this many messages per batch (and transaction).</summary>
    public const int MessageLimit = 100;

    /// <summary>A batch is applied at the latest this long after its first message came.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromMilliseconds(100);

    /// <summary>Batches applied at once per consumer.</summary>
    public const int ConcurrencyLimit = 2;

    public static void Options<TConsumer>(IRegistrationContext context, IConsumerConfigurator<TConsumer> consumer)
        where TConsumer : class =>
        consumer.Options<BatchOptions>(o => o.SetMessageLimit(MessageLimit).SetTimeLimit(TimeLimit).SetConcurrencyLimit(ConcurrencyLimit));
}
