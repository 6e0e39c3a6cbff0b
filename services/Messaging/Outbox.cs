using System.Data.Common;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Panel.Contracts;

namespace Panel.Messaging;

/// <summary>
/// The one API a service uses to raise an integration event: add it to the DbContext, then
/// SaveChanges commits it together with the state change. The relay publishes it afterwards.
/// </summary>
public static class Outbox
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static OutboxMessage AddEvent<TEvent>(this IMessagingDbContext db, TEvent integrationEvent, TimeProvider time)
        where TEvent : class
    {
        var message = Message(integrationEvent, time);
        db.OutboxMessages.Add(message);
        // The relay is woken once the row is committed (OutboxPulseInterceptor): woken now, it would find nothing
        // and sleep a whole poll interval.
        if (db is DbContext context)
        {
            OutboxPulseInterceptor.Expect(context);
        }
        else
        {
            OutboxSignal.Pulse();
        }

        return message;
    }

    /// <summary>
    /// The outbox row of an event, not yet added anywhere: for a hot path that writes its rows in a statement of
    /// its own (every column as here); call <see cref="Pulse"/> after that statement committed.
    /// </summary>
    public static OutboxMessage Message<TEvent>(TEvent integrationEvent, TimeProvider time)
        where TEvent : class
    {
        var type = typeof(TEvent);
        if (type.Assembly != typeof(ProfileSnapshot).Assembly)
        {
            throw new ArgumentException($"{type.Name} is not an integration event of Panel.Contracts.", nameof(integrationEvent));
        }

        return new OutboxMessage
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            MessageType = type.FullName!,
            Body = JsonSerializer.Serialize(integrationEvent, Json),
            CreatedAt = time.GetUtcNow(),
            TraceParent = Activity.Current?.Id,
        };
    }

    /// <summary>Wakes the relay: rows were written without <see cref="AddEvent"/>.</summary>
    public static void Pulse() => OutboxSignal.Pulse();

    internal static Type ResolveType(string messageType) =>
        typeof(ProfileSnapshot).Assembly.GetType(messageType, throwOnError: true)!;
}

/// <summary>
/// Wakes the relay when a DbContext that added events (<see cref="Outbox.AddEvent"/>) has committed them: after
/// SaveChanges outside a transaction, or when the transaction it ran in commits.
/// </summary>
public sealed class OutboxPulseInterceptor : DbTransactionInterceptor, ISaveChangesInterceptor
{
    public static readonly OutboxPulseInterceptor Instance = new();

    private static readonly ConditionalWeakTable<DbContext, object> Expecting = [];

    internal static void Expect(DbContext context) => Expecting.AddOrUpdate(context, Instance);

    private static void Wake(DbContext? context)
    {
        if (context is not null && Expecting.Remove(context))
        {
            OutboxSignal.Pulse();
        }
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
        {
            Wake(eventData.Context);
        }

        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(SavedChanges(eventData, result));

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Wake(eventData.Context);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Wake(eventData.Context);
        return Task.CompletedTask;
    }
}

/// <summary>Wakes the relay early when a request has just written an event, instead of waiting for its next poll.</summary>
internal static class OutboxSignal
{
    private static readonly SemaphoreSlim Signal = new(0, 1);

    public static void Pulse()
    {
        try
        {
            if (Signal.CurrentCount == 0)
            {
                Signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Another writer pulsed at the same moment: the relay is awake either way.
        }
    }

    public static Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => Signal.WaitAsync(timeout, ct);
}
