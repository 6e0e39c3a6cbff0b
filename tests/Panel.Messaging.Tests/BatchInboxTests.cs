using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Panel.Contracts;
using Panel.TestSupport;

namespace Panel.Messaging.Tests;

/// <summary>Batch inbox consumers: many events per transaction, still each applied exactly once.</summary>
public sealed class BatchInboxTests() : TwoServices("batch")
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);
    private readonly DeliveryLog _log = new();
    private readonly BatchLog _batches = new();
    private async Task<(IHost Producer, IHost Consumer)> StartBothAsync()
    {
        var consumer = Hosts.Consumer(ConsumerDb, Bus, _log, batches: _batches);
        await Hosts.CreateSchemaAsync<ConsumerDb>(consumer);
        var producer = Hosts.Producer(ProducerDb, Bus, log: _log);
        await Hosts.CreateSchemaAsync<ProducerDb>(producer);
        return (await StartAsync(producer), await StartAsync(consumer));
    }

    private Task<long> TallyAsync(string key) =>
        ConsumerDb.ScalarAsync<long>("SELECT coalesce(sum(count), 0) FROM tallies WHERE key = @p0", key);

    private Task<long> InboxAsync() =>
        ConsumerDb.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE consumer = 'BatchTallyConsumer'");

    [Fact]
    public async Task A_flood_of_events_is_applied_exactly_once_in_batches_of_many()
    {
        var (producer, _) = await StartBothAsync();
        await Parallel.ForAsync(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (_, _) => await Hosts.WriteEventAsync(producer, "flood"));

        await Eventually.UntilAsync(() => TallyAsync("flood"), n => n >= 400, Settle, "400 events applied");
        await _log.UntilEveryPublishedCopyDoneAsync(Settle);
        Assert.Equal(400, await TallyAsync("flood"));
        Assert.Equal(400, await InboxAsync());
        Assert.Equal(400, _batches.Sizes.Sum());
        Assert.True(_batches.Sizes.Count < 400 && _batches.Sizes.Max() > 1, $"batches: {string.Join(",", _batches.Sizes)}");
        Assert.True(_batches.Sizes.Max() <= BatchInboxConsumer.MessageLimit);
    }

    [Fact]
    public async Task A_message_delivered_several_times_in_one_batch_or_several_is_applied_once()
    {
        var (_, consumer) = await StartBothAsync();
        var bus = consumer.Services.GetRequiredService<IBus>();
        var message = new MemberJoined(Guid.NewGuid(), new ProfileSnapshot("25-34", "again", null, "fi", null), DateTimeOffset.UtcNow, null);
        var id = Guid.NewGuid();

        for (var i = 0; i < 3; i++)
        {
            await bus.Publish(message, ctx => ctx.MessageId = id);
        }

        await Eventually.UntilAsync(() => Task.FromResult(_log.MessageIds.Count(m => m == id)), n => n == 3, Settle, "three deliveries");
        await Eventually.UntilAsync(() => TallyAsync("again"), n => n >= 1, Settle, "the event applied");
        // Each copy counts once on the recorder's queue and once on the batch consumer's.
        await _log.Done.UntilDoneAsync(id, times: 6, Settle);
        await bus.Publish(message, ctx => ctx.MessageId = id);
        await Eventually.UntilAsync(() => Task.FromResult(_log.MessageIds.Count(m => m == id)), n => n == 4, Settle, "a fourth delivery");
        await _log.Done.UntilDoneAsync(id, times: 8, Settle);

        Assert.Equal(1, await TallyAsync("again"));
        Assert.Equal(1, await InboxAsync());
    }

    [Fact]
    public async Task A_batch_that_fails_keeps_nothing_and_is_applied_whole_on_the_retry()
    {
        _batches.FailOnceOn = "fails-once";
        var (producer, _) = await StartBothAsync();
        for (var i = 0; i < 30; i++)
        {
            await Hosts.WriteEventAsync(producer, i % 10 == 0 ? "fails-once" : "neighbour");
        }

        await Eventually.UntilAsync(() => TallyAsync("neighbour"), n => n >= 27, Settle, "the events applied");
        await Eventually.UntilAsync(() => TallyAsync("fails-once"), n => n >= 3, Settle, "the failed batch applied on its retry");
        await _log.UntilEveryPublishedCopyDoneAsync(Settle);
        Assert.Null(_batches.FailOnceOn); // it did fail once
        Assert.Equal(27, await TallyAsync("neighbour"));
        Assert.Equal(3, await TallyAsync("fails-once"));
        Assert.Equal(30, await InboxAsync());
    }
}
