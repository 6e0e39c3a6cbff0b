using Microsoft.Extensions.DependencyInjection;
using Panel.TestSupport;

namespace Panel.Messaging.Tests;

/// <summary>
/// Sent events do not stay at rest: by default the relay deletes an event once the broker confirmed it; with a
/// retention configured they stay marked sent that long and are then deleted. Unsent ones are never deleted.
/// </summary>
public sealed class OutboxRetentionTests() : TwoServices("retention")
{
    [Fact]
    public async Task By_default_an_event_is_deleted_once_the_broker_confirmed_it_and_the_inbox_keeps_only_its_id()
    {
        var log = new DeliveryLog();
        using var consumer = Hosts.Consumer(ConsumerDb, Bus, log);
        await Hosts.CreateSchemaAsync<ConsumerDb>(consumer);
        await consumer.StartAsync();
        using var producer = Hosts.Producer(ProducerDb, Bus);
        await Hosts.CreateSchemaAsync<ProducerDb>(producer);
        await producer.StartAsync();

        for (var i = 0; i < 30; i++)
        {
            await Hosts.WriteEventAsync(producer, "deleted-at-confirm");
        }

        await Eventually.UntilAsync(
            () => ConsumerDb.ScalarAsync<long>("SELECT coalesce(sum(count), 0) FROM tallies WHERE key = 'deleted-at-confirm'"),
            n => n == 30, TimeSpan.FromSeconds(60), "the events to be applied");
        await Eventually.UntilAsync(
            () => ProducerDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"), n => n == 0, TimeSpan.FromSeconds(30), "the sent events to be deleted");
        Assert.Equal(30, log.MessageIds.Distinct().Count());

        // The consumer's inbox: which message was applied by which consumer and when, nothing of the event itself.
        Assert.Equal("consumer:character varying,message_id:uuid,processed_at:timestamp with time zone", await ConsumerDb.ScalarAsync<string>("""
            SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY column_name) FROM information_schema.columns WHERE table_name = 'inbox_messages'
            """));
        Assert.DoesNotContain("deleted-at-confirm", await ProducerDb.DumpTextAsync(), StringComparison.Ordinal);
        await producer.StopAsync();
        await consumer.StopAsync();
    }

    [Fact]
    public async Task With_a_retention_events_sent_before_it_are_deleted_and_unsent_or_recent_ones_are_kept()
    {
        using var consumer = Hosts.Consumer(ConsumerDb, Bus, new DeliveryLog());
        await Hosts.CreateSchemaAsync<ConsumerDb>(consumer);
        await consumer.StartAsync();
        using var producer = Hosts.Producer(ProducerDb, Bus, retention: TimeSpan.FromMinutes(5));
        await Hosts.CreateSchemaAsync<ProducerDb>(producer);
        await producer.StartAsync();

        for (var i = 0; i < 30; i++)
        {
            await Hosts.WriteEventAsync(producer, "retention");
        }

        await Eventually.UntilAsync(
            () => ProducerDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL"),
            n => n == 0, TimeSpan.FromSeconds(60), "the outbox to drain");
        Assert.Equal(30, await ProducerDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));

        // Ten were sent ten minutes ago (past the retention of five), five were never sent though written long ago
        // (the broker was away): only the ten may go.
        await ProducerDb.ScalarAsync<long>("""
            WITH old AS (UPDATE outbox_messages SET sent_at = now() - interval '10 minutes'
                         WHERE id IN (SELECT id FROM outbox_messages ORDER BY id LIMIT 10) RETURNING 1)
            SELECT count(*) FROM old
            """);
        await producer.StopAsync();
        await ProducerDb.ScalarAsync<long>("""
            WITH stuck AS (UPDATE outbox_messages SET sent_at = NULL, created_at = now() - interval '30 days'
                           WHERE id IN (SELECT id FROM outbox_messages WHERE sent_at > now() - interval '1 minute' ORDER BY id LIMIT 5) RETURNING 1)
            SELECT count(*) FROM stuck
            """);

        var relay = producer.Services.GetRequiredService<OutboxRelay<ProducerDb>>();
        var deleted = await relay.PruneSentAsync(CancellationToken.None);

        Assert.Equal(10, deleted);
        Assert.Equal(20, await ProducerDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));
        Assert.Equal(5, await ProducerDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL"));
        Assert.Equal(0, await ProducerDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE sent_at < now() - interval '5 minutes'"));
        Assert.Equal(0, await relay.PruneSentAsync(CancellationToken.None));
        await consumer.StopAsync();
    }
}
