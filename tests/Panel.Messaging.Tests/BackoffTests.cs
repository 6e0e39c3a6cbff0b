using Panel.Messaging.Tests;

namespace Panel.Messaging.Tests;

public sealed class BackoffTests
{
    [Fact]
    public void Relay_backoff_grows_exponentially_and_is_capped()
    {
        var max = TimeSpan.FromSeconds(30);
        var delays = Enumerable.Range(1, 12).Select(n => OutboxRelay<ProducerDb>.Backoff(n, max)).ToList();

        Assert.Equal(TimeSpan.FromMilliseconds(400), delays[0]);
        Assert.Equal(TimeSpan.FromMilliseconds(800), delays[1]);
        Assert.All(delays.Zip(delays.Skip(1)), pair => Assert.True(pair.Second >= pair.First));
        Assert.Equal(max, delays[^1]);
    }
}
