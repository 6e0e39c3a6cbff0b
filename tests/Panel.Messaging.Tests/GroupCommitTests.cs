using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Panel.Contracts;
using Panel.TestSupport;

namespace Panel.Messaging.Tests;

/// <summary>
/// The inbox's group commit (<see cref="InboxGroupCommit{TDbContext}"/>): a flood of events for an ordinary, one-message
/// consumer is applied in few transactions, each event exactly once, and a failing event among them fails alone.
/// A group's inbox rows share one processed_at (one statement), so the distinct values count the transactions.
/// </summary>
[Collection(BrokerOutageCollection.Name)]
public sealed class GroupCommitTests() : TwoServices("group")
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);
    private readonly DeliveryLog _log = new();

    /// <summary>Starts the consumer, writes the events with <paramref name="backlog"/>, then starts the producer's relay: they arrive as a flood.</summary>
    private async Task<(IHost Producer, IHost Consumer)> StartBothAsync(Func<IHost, Task>? backlog = null)
    {
        var consumer = Hosts.Consumer(ConsumerDb, Bus, _log);
        await Hosts.CreateSchemaAsync<ConsumerDb>(consumer);
        var producer = Hosts.Producer(ProducerDb, Bus, log: _log);
        await Hosts.CreateSchemaAsync<ProducerDb>(producer);
        await StartAsync(consumer);
        if (backlog is not null)
        {
            await backlog(producer);
        }

        return (await StartAsync(producer), consumer);
    }

    private Task<long> TallyAsync(string key) =>
        ConsumerDb.ScalarAsync<long>("SELECT coalesce(sum(count), 0) FROM tallies WHERE key = @p0", key);

    private Task<long> InboxAsync() =>
        ConsumerDb.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE consumer = 'TallyConsumer'");

    private Task<long> TransactionsAsync() =>
        ConsumerDb.ScalarAsync<long>("SELECT count(DISTINCT processed_at) FROM inbox_messages WHERE consumer = 'TallyConsumer'");

    [Fact]
    public async Task A_flood_for_a_one_message_consumer_is_applied_exactly_once_in_groups()
    {
        await StartBothAsync(producer => Parallel.ForAsync(0, 600, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (_, _) => await Hosts.WriteEventAsync(producer, "flood")));

        await Eventually.UntilAsync(() => TallyAsync("flood"), n => n >= 600, Settle, "600 events applied");
        await _log.UntilEveryPublishedCopyDoneAsync(Settle);
        Assert.Equal(600, await TallyAsync("flood"));
        Assert.Equal(600, await InboxAsync());
        var transactions = await TransactionsAsync();
        Assert.True(transactions < 600, $"{transactions} transactions for 600 events: nothing was grouped");
        Assert.True(transactions >= 600 / InboxGroupCommit<ConsumerDb>.GroupLimit, $"{transactions} transactions: a group exceeded the limit");
    }

    [Fact]
    public async Task A_failing_event_in_a_flood_fails_alone_and_the_others_are_applied_once()
    {
        await StartBothAsync(producer => Parallel.ForAsync(0, 300, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, _) => await Hosts.WriteEventAsync(producer, i == 150 ? TallyConsumer.Poison : "neighbour")));

        await Eventually.UntilAsync(() => Bus.QueueDepthAsync("consumer-tally_error"), n => n == 1, Settle, "the failing event in the error queue");
        await Eventually.UntilAsync(() => TallyAsync("neighbour"), n => n >= 299, Settle, "the other events applied");
        await _log.UntilEveryPublishedCopyDoneAsync(Settle);
        Assert.Equal(299, await TallyAsync("neighbour"));
        // Each attempt of the failing event rolled back its own effect and inbox row, and no neighbour's.
        Assert.Equal(0, await TallyAsync(TallyConsumer.Poison));
        Assert.Equal(299, await InboxAsync());
        Assert.Equal(1, await Bus.QueueDepthAsync("consumer-tally_error"));
    }

    [Fact]
    public async Task Copies_of_one_message_arriving_together_are_applied_once()
    {
        var (_, consumer) = await StartBothAsync();
        var bus = consumer.Services.GetRequiredService<IBus>();
        var message = new MemberJoined(Guid.NewGuid(), new ProfileSnapshot("25-34", "copies", null, "fi", null), DateTimeOffset.UtcNow, null);
        var id = Guid.NewGuid();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => bus.Publish(message, ctx => ctx.MessageId = id)));
        await Eventually.UntilAsync(() => Task.FromResult(_log.MessageIds.Count(m => m == id)), n => n == 20, Settle, "twenty deliveries");
        // Each copy counts once on the recorder's queue and once on the tally's.
        await _log.Done.UntilDoneAsync(id, times: 40, Settle);

        Assert.Equal(1, await TallyAsync("copies"));
        Assert.Equal(1, await InboxAsync());
    }
}
