using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Panel.ServiceDefaults;
using Panel.Surveys.Lifecycle;
using Panel.TestSupport;

namespace Panel.Surveys.Tests;

/// <summary>
/// The Surveys service in process on its own PostgreSQL database and RabbitMQ virtual host, with a
/// clock the tests move (<see cref="Clock"/>, starting at the real now). The survey clock runs as in
/// production, waiting on that clock; tests may also run it by hand (<see cref="RunClockAsync"/>).
/// </summary>
public class SurveysHost : IAsyncLifetime
{
    public const string Area = "elderly-services";
    public const string OtherArea = "oral-health";

    private WebApplicationFactory<Program>? _factory;

    /// <summary>Moves a microsecond at every reading, as real time would, so that events and reviews keep their order.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.FromTicks(10) };
    public TestDatabase Database { get; private set; } = default!;
    public TestVirtualHost Bus { get; private set; } = default!;
    /// <summary>The deliveries the service's consumers are done with, to wait for before checking an event changed nothing.</summary>
    public Deliveries Deliveries { get; } = new();
    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Not started.");
    public IServiceProvider Services => Factory.Services;

    protected virtual void Configure(IDictionary<string, string?> settings)
    {
    }

    /// <summary>Services on top of the service's own (a capturing logger, …).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync<Panel.Surveys.Data.SurveysDbContext>(ServiceNames.Surveys);
        Bus = await TestVirtualHost.CreateAsync();
        var settings = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ConnectionNames.SurveysDb}"] = Database.ConnectionString,
            [$"ConnectionStrings:{ConnectionNames.EventBus}"] = Bus.AmqpUri.ToString(),
            ["GatewayToken:PublicKey"] = TestTokens.PublicKeyPem,
            ["Database:MigrateOnStart"] = "true",
            ["Messaging:RelayPollInterval"] = "00:00:00.100",
            ["Messaging:ConsumerRetries"] = "2",
            ["Messaging:WaitUntilBusStarted"] = "true",
            // Surveys deletes an event once the broker confirmed it; tests keep them an hour to read what was sent
            // (OutboxAtRestTests use the service's own setting).
            ["Messaging:OutboxRetention"] = "01:00:00",
            ["Surveys:ScheduleCheckInterval"] = "00:01:00",
            // Tests mix by hand (MixAsync; a survey's k rules what is released, see ReleaseRule); MixerTests run the
            // hosted mixer. They settle pending answers by hand too (SettleAsync).
            ["Surveys:MixerEnabled"] = "false",
            ["Surveys:MixerMinimumBatch"] = "1",
            ["Surveys:SettleEnabled"] = "false",
            // Tests send the invitation notices by hand (NoticesAsync).
            ["Surveys:NoticesEnabled"] = "false",
        };
        Configure(settings);
        _factory = new ClockedFactory(settings, Clock, Deliveries, ConfigureServices);
        _ = _factory.Server;
        await Task.CompletedTask;
    }

    public HttpClient Client(string? token)
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>A client for a staff member with these roles (and areas, for a DomainContact).</summary>
    public HttpClient As(Staff staff) => Client(staff.Token());

    public Task<(int Opened, int Closed)> RunClockAsync() => Services.GetRequiredService<SurveyClock>().RunOnceAsync(CancellationToken.None);

    /// <summary>Runs the response mixer once: pending answers due are moved into survey_responses.</summary>
    public Task<int> MixAsync() => Services.GetRequiredService<Panel.Surveys.Responses.ResponseMixer>().RunOnceAsync(CancellationToken.None);

    /// <summary>Closes an open survey as a coordinator and runs the mixer: everything waiting is released.</summary>
    public async Task<int> CloseAndMixAsync(Guid surveyId)
    {
        using var closed = await Client(Staff.Coordinator().Token()).PostAsync($"/api/surveys/{surveyId}/close", null);
        closed.EnsureSuccessStatusCode();
        return await MixAsync();
    }

    /// <summary>Runs the pending answer settler once: new pending answers are rewritten in a transaction of their own.</summary>
    public Task<int> SettleAsync() => Services.GetRequiredService<Panel.Surveys.Responses.PendingAnswerSettler>().RunOnceAsync(CancellationToken.None);

    /// <summary>Runs the invitation notice relay once: opens and answers waiting go to the outbox as InvitationsProgressed.</summary>
    /// <remarks>
    /// Another test's run may hold some of this survey's notices (they are claimed with SKIP LOCKED), so this runs
    /// the relay until none of the survey's are left.
    /// </remarks>
    public async Task NoticesAsync(Guid surveyId)
    {
        var relay = Services.GetRequiredService<Panel.Surveys.Invitations.InvitationNoticeRelay>();
        for (var i = 0; i < 100; i++)
        {
            await relay.RunOnceAsync(CancellationToken.None);
            if (await Database.ScalarAsync<long>("SELECT count(*) FROM invitation_notices WHERE survey_id = @p0", surveyId) == 0)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The invitation notices of survey {surveyId} were not sent.");
    }

    public virtual async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (Bus is not null)
        {
            await Bus.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }

    private sealed class ClockedFactory(IDictionary<string, string?> settings, TimeProvider clock, Deliveries deliveries, Action<IServiceCollection> services)
        : WebApplicationFactory<Program>
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
                s.AddSingleton(clock);
                s.AddReceiveObserver(_ => deliveries);
                services(s);
            });
        }
    }
}

/// <summary>A staff member as the gateway's token describes them: id, roles and service areas.</summary>
public sealed record Staff(string Id, string[] Roles, string[] Areas)
{
    private static readonly Lazy<SigningCredentials> Credentials = new(() =>
    {
        var key = ECDsa.Create();
        key.ImportFromPem(TestTokens.PrivateKeyPem);
        return new SigningCredentials(new ECDsaSecurityKey(key) { CryptoProviderFactory = new CryptoProviderFactory() }, SecurityAlgorithms.EcdsaSha256);
    });

    public static Staff New(string role, params string[] areas) => new("staff-" + Guid.NewGuid().ToString("N")[..12], [role], areas);

    public static Staff Author() => New(PanelRoles.SurveyAuthor);
    public static Staff Contact(string area = SurveysHost.Area) => New(PanelRoles.DomainContact, area);
    public static Staff Coordinator() => New(PanelRoles.Coordinator);
    public static Staff Communications() => New(PanelRoles.Communications);
    public static Staff ReportReader() => New(PanelRoles.ReportReader);
    public static Staff ItAdmin() => New(PanelRoles.ItAdmin);

    /// <summary>A token minted exactly as the gateway mints one for staff, plus <c>area</c> claims.</summary>
    public string Token(string service = ServiceNames.Surveys)
    {
        var identity = new ClaimsIdentity();
        identity.AddClaim(new Claim(PanelClaims.Subject, Id));
        identity.AddClaim(new Claim(PanelClaims.ActorKind, PanelClaims.ActorStaff));
        foreach (var role in Roles)
        {
            identity.AddClaim(new Claim(PanelClaims.Role, role));
        }

        foreach (var area in Areas)
        {
            identity.AddClaim(new Claim(PanelClaims.ServiceArea, area));
        }

        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = GatewayTokenOptions.Issuer,
            Audience = GatewayTokenOptions.AudienceFor(service),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            Subject = identity,
            SigningCredentials = Credentials.Value,
        });
    }
}
