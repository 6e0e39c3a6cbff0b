using Microsoft.Extensions.DependencyInjection;
using Panel.TestSupport;

namespace Panel.Messaging.Tests;

/// <summary>Sent events are kept for the retention period and then deleted; unsent ones never are.</summary>
public sealed class OutboxRetentionTests() : TwoServices("retention")
{
    [Fact]
    public async Task Events_sent_before_the_retention_are_deleted_and_unsent_or_recent_ones_are_kept()
    {
        using var consumer = Hosts.Consumer(ConsumerDb, Bus, new DeliveryLog());
        await Hosts.CreateSchemaAsync<ConsumerDb>(consumer);
        await consumer.StartAsync();
        using var producer = Hosts.Producer(ProducerDb, Bus);
        await Hosts.CreateSchemaAsync<ProducerDb>(producer);
        await producer.StartAsync();

        for (var i = 0; i < 30; i++)
        {
            await Hosts.WriteEventAsync(producer, "retention");
        }

        await Eventually.UntilAsync(
            () => ProducerDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL"),
            n => n == 0, TimeSpan.FromSeconds(60), "the outbox to drain");

        // Ten were sent eight days ago (past the default retention of seven), five were never sent though
        // written long ago (the broker was away): only the ten may go.
        await ProducerDb.ScalarAsync<long>("""
            WITH old AS (UPDATE outbox_messages SET sent_at = now() - interval '8 days'
                         WHERE id IN (SELECT id FROM outbox_messages ORDER BY id LIMIT 10) RETURNING 1)
            SELECT count(*) FROM old
            """);
        await producer.StopAsync();
        await ProducerDb.ScalarAsync<long>("""
            WITH stuck AS (UPDATE outbox_messages SET sent_at = NULL, created_at = now() - interval '30 days'
                           WHERE id IN (SELECT id FROM outbox_messages WHERE sent_at > now() - interval '1 day' ORDER BY id LIMIT 5) RETURNING 1)
            SELECT count(*) FROM stuck
            """);

        var relay = producer.Services.GetRequiredService<OutboxRelay<ProducerDb>>();
        var deleted = await relay.PruneSentAsync(CancellationToken.None);

        Assert.Equal(10, deleted);
        Assert.Equal(20, await ProducerDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));
        Assert.Equal(5, await ProducerDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL"));
        Assert.Equal(0, await ProducerDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE sent_at < now() - interval '7 days'"));
        Assert.Equal(0, await relay.PruneSentAsync(CancellationToken.None));
        await consumer.StopAsync();
    }
}
