using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Panel.TestSupport;

namespace Panel.EndToEnd.Tests;

/// <summary>The whole system for every end-to-end test: started once, shared, torn down at the end.</summary>
[CollectionDefinition(Name)]
public sealed class PanelCollection : ICollectionFixture<PanelSystem>
{
    public const string Name = "Panel system";
}

/// <summary>
/// Panel as its AppHost declares it (AppHost/AppHost.cs, the topology ./run.sh starts too), started through
/// Aspire.Hosting.Testing on the test servers (Panel:Servers=existing): the four services and the gateway as real
/// processes in the Production environment, each on its own fresh database and all on one fresh RabbitMQ virtual
/// host, Membership sending to a real SMTP server, every process exporting its traces to the test's OTLP receiver;
/// plus a headless Chromium.
/// </summary>
public sealed class PanelSystem : IAsyncLifetime
{
    public const string AdminEmail = "admin@panel.local";

    internal static readonly (string Name, string ProjectDirectory, string Assembly, string Database)[] Layout =
    [
        (ServiceNames.Membership, "services/Membership/Panel.Membership", "Panel.Membership", ConnectionNames.MembershipDb),
        (ServiceNames.Surveys, "services/Surveys/Panel.Surveys", "Panel.Surveys", ConnectionNames.SurveysDb),
        (ServiceNames.Feedback, "services/Feedback/Panel.Feedback", "Panel.Feedback", ConnectionNames.FeedbackDb),
        (ServiceNames.Reporting, "services/Reporting/Panel.Reporting", "Panel.Reporting", ConnectionNames.ReportingDb),
        (ServiceNames.Gateway, "gateway/Panel.Gateway", "Panel.Gateway", ConnectionNames.GatewayDb),
    ];

    private readonly Dictionary<string, TestDatabase> _databases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Uri> _urls = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _browserLock = new(1, 1);
    private DistributedApplication? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private TestVirtualHost? _bus;
    private static int _instances;

    /// <summary>The real SMTP server Membership sends its emails to (Debian's aiosmtpd).</summary>
    public SmtpSink Mail { get; private set; } = default!;

    /// <summary>The spans the five processes exported over OTLP.</summary>
    public OtlpReceiver Telemetry { get; private set; } = default!;

    public PanelSystem()
    {
        RepoRoot = FindRepoRoot();
        Configuration = FindConfiguration();
        // A collection with a system of its own (DisclosureCollection) logs beside the shared one, not over its logs.
        var instance = Interlocked.Increment(ref _instances);
        LogDirectory = Path.Combine(AppContext.BaseDirectory, instance == 1 ? "e2e-logs" : $"e2e-logs-{instance}");
        ScreenshotDirectory = Path.Combine(RepoRoot, ".local", "screenshots");
    }

    public string RepoRoot { get; }
    /// <summary>Debug or Release: the one this test assembly was built in, and so the product's.</summary>
    public string Configuration { get; }
    /// <summary>Each process's console output (the dashboard's console logs) in NAME.log, the AppHost's in apphost.log.</summary>
    public string LogDirectory { get; }
    public string ScreenshotDirectory { get; }

    /// <summary>A strong password: 12+ characters, upper and lower case, digits, a symbol.</summary>
    public string AdminPassword { get; } = $"E2e-{Guid.NewGuid():N}-Pw1!";

    public Uri GatewayUrl => ServiceUrl(ServiceNames.Gateway);
    public Uri ServiceUrl(string name) => _urls.TryGetValue(name, out var url) ? url : throw new ArgumentException($"No process '{name}'.", nameof(name));
    public TestDatabase Database(string name) => _databases[name];
    public TestDatabase MembershipDatabase => Database(ServiceNames.Membership);

    public async Task InitializeAsync()
    {
        // Five processes, RabbitMQ, PostgreSQL and Chromium share two cores: a page that answers a form post can take
        // longer than Playwright's default 5 s for an assertion while the machine is busy.
        Microsoft.Playwright.Assertions.SetDefaultExpectTimeout(15_000);
        try
        {
            await StartEverythingAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartEverythingAsync()
    {
        Directory.CreateDirectory(LogDirectory);
        Directory.CreateDirectory(ScreenshotDirectory);

        var databases = await Task.WhenAll(Layout.Select(p => TestDatabase.CreateAsync("e2e_" + p.Name)));
        for (var i = 0; i < Layout.Length; i++)
        {
            _databases[Layout[i].Name] = databases[i];
        }

        _bus = await TestVirtualHost.CreateAsync();
        Mail = await SmtpSink.StartAsync();
        Telemetry = OtlpReceiver.Start();

        string[] args =
        [
            "Panel:Servers=existing",
            .. Layout.Select(l => $"ConnectionStrings:{l.Database}={_databases[l.Name].ConnectionString}"),
            $"ConnectionStrings:{ConnectionNames.EventBus}={_bus.AmqpUri}",
            $"GatewayToken:PrivateKey={TestTokens.PrivateKeyPem}",
            $"GatewayToken:PublicKey={TestTokens.PublicKeyPem}",
            $"Panel:SmtpHost={Mail.Host}",
            $"Panel:SmtpPort={Mail.Port.ToString(CultureInfo.InvariantCulture)}",
            $"Bootstrap:AdminEmail={AdminEmail}",
            $"Bootstrap:AdminPassword={AdminPassword}",
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Panel_AppHost>(
            args, (_, settings) => settings.EnvironmentName = "Production");
        builder.Services.AddLogging(l => l.AddProvider(new FileLoggerProvider(LogDirectory)));
        foreach (var (name, settings) in TestSettings())
        {
            var project = builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == name));
            foreach (var (key, value) in settings)
            {
                project.WithEnvironment(key, value);
            }
        }

        _app = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await _app.StartAsync(timeout.Token);
        foreach (var (name, _, _, _) in Layout)
        {
            _urls[name] = _app.GetEndpoint(name, "http");
        }

        // The AppHost starts the gateway once the four services are healthy.
        foreach (var (name, _, _, _) in Layout)
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token);
        }

        await SeedBaselineAsync();
    }

    /// <summary>What the tests set on top of the AppHost's topology, per process.</summary>
    private Dictionary<string, Dictionary<string, string>> TestSettings()
    {
        var all = new Dictionary<string, string>
        {
            ["MASSTRANSIT_USAGE_TELEMETRY"] = "false",
            // Every process exports its traces to the test's receiver, as to the dashboard under ./run.sh.
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Telemetry.Endpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_EXPORTER_OTLP_HEADERS"] = "",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "500",
        };
        var settings = Layout.ToDictionary(l => l.Name, _ => new Dictionary<string, string>(all), StringComparer.Ordinal);

        // Every browser and API call of the tests comes from this machine.
        settings[ServiceNames.Gateway]["RateLimits__FormPostsPerTenMinutes"] = "1000";
        settings[ServiceNames.Gateway]["RateLimits__OpenAnswersPerTenMinutes"] = "1000";
        settings[ServiceNames.Gateway]["RateLimits__PublicApiPerMinute"] = "100000";

        settings[ServiceNames.Membership]["Email__Smtp__Security"] = "None";
        // Member support resends a verification email right after the join (Membership's tests cover the interval).
        settings[ServiceNames.Membership]["Email__VerificationResendInterval"] = "00:00:01";
        // The survey journey moves invitation times back a day and waits for the reminder job.
        settings[ServiceNames.Membership]["Invitations__ReminderCheckInterval"] = "00:00:02";

        // The survey journey waits for the clock to open an approved survey and for the mixer to move answers.
        settings[ServiceNames.Surveys]["Surveys__ScheduleCheckInterval"] = "00:00:01";
        settings[ServiceNames.Surveys]["Surveys__MixerInterval"] = "00:00:01";
        return settings;
    }

    /// <summary>Two verified members in each baseline municipality, counted by Reporting before any test runs (see Residents).</summary>
    private async Task SeedBaselineAsync()
    {
        using var gateway = Gateway();
        foreach (var municipality in Residents.BaselineMunicipalities)
        {
            for (var i = 0; i < Residents.BaselineMembersEach; i++)
            {
                await Residents.JoinAndVerifyThroughApiAsync(this, gateway, Residents.NewEmail("baseline"), municipality, Residents.BirthYear);
            }
        }

        var reporting = Database(ServiceNames.Reporting);
        await Eventually.UntilAsync(
            () => reporting.ScalarAsync<long>(
                "SELECT count(*) FROM (SELECT municipality FROM panel_member_counts WHERE municipality = ANY(@p0) GROUP BY municipality HAVING sum(members) = @p1) AS counted", (object)Residents.BaselineMunicipalities.ToArray(), Residents.BaselineMembersEach),
            n => n == Residents.BaselineMunicipalities.Count,
            TimeSpan.FromSeconds(60),
            "Reporting to count the baseline members");
    }

    /// <summary>Stops one process through the AppHost (the dashboard's Stop) and waits until it no longer answers.</summary>
    public async Task StopAsync(string name)
    {
        var result = await _app!.ResourceCommands.ExecuteCommandAsync(name, KnownResourceCommands.StopCommand);
        Assert.True(result.Success, $"Stopping {name}: {result.Message}");
        using var direct = Direct(name);
        await Eventually.UntilAsync(() => AnswersAsync(direct), answers => !answers, TimeSpan.FromSeconds(60), $"{name} to stop");
    }

    /// <summary>Starts one process again through the AppHost (same address, same settings) and waits for its health.</summary>
    public async Task StartAsync(string name)
    {
        var result = await _app!.ResourceCommands.ExecuteCommandAsync(name, KnownResourceCommands.StartCommand);
        Assert.True(result.Success, $"Starting {name}: {result.Message}");
        using var direct = Direct(name);
        await Eventually.UntilAsync(() => AnswersAsync(direct), answers => answers, TimeSpan.FromSeconds(120), $"{name} to be healthy again");
    }

    private static async Task<bool> AnswersAsync(HttpClient direct)
    {
        try
        {
            using var response = await direct.GetAsync("/health");
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>A client of the gateway, as an integrating system or an anonymous caller sees it.</summary>
    public HttpClient Gateway() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        BaseAddress = GatewayUrl,
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>A client of one service's own port, around the gateway.</summary>
    public HttpClient Direct(string name) => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        BaseAddress = ServiceUrl(name),
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>The system's Chromium, started on first use (MACHINE.md: no download, system binary).</summary>
    public async Task<IBrowser> BrowserAsync()
    {
        await _browserLock.WaitAsync();
        try
        {
            if (_browser is null)
            {
                _playwright = await Playwright.CreateAsync();
                var executable = Environment.GetEnvironmentVariable("PLAYWRIGHT_CHROMIUM_EXECUTABLE") is { Length: > 0 } path ? path : "/usr/bin/chromium";
                _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = executable,
                    Headless = true,
                    Args =
                    [
                        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--no-first-run",
                    ],
                });
            }

            return _browser;
        }
        finally
        {
            _browserLock.Release();
        }
    }

    /// <summary>A fresh browser context (its own cookies) on the gateway, at desktop width unless told.</summary>
    /// <param name="storageState">Cookies and storage to start with (from <see cref="IBrowserContext.StorageStateAsync"/>).</param>
    public async Task<IBrowserContext> NewContextAsync(bool javaScript = true, int width = 1280, int height = 900, string? storageState = null)
    {
        var browser = await BrowserAsync();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            StorageState = storageState,
            BaseURL = GatewayUrl.ToString(),
            JavaScriptEnabled = javaScript,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(30_000);
        return context;
    }

    public async Task DisposeAsync()
    {
        // Safe to call twice (a failed start disposes, and xunit may too).
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }

        if (_browser is not null)
        {
            await _browser.CloseAsync();
            _browser = null;
        }

        _playwright?.Dispose();
        _playwright = null;

        foreach (var database in _databases.Values)
        {
            await database.DisposeAsync();
        }

        _databases.Clear();
        if (_bus is not null)
        {
            await _bus.DisposeAsync();
            _bus = null;
        }

        if (Mail is not null)
        {
            await Mail.DisposeAsync();
            Mail = null!;
        }

        if (Telemetry is not null)
        {
            await Telemetry.DisposeAsync();
            Telemetry = null!;
        }
    }

    private static string FindRepoRoot()
    {
        if (Environment.GetEnvironmentVariable("PANEL_REPO_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "Panel.sln")))
        {
            return Path.GetFullPath(root);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Panel.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Panel.sln not found above {AppContext.BaseDirectory}; set PANEL_REPO_ROOT.");
    }

    private static string FindConfiguration()
    {
        // .../tests/Panel.EndToEnd.Tests/bin/<Configuration>/net10.0/
        var segments = AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var bin = Array.LastIndexOf(segments, "bin");
        if (bin < 0 || bin + 1 >= segments.Length)
        {
            throw new InvalidOperationException($"Cannot tell the build configuration from {AppContext.BaseDirectory}.");
        }

        return segments[bin + 1];
    }
}
