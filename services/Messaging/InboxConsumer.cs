using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Panel.Messaging;

/// <summary>
/// Base of every consumer: the message id is recorded in the inbox in the same transaction as
/// the handler's effect, so a redelivered or republished message changes nothing the second time.
/// A concurrent duplicate blocks on the inbox row's key until the first commits, then finds it.
/// </summary>
public abstract partial class InboxConsumer<TMessage, TDbContext>(TDbContext db, TimeProvider time, ILogger logger)
    : IConsumer<TMessage>
    where TMessage : class
    where TDbContext : DbContext, IMessagingDbContext
{
    protected TDbContext Db => db;
    protected TimeProvider Time => time;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException("A Panel integration event always carries a message id.");
        var consumer = GetType().Name;
        var ct = context.CancellationToken;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var inserted = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO inbox_messages (message_id, consumer, processed_at) VALUES ({messageId}, {consumer}, {time.GetUtcNow()}) ON CONFLICT DO NOTHING",
            ct);
        if (inserted == 0)
        {
            LogDuplicate(logger, messageId, consumer);
            await tx.RollbackAsync(ct);
            return;
        }

        await HandleAsync(context.Message, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Applies the message. Runs inside the inbox transaction; SaveChanges is called after it.</summary>
    protected abstract Task HandleAsync(TMessage message, CancellationToken ct);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} already applied by {Consumer}; skipped")]
    private static partial void LogDuplicate(ILogger logger, Guid messageId, string consumer);
}
