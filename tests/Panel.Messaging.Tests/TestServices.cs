using System.Collections.Concurrent;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Panel.Contracts;
using Panel.Messaging;
using Panel.TestSupport;

namespace Panel.Messaging.Tests;

/// <summary>A producing service's database: only the outbox (and inbox) tables.</summary>
public sealed class ProducerDb(DbContextOptions<ProducerDb> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddOutboxAndInbox();
}

/// <summary>A consuming service's database: a tally per municipality, built from events.</summary>
public sealed class ConsumerDb(DbContextOptions<ConsumerDb> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<Tally> Tallies => Set<Tally>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Tally>().ToTable("tallies").HasKey(t => t.Key);
        modelBuilder.AddOutboxAndInbox();
    }
}

public sealed class Tally
{
    public required string Key { get; set; }
    public int Count { get; set; }
}

/// <summary>Applies each event once through the inbox.</summary>
public sealed class TallyConsumer(ConsumerDb db, TimeProvider time, ILogger<TallyConsumer> logger)
    : InboxConsumer<MemberJoined, ConsumerDb>(db, time, logger)
{
    /// <summary>Events of this municipality always fail, as a poison message would.</summary>
    public const string Poison = "poison";

    protected override async Task HandleAsync(MemberJoined message, CancellationToken ct)
    {
        await Db.Database.ExecuteSqlAsync(
            $"INSERT INTO tallies (key, count) VALUES ({message.Profile.Municipality}, 1) ON CONFLICT (key) DO UPDATE SET count = tallies.count + 1", ct);
        if (message.Profile.Municipality == Poison)
        {
            throw new InvalidOperationException("This event cannot be applied.");
        }
    }

}

/// <summary>The sizes of the batches <see cref="BatchTallyConsumer"/> applied, and a batch to fail once.</summary>
public sealed class BatchLog
{
    public ConcurrentQueue<int> Sizes { get; } = new();

    /// <summary>The first batch holding an event of this municipality fails (after writing), once.</summary>
    public string? FailOnceOn { get; set; }
}

/// <summary>Applies events in batches through the inbox: one transaction per batch.</summary>
public sealed class BatchTallyConsumer(ConsumerDb db, TimeProvider time, ILogger<BatchTallyConsumer> logger, BatchLog log)
    : BatchInboxConsumer<MemberJoined, ConsumerDb>(db, time, logger)
{
    protected override async Task HandleAsync(IReadOnlyList<ConsumeContext<MemberJoined>> messages, CancellationToken ct)
    {
        foreach (var group in messages.GroupBy(m => m.Message.Profile.Municipality).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            await Db.Database.ExecuteSqlAsync(
                $"INSERT INTO tallies (key, count) VALUES ({group.Key}, {group.Count()}) ON CONFLICT (key) DO UPDATE SET count = tallies.count + EXCLUDED.count", ct);
        }

        if (log.FailOnceOn is { } fail && messages.Any(m => m.Message.Profile.Municipality == fail))
        {
            log.FailOnceOn = null;
            throw new InvalidOperationException("A batch failing once, as on a lost database connection.");
        }

        log.Sizes.Enqueue(messages.Count);
    }
}

/// <summary>Every delivery as it arrives, with no inbox: shows what the broker actually delivered.</summary>
public sealed class DeliveryLog : IPublishObserver
{
    private readonly ConcurrentDictionary<Guid, int> _published = new();

    public ConcurrentQueue<Guid> MessageIds { get; } = new();

    /// <summary>The deliveries the consuming service is done with, on each of its queues (the tally's and the recorder's).</summary>
    public Deliveries Done { get; } = new();

    /// <summary>
    /// Waits until every copy of every event the producer published (and the broker confirmed) is done with on both of
    /// the consumer's queues: whatever a duplicate would change has then been committed.
    /// </summary>
    public Task UntilEveryPublishedCopyDoneAsync(TimeSpan timeout) =>
        Eventually.UntilAsync(
            () => Task.FromResult(_published.Count(p => Done.Done(p.Key) < 2 * p.Value)),
            pending => pending == 0, timeout, "every published copy to be consumed");

    Task IPublishObserver.PrePublish<T>(PublishContext<T> context) => Task.CompletedTask;

    Task IPublishObserver.PostPublish<T>(PublishContext<T> context)
    {
        if (context.MessageId is { } id)
        {
            _published.AddOrUpdate(id, 1, (_, n) => n + 1);
        }

        return Task.CompletedTask;
    }

    Task IPublishObserver.PublishFault<T>(PublishContext<T> context, Exception exception) => Task.CompletedTask;
}

public sealed class DeliveryRecorder(DeliveryLog log) : IConsumer<MemberJoined>
{
    public Task Consume(ConsumeContext<MemberJoined> context)
    {
        log.MessageIds.Enqueue(context.MessageId!.Value);
        return Task.CompletedTask;
    }
}

public static class Hosts
{
    private static HostApplicationBuilder Builder(
        string connectionName, string connectionString, Uri bus, bool relay, bool quorumQueues = false, TimeSpan? retention = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Messaging:QuorumQueues"] = quorumQueues.ToString(),
            [$"ConnectionStrings:{connectionName}"] = connectionString,
            [$"ConnectionStrings:{ConnectionNames.EventBus}"] = bus.ToString(),
            ["Messaging:RelayPollInterval"] = "00:00:00.100",
            ["Messaging:RelayBatchSize"] = "20",
            ["Messaging:ConsumerRetries"] = "2",
            ["Messaging:PublishTimeout"] = "00:00:03",
            ["Messaging:MaxBackoff"] = "00:00:02",
            ["Messaging:RelayEnabled"] = relay.ToString(),
            ["Messaging:WaitUntilBusStarted"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Messaging:OutboxRetention"] = (retention ?? TimeSpan.Zero).ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        });
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    /// <param name="retention">How long sent events stay (none: deleted once the broker confirmed them, as in services).</param>
    /// <param name="log">Counts what the producer publishes (see <see cref="DeliveryLog.UntilEveryPublishedCopyDoneAsync"/>).</param>
    public static IHost Producer(TestDatabase db, TestVirtualHost bus, bool relay = true, TimeSpan? retention = null, DeliveryLog? log = null)
    {
        var builder = Builder("producerdb", db.ConnectionString, bus.AmqpUri, relay, retention: retention);
        if (log is not null)
        {
            builder.Services.AddPublishObserver(_ => log);
        }

        builder.AddPanelMessaging<ProducerDb>("producer", "producerdb");
        return builder.Build();
    }

    public static IHost Consumer(TestDatabase db, TestVirtualHost bus, DeliveryLog log, bool quorumQueues = false, BatchLog? batches = null)
    {
        var builder = Builder("consumerdb", db.ConnectionString, bus.AmqpUri, relay: false, quorumQueues);
        builder.Services.AddSingleton(log);
        builder.Services.AddReceiveObserver(_ => log.Done);
        builder.AddPanelMessaging<ConsumerDb>("consumer", "consumerdb", x =>
        {
            if (batches is null)
            {
                x.AddConsumer<TallyConsumer>();
            }
            else
            {
                builder.Services.AddSingleton(batches);
                x.AddConsumer<BatchTallyConsumer>(BatchInboxConsumer.Options);
            }

            x.AddConsumer<DeliveryRecorder>();
        });
        return builder.Build();
    }

    public static async Task CreateSchemaAsync<TDb>(IHost host) where TDb : DbContext
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TDb>().Database.EnsureCreatedAsync();
    }

    /// <summary>Writes one event the way a service does: in its own transaction, through the outbox.</summary>
    public static async Task WriteEventAsync(IHost producer, string municipality)
    {
        await using var scope = producer.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ProducerDb>();
        db.AddEvent(new MemberJoined(Guid.NewGuid(), new ProfileSnapshot("25-34", municipality, null, "fi", null), DateTimeOffset.UtcNow, null), TimeProvider.System);
        await db.SaveChangesAsync();
    }
}
