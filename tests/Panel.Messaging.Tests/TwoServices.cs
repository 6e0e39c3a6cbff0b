using Microsoft.Extensions.Hosting;
using Panel.TestSupport;

namespace Panel.Messaging.Tests;

/// <summary>A producing and a consuming service's databases and a virtual host of their own, per test class.</summary>
public abstract class TwoServices(string name) : IAsyncLifetime
{
    protected TestDatabase ProducerDb { get; private set; } = default!;
    protected TestDatabase ConsumerDb { get; private set; } = default!;
    protected TestVirtualHost Bus { get; private set; } = default!;

    private readonly List<IHost> _hosts = [];

    /// <summary>Starts a service host of the test; it is stopped and disposed with the test class.</summary>
    protected async Task<IHost> StartAsync(IHost host)
    {
        _hosts.Add(host);
        await host.StartAsync();
        return host;
    }

    public async Task InitializeAsync()
    {
        ProducerDb = await TestDatabase.CreateAsync(name + "_producer");
        ConsumerDb = await TestDatabase.CreateAsync(name + "_consumer");
        Bus = await TestVirtualHost.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }

        await Bus.DisposeAsync();
        await ProducerDb.DisposeAsync();
        await ConsumerDb.DisposeAsync();
    }
}
