extern alias membership;
extern alias reporting;
extern alias surveys;

using Microsoft.Extensions.DependencyInjection;
using Panel.TestSupport;
using Yarp.ReverseProxy.Forwarder;

namespace Panel.Gateway.Tests.Support;

/// <summary>Membership in process behind a gateway, sending its email to an SMTP server of its own.</summary>
public sealed class LiveMembership : ServiceHost<membership::Program>
{
    protected override string ServiceName => ServiceNames.Membership;
    protected override string DatabaseConnectionName => ConnectionNames.MembershipDb;

    public SmtpSink Smtp { get; private set; } = default!;

    public override async Task InitializeAsync()
    {
        Smtp = await SmtpSink.StartAsync();
        await base.InitializeAsync();
    }

    /// <summary>Settings a test class adds on top (see <see cref="LiveGatewayHost.ConfigureService"/>).</summary>
    public Action<IDictionary<string, string?>> Settings { get; init; } = _ => { };

    protected override void Configure(IDictionary<string, string?> settings)
    {
        Smtp.ConfigureMembership(settings, LiveGatewayHost.PublicBaseUrl);
        Settings(settings);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Smtp is not null)
        {
            await Smtp.DisposeAsync();
        }
    }
}

/// <summary>Surveys in process behind a gateway, with its own clock, mixer and notices as in production.</summary>
public sealed class LiveSurveys : ServiceHost<surveys::Program>
{
    protected override string ServiceName => ServiceNames.Surveys;
    protected override string DatabaseConnectionName => ConnectionNames.SurveysDb;

    /// <summary>Settings a test class adds on top (see <see cref="LiveGatewayHost.ConfigureService"/>).</summary>
    public Action<IDictionary<string, string?>> Settings { get; init; } = _ => { };

    protected override void Configure(IDictionary<string, string?> settings) => Settings(settings);
}

/// <summary>Reporting in process behind a gateway, reading the events the other two publish.</summary>
public sealed class LiveReporting : ServiceHost<reporting::Program>
{
    protected override string ServiceName => ServiceNames.Reporting;
    protected override string DatabaseConnectionName => ConnectionNames.ReportingDb;

    /// <summary>Settings a test class adds on top (see <see cref="LiveGatewayHost.ConfigureService"/>).</summary>
    public Action<IDictionary<string, string?>> Settings { get; init; } = _ => { };

    protected override void Configure(IDictionary<string, string?> settings) => Settings(settings);
}

/// <summary>
/// The gateway in process in front of the real Membership, Surveys and Reporting services, also in process, each on
/// its own PostgreSQL database and all on one RabbitMQ virtual host, so that what one publishes reaches the others as
/// under the AppHost. The gateway's typed clients and its proxy reach them through their test servers; the services
/// check the tokens with this gateway's key. Feedback, which has no API the gateway calls yet, stays the echo.
/// </summary>
public class LiveGatewayHost : GatewayHost
{
    public const string PublicBaseUrl = "http://panel.test";

    public TestVirtualHost Bus { get; private set; } = default!;
    public LiveMembership Membership { get; private set; } = default!;
    public LiveSurveys Surveys { get; private set; } = default!;
    public LiveReporting Reporting { get; private set; } = default!;

    protected override async Task StartingAsync()
    {
        Bus = await TestVirtualHost.CreateAsync();
        Membership = new LiveMembership { TokenPublicKeyPem = PublicKeyPem, SharedBus = Bus, OnKestrel = OnKestrel, Settings = s => ConfigureService(ServiceNames.Membership, s) };
        Surveys = new LiveSurveys { TokenPublicKeyPem = PublicKeyPem, SharedBus = Bus, OnKestrel = OnKestrel, Settings = s => ConfigureService(ServiceNames.Surveys, s) };
        Reporting = new LiveReporting { TokenPublicKeyPem = PublicKeyPem, SharedBus = Bus, OnKestrel = OnKestrel, Settings = s => ConfigureService(ServiceNames.Reporting, s) };
        await Task.WhenAll(Membership.InitializeAsync(), Surveys.InitializeAsync(), Reporting.InitializeAsync());
        if (OnKestrel)
        {
            // The gateway reaches them as in production: over sockets, at their addresses.
            Settings[$"services:{ServiceNames.Membership}:http:0"] = Membership.Address.GetLeftPart(UriPartial.Authority);
            Settings[$"services:{ServiceNames.Surveys}:http:0"] = Surveys.Address.GetLeftPart(UriPartial.Authority);
            Settings[$"services:{ServiceNames.Reporting}:http:0"] = Reporting.Address.GetLeftPart(UriPartial.Authority);
        }
    }

    /// <summary>Settings of one service (<paramref name="service"/> names it) on top of the defaults.</summary>
    protected virtual void ConfigureService(string service, IDictionary<string, string?> settings)
    {
    }

    protected override void ConfigureServices(IServiceCollection services)
    {
        if (OnKestrel)
        {
            return;
        }

        var handlers = new Dictionary<string, Func<HttpMessageHandler>>
        {
            [ServiceNames.Membership] = () => Membership.Factory.Server.CreateHandler(),
            [ServiceNames.Surveys] = () => Surveys.Factory.Server.CreateHandler(),
            [ServiceNames.Reporting] = () => Reporting.Factory.Server.CreateHandler(),
        };
        foreach (var (name, handler) in handlers)
        {
            services.AddHttpClient(name).ConfigurePrimaryHttpMessageHandler(handler);
        }

        services.AddSingleton<IForwarderHttpClientFactory>(new InProcessForwarders(handlers, new ForwarderHttpClientFactory()));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var service in new IAsyncLifetime?[] { Reporting, Surveys, Membership })
        {
            if (service is not null)
            {
                await service.DisposeAsync();
            }
        }

        if (Bus is not null)
        {
            await Bus.DisposeAsync();
        }
    }

    /// <summary>The proxy's clients: a service in process through its test server, the others as configured.</summary>
    private sealed class InProcessForwarders(IReadOnlyDictionary<string, Func<HttpMessageHandler>> handlers, IForwarderHttpClientFactory others)
        : IForwarderHttpClientFactory
    {
        public HttpMessageInvoker CreateClient(ForwarderHttpClientContext context) =>
            handlers.TryGetValue(context.ClusterId, out var handler) ? new HttpMessageInvoker(handler(), disposeHandler: true) : others.CreateClient(context);
    }
}

/// <summary>
/// The gateway and the services each on a real Kestrel socket, the proxy forwarding over TCP as in production: for what
/// the in-memory test server does not do alike (a service dropping the connection mid-upload).
/// </summary>
public sealed class KestrelGatewayHost : LiveGatewayHost
{
    protected override bool OnKestrel => true;
}

/// <summary>The gateway in front of the real services that most page tests share.</summary>
[CollectionDefinition(Name)]
public sealed class LiveGatewayCollection : ICollectionFixture<LiveGatewayHost>
{
    public const string Name = "live gateway";
}
