using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Panel.Contracts;
using Panel.TestSupport;

namespace Panel.Messaging.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrokerOutageCollection
{
    public const string Name = "broker outage";
}

/// <summary>
/// The delivery guarantees of DESIGN.md section 3 against a real RabbitMQ and PostgreSQL: no event
/// is lost or applied twice across broker and consumer restarts, duplicates and concurrent relays.
/// </summary>
[Collection(BrokerOutageCollection.Name)]
public sealed class DeliveryTests : IAsyncLifetime
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);
    private TestDatabase _producerDb = default!;
    private TestDatabase _consumerDb = default!;
    private TestVirtualHost _bus = default!;
    private readonly DeliveryLog _log = new();
    private readonly List<IHost> _hosts = [];

    public async Task InitializeAsync()
    {
        _producerDb = await TestDatabase.CreateAsync("producer");
        _consumerDb = await TestDatabase.CreateAsync("consumer");
        _bus = await TestVirtualHost.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }

        await _bus.DisposeAsync();
        await _producerDb.DisposeAsync();
        await _consumerDb.DisposeAsync();
    }

    private async Task<IHost> StartAsync(IHost host)
    {
        _hosts.Add(host);
        await host.StartAsync();
        return host;
    }

    private async Task<IHost> StartProducerAsync(bool relay = true)
    {
        var host = Hosts.Producer(_producerDb, _bus, relay, log: _log);
        await Hosts.CreateSchemaAsync<ProducerDb>(host);
        return await StartAsync(host);
    }

    private async Task<IHost> StartConsumerAsync()
    {
        var host = Hosts.Consumer(_consumerDb, _bus, _log);
        await Hosts.CreateSchemaAsync<ConsumerDb>(host);
        return await StartAsync(host);
    }

    private async Task StopAsync(IHost host)
    {
        await host.StopAsync();
        _hosts.Remove(host);
        host.Dispose();
    }

    private Task<long> TallyAsync(string key) =>
        _consumerDb.ScalarAsync<long>("SELECT coalesce(sum(count), 0) FROM tallies WHERE key = @p0", key);

    private Task<long> UnsentAsync() => _producerDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL");

    /// <summary>Waits until everything written is relayed and applied, then asserts exact counts.</summary>
    private async Task AssertSettledAsync(string key, int expected)
    {
        await Eventually.UntilAsync(UnsentAsync, n => n == 0, Settle, "the outbox to drain");
        await Eventually.UntilAsync(() => TallyAsync(key), n => n >= expected, Settle, $"{expected} events applied");
        await _log.UntilEveryPublishedCopyDoneAsync(Settle); // anything duplicated has landed by now
        Assert.Equal(expected, await TallyAsync(key));
        Assert.Equal(expected, await _consumerDb.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE consumer = 'TallyConsumer'"));
        // Each event was deleted once the broker confirmed it: nothing sent stays at rest.
        Assert.Equal(0, await _producerDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));
    }

    [Fact]
    public async Task No_event_is_lost_or_applied_twice_when_RabbitMQ_stops_and_starts_while_members_join()
    {
        var servers = await TestServers.GetAsync();
        await StartConsumerAsync();
        var producer = await StartProducerAsync();

        for (var i = 0; i < 60; i++)
        {
            await Hosts.WriteEventAsync(producer, "outage");
        }

        await servers.RabbitMqCtlAsync("stop_app");
        try
        {
            // Members keep joining while the broker is down: the outbox holds their events.
            for (var i = 0; i < 60; i++)
            {
                await Hosts.WriteEventAsync(producer, "outage");
            }

            await Task.Delay(2000);
            Assert.True(await UnsentAsync() > 0, "with the broker down, events must wait in the outbox");
        }
        finally
        {
            await servers.RabbitMqCtlAsync("start_app");
        }

        for (var i = 0; i < 60; i++)
        {
            await Hosts.WriteEventAsync(producer, "outage");
        }

        await AssertSettledAsync("outage", 180);
    }

    [Fact]
    public async Task No_event_is_lost_when_the_consuming_service_stops_and_starts_again()
    {
        var consumer = await StartConsumerAsync(); // declares its queue
        var producer = await StartProducerAsync();
        for (var i = 0; i < 30; i++)
        {
            await Hosts.WriteEventAsync(producer, "restart");
        }

        await StopAsync(consumer);
        for (var i = 0; i < 70; i++)
        {
            await Hosts.WriteEventAsync(producer, "restart");
        }

        await Eventually.UntilAsync(UnsentAsync, n => n == 0, Settle, "events to wait in the consumer's queue");
        await StartConsumerAsync();

        await AssertSettledAsync("restart", 100);
    }

    [Fact]
    public async Task A_message_delivered_twice_is_applied_once()
    {
        var consumer = await StartConsumerAsync();
        var bus = consumer.Services.GetRequiredService<IBus>();
        var message = new MemberJoined(Guid.NewGuid(), new ProfileSnapshot("25-34", "twice", null, "fi", null), DateTimeOffset.UtcNow, null);
        var id = Guid.NewGuid();

        await bus.Publish(message, ctx => ctx.MessageId = id);
        await bus.Publish(message, ctx => ctx.MessageId = id);

        await Eventually.UntilAsync(() => Task.FromResult(_log.MessageIds.Count(m => m == id)), n => n == 2, Settle, "both deliveries");
        await _log.Done.UntilDoneAsync(id, times: 4, Settle); // both copies, on the recorder's queue and the tally's
        Assert.Equal(1, await TallyAsync("twice"));
    }

    [Fact]
    public async Task An_event_republished_after_a_crash_between_confirm_and_commit_is_applied_once()
    {
        await StartConsumerAsync();
        var writer = await StartProducerAsync(relay: false);
        for (var i = 0; i < 10; i++)
        {
            await Hosts.WriteEventAsync(writer, "crash");
        }

        Assert.Equal(10, await _producerDb.ScalarAsync<long>("CREATE TABLE outbox_copy AS SELECT * FROM outbox_messages; SELECT count(*) FROM outbox_copy"));
        await StartProducerAsync();
        await AssertSettledAsync("crash", 10);

        // As if the relay had published but died before its delete committed: the rows are back, unsent.
        Assert.Equal(10, await _producerDb.ScalarAsync<long>("WITH i AS (INSERT INTO outbox_messages SELECT * FROM outbox_copy RETURNING 1) SELECT count(*) FROM i"));
        await Eventually.UntilAsync(UnsentAsync, n => n == 0, Settle, "the rows to be republished");
        await Eventually.UntilAsync(() => Task.FromResult(_log.MessageIds.Count), n => n == 20, Settle, "the second deliveries");

        await AssertSettledAsync("crash", 10);
    }

    [Fact]
    public async Task Two_relays_over_one_outbox_publish_each_event_exactly_once()
    {
        await StartConsumerAsync();
        var first = await StartProducerAsync();
        await StartProducerAsync();

        await Parallel.ForAsync(0, 300, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (_, _) => await Hosts.WriteEventAsync(first, "two-relays"));

        await AssertSettledAsync("two-relays", 300);
        // Without the inbox: the broker delivered each event once, so no relay published a row twice.
        Assert.Equal(300, _log.MessageIds.Count);
        Assert.Equal(300, _log.MessageIds.Distinct().Count());
    }
}

[Collection(BrokerOutageCollection.Name)]
public sealed class ErrorQueueTests() : TwoServices("poison")
{
    [Fact]
    public async Task A_message_that_keeps_failing_is_retried_then_parked_in_the_error_queue_with_no_partial_effect()
    {
        using var consumer = Hosts.Consumer(ConsumerDb, Bus, new DeliveryLog());
        await Hosts.CreateSchemaAsync<ConsumerDb>(consumer);
        await consumer.StartAsync();
        using var producer = Hosts.Producer(ProducerDb, Bus);
        await Hosts.CreateSchemaAsync<ProducerDb>(producer);
        await producer.StartAsync();

        await Hosts.WriteEventAsync(producer, TallyConsumer.Poison);
        await Hosts.WriteEventAsync(producer, "healthy");

        await Eventually.UntilAsync(() => Bus.QueueDepthAsync("consumer-tally_error"), n => n == 1, TimeSpan.FromSeconds(90),
            "the poison message in the error queue");
        await Eventually.UntilAsync(
            () => ConsumerDb.ScalarAsync<long>("SELECT coalesce(sum(count), 0) FROM tallies WHERE key = 'healthy'"),
            n => n == 1, TimeSpan.FromSeconds(30), "the healthy message applied");
        // Each failed attempt rolled back its tally and its inbox row.
        Assert.Equal(0, await ConsumerDb.ScalarAsync<long>("SELECT coalesce(sum(count), 0) FROM tallies WHERE key = 'poison'"));
        Assert.Equal(1, await ConsumerDb.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE consumer = 'TallyConsumer'"));
        await producer.StopAsync();
        await consumer.StopAsync();
    }
}
