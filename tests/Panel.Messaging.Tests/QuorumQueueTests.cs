using Microsoft.Extensions.Hosting;
using Panel.TestSupport;

namespace Panel.Messaging.Tests;

/// <summary>Production runs consumer endpoints on RabbitMQ quorum queues (Messaging:QuorumQueues).</summary>
[Collection(BrokerOutageCollection.Name)]
public sealed class QuorumQueueTests() : TwoServices("quorum")
{
    [Fact]
    public async Task With_quorum_queues_on_the_consumer_queues_are_quorum_queues_and_deliver()
    {
        using var consumer = Hosts.Consumer(ConsumerDb, Bus, new DeliveryLog(), quorumQueues: true);
        await Hosts.CreateSchemaAsync<ConsumerDb>(consumer);
        await consumer.StartAsync();
        using var producer = Hosts.Producer(ProducerDb, Bus);
        await Hosts.CreateSchemaAsync<ProducerDb>(producer);
        await producer.StartAsync();

        for (var i = 0; i < 10; i++)
        {
            await Hosts.WriteEventAsync(producer, "quorum");
        }

        await Eventually.UntilAsync(
            () => ConsumerDb.ScalarAsync<long>("SELECT coalesce(sum(count), 0) FROM tallies WHERE key = 'quorum'"),
            n => n == 10, TimeSpan.FromSeconds(60), "ten events through quorum queues");
        Assert.Equal("quorum", await Bus.QueueTypeAsync("consumer-tally"));
        Assert.Equal("quorum", await Bus.QueueTypeAsync("consumer-delivery-recorder"));
        await producer.StopAsync();
        await consumer.StopAsync();
    }
}
