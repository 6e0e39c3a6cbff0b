using System.Collections.Concurrent;
using MassTransit;

namespace Panel.TestSupport;

/// <summary>
/// The deliveries a process's receive endpoints are done with (consumed and committed, or given up on), counted by
/// message id. It is the positive signal a test waits for before checking that an event changed nothing (a duplicate
/// skipped, an event ignored): once the delivery is done, whatever it would have changed has been committed.
/// </summary>
/// <remarks>Register it on the bus with <c>services.AddReceiveObserver(_ =&gt; deliveries)</c>.</remarks>
public sealed class Deliveries : IReceiveObserver
{
    private readonly ConcurrentDictionary<Guid, int> _done = new();

    /// <summary>How many deliveries of this message were done with, over every queue of the process.</summary>
    public int Done(Guid messageId) => _done.GetValueOrDefault(messageId);

    /// <summary>Waits until <paramref name="times"/> deliveries of this message were done with (each copy on each queue counts).</summary>
    public Task UntilDoneAsync(Guid messageId, int times = 1, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(() => Task.FromResult(Done(messageId)), n => n >= times, timeout ?? TimeSpan.FromSeconds(60),
            $"{times} deliveries of message {messageId} processed");

    Task IReceiveObserver.PreReceive(ReceiveContext context) => Task.CompletedTask;

    Task IReceiveObserver.PostReceive(ReceiveContext context)
    {
        Count(context);
        return Task.CompletedTask;
    }

    Task IReceiveObserver.PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) => Task.CompletedTask;

    Task IReceiveObserver.ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) => Task.CompletedTask;

    Task IReceiveObserver.ReceiveFault(ReceiveContext context, Exception exception)
    {
        Count(context);
        return Task.CompletedTask;
    }

    private void Count(ReceiveContext context)
    {
        if (context.GetMessageId() is { } id)
        {
            _done.AddOrUpdate(id, 1, (_, n) => n + 1);
        }
    }
}
