using Panel.TestSupport;

namespace Panel.Messaging.Tests;

/// <summary>A producing and a consuming service's databases and a virtual host of their own, per test class.</summary>
public abstract class TwoServices(string name) : IAsyncLifetime
{
    protected TestDatabase ProducerDb { get; private set; } = default!;
    protected TestDatabase ConsumerDb { get; private set; } = default!;
    protected TestVirtualHost Bus { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        ProducerDb = await TestDatabase.CreateAsync(name + "_producer");
        ConsumerDb = await TestDatabase.CreateAsync(name + "_consumer");
        Bus = await TestVirtualHost.CreateAsync();
    }

    public virtual async Task DisposeAsync()
    {
        await Bus.DisposeAsync();
        await ProducerDb.DisposeAsync();
        await ConsumerDb.DisposeAsync();
    }
}
