using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Panel.Messaging;

/// <summary>
/// Base of every consumer: the message id is recorded in the inbox in the same transaction as the handler's effect,
/// so a redelivered or republished message changes nothing the second time.
/// <para>
/// Messages are committed in groups (<see cref="InboxGroupCommit{TDbContext}"/>): the messages a service's consumers
/// receive while a commit is under way are applied together in the next transaction, so a flood of events that all
/// move the same counters (a day's joins, a municipality's members) costs one commit and one row lock per group instead
/// of one each; each message still succeeds or fails on its own (a failing one is retried and goes to its _error queue
/// alone). A consumer whose one message is a large piece of work (issuing a survey's invitations) says
/// <see cref="AppliedAlone"/> and keeps a transaction of its own.
/// </para>
/// </summary>
public abstract partial class InboxConsumer<TMessage, TDbContext>(TDbContext db, TimeProvider time, ILogger logger)
    : IConsumer<TMessage>, IInboxHandler
    where TMessage : class
    where TDbContext : DbContext, IMessagingDbContext
{
    protected TDbContext Db => db;
    protected TimeProvider Time => time;

    /// <summary>True for a consumer whose messages are each a large piece of work, applied in a transaction of their own.</summary>
    protected virtual bool AppliedAlone => false;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException("A Panel integration event always carries a message id.");
        var consumer = GetType().Name;
        var ct = context.CancellationToken;

        var applied = !AppliedAlone && GroupOf(context) is { } group
            ? await group.ApplyAsync(GetType(), consumer, messageId, context.Message, ct)
            : await ApplyAloneAsync(messageId, consumer, context.Message, ct);
        if (!applied)
        {
            LogDuplicate(logger, messageId, consumer);
        }
    }

    /// <summary>The service's group commit (registered by AddPanelMessaging); none in a host that did not register it.</summary>
    private static InboxGroupCommit<TDbContext>? GroupOf(ConsumeContext context)
    {
        var services = context.TryGetPayload<IServiceScope>(out var scope) ? scope.ServiceProvider
            : context.TryGetPayload<IServiceProvider>(out var provider) ? provider
            : null;
        return services?.GetService(typeof(InboxGroupCommit<TDbContext>)) as InboxGroupCommit<TDbContext>;
    }

    private async Task<bool> ApplyAloneAsync(Guid messageId, string consumer, TMessage message, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var inserted = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO inbox_messages (message_id, consumer, processed_at) VALUES ({messageId}, {consumer}, {time.GetUtcNow()}) ON CONFLICT DO NOTHING",
            ct);
        if (inserted == 0)
        {
            await tx.RollbackAsync(ct);
            return false;
        }

        await HandleAsync(message, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Applies the message. Runs inside the inbox transaction; SaveChanges is called after it.</summary>
    protected abstract Task HandleAsync(TMessage message, CancellationToken ct);

    Task IInboxHandler.HandleAsync(object message, CancellationToken ct) => HandleAsync((TMessage)message, ct);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} already applied by {Consumer}; skipped")]
    private static partial void LogDuplicate(ILogger logger, Guid messageId, string consumer);
}

/// <summary>A consumer as <see cref="InboxGroupCommit{TDbContext}"/> applies it: the message only, on the group's DbContext.</summary>
internal interface IInboxHandler
{
    Task HandleAsync(object message, CancellationToken ct);
}
