using System.Net.Http.Headers;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Panel.TestSupport;

/// <summary>
/// One backend service in process (WebApplicationFactory) on its own real PostgreSQL database and
/// RabbitMQ virtual host, configured exactly as the scripts configure it, with migrations applied (the database is a
/// copy of a migrated template, and the service migrates at start as under the AppHost).
/// </summary>
public abstract class ServiceHost<TProgram> : IAsyncLifetime where TProgram : class
{
    private WebApplicationFactory<TProgram>? _factory;

    protected abstract string ServiceName { get; }
    protected abstract string DatabaseConnectionName { get; }

    /// <summary>
    /// The DbContext whose migrated template the test database is copied from: by default the one the service's
    /// design-time factory makes. The service still migrates at start (Database:MigrateOnStart), finding nothing to do.
    /// </summary>
    protected virtual Type? DbContextType => DatabaseTemplates.DesignTimeContextOf(typeof(TProgram).Assembly);

    public TestDatabase Database { get; private set; } = default!;
    public TestVirtualHost Bus { get; private set; } = default!;
    /// <summary>The deliveries the service's consumers are done with, to wait for before checking an event changed nothing.</summary>
    public Deliveries Deliveries { get; } = new();
    public WebApplicationFactory<TProgram> Factory => _factory ?? throw new InvalidOperationException("Not started.");
    public IServiceProvider Services => Factory.Services;

    /// <summary>
    /// The key the service checks gateway tokens with: TestTokens' by default, a gateway's own when the service runs
    /// behind a gateway in process.
    /// </summary>
    public string TokenPublicKeyPem { get; set; } = TestTokens.PublicKeyPem;

    /// <summary>
    /// Serve on a real Kestrel socket (<see cref="Address"/>) instead of the in-memory test server, for tests whose
    /// subject is what only a real server does (connections dropped mid-upload, the body limit of a chunked body).
    /// </summary>
    public bool OnKestrel { get; init; }

    /// <summary>Where the service listens when <see cref="OnKestrel"/>.</summary>
    public Uri Address => Factory.ClientOptions.BaseAddress;

    /// <summary>
    /// A virtual host the service shares with others (its events reach them as in production); the service's own,
    /// deleted with it, when null.
    /// </summary>
    public TestVirtualHost? SharedBus { get; set; }

    /// <summary>Settings on top of the defaults; a test class may add its own.</summary>
    protected virtual void Configure(IDictionary<string, string?> settings)
    {
    }

    /// <summary>Services on top of the service's own.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public virtual async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(ServiceName, DbContextType);
        Bus = SharedBus ?? await TestVirtualHost.CreateAsync();
        var settings = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{DatabaseConnectionName}"] = Database.ConnectionString,
            [$"ConnectionStrings:{ConnectionNames.EventBus}"] = Bus.AmqpUri.ToString(),
            ["GatewayToken:PublicKey"] = TokenPublicKeyPem,
            ["Database:MigrateOnStart"] = "true",
            ["Messaging:RelayPollInterval"] = "00:00:00.100",
            ["Messaging:ConsumerRetries"] = "2",
            ["Messaging:WaitUntilBusStarted"] = "true",
            // Services delete an event once the broker confirmed it; tests keep them an hour to read what was sent.
            ["Messaging:OutboxRetention"] = "01:00:00",
        };
        Configure(settings);
        _factory = new ConfiguredFactory(settings, Deliveries, ConfigureServices);
        KestrelHosting.Start(_factory, OnKestrel); // start now: migrations, bus, relay
    }

    public HttpClient Client(string? token = null)
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = Factory.ClientOptions.BaseAddress });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public virtual async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (Bus is not null && SharedBus is null)
        {
            await Bus.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }

    private sealed class ConfiguredFactory(IDictionary<string, string?> settings, Deliveries deliveries, Action<IServiceCollection> services)
        : WebApplicationFactory<TProgram>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(s =>
            {
                s.AddReceiveObserver(_ => deliveries);
                services(s);
            });
        }
    }
}
