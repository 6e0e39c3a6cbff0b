using System.Net;
using System.Net.Sockets;
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
/// The four services and the gateway as real processes, built outputs started the way run.sh starts
/// them (Production environment, migrations at start, ports on loopback), each on its own fresh
/// database and all on one fresh RabbitMQ virtual host; plus a headless Chromium.
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

    private readonly Dictionary<string, PanelProcess> _processes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TestDatabase> _databases = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _browserLock = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private TestVirtualHost? _bus;
    private static int _instances;

    /// <summary>The real SMTP server Membership sends its emails to (Debian's aiosmtpd).</summary>
    public SmtpSink Mail { get; private set; } = default!;

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
    public string LogDirectory { get; }
    public string ScreenshotDirectory { get; }

    /// <summary>A strong password: 12+ characters, upper and lower case, digits, a symbol.</summary>
    public string AdminPassword { get; } = $"E2e-{Guid.NewGuid():N}-Pw1!";

    public Uri GatewayUrl => Process(ServiceNames.Gateway).Url;
    public Uri ServiceUrl(string name) => Process(name).Url;
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
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

        var databases = await Task.WhenAll(Layout.Select(p => TestDatabase.CreateAsync("e2e_" + p.Name)));
        for (var i = 0; i < Layout.Length; i++)
        {
            _databases[Layout[i].Name] = databases[i];
        }

        _bus = await TestVirtualHost.CreateAsync();
        Mail = await SmtpSink.StartAsync();

        var ports = FreePorts(Layout.Length);
        for (var i = 0; i < Layout.Length; i++)
        {
            var (name, projectDirectory, assembly, _) = Layout[i];
            var directory = Path.Combine(RepoRoot, projectDirectory);
            var dll = Path.Combine(directory, "bin", Configuration, "net10.0", assembly + ".dll");
            _processes[name] = new PanelProcess(name, directory, dll, ports[i], EnvironmentFor(i, ports), Path.Combine(LogDirectory, name + ".log"));
        }

        // As run.sh: the services first (at once), then the gateway once they answer.
        await Task.WhenAll(ServiceNames.Backends.Select(n => _processes[n].StartAsync()));
        await _processes[ServiceNames.Gateway].StartAsync();
        await SeedBaselineAsync();
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

    private Dictionary<string, string> EnvironmentFor(int index, int[] ports)
    {
        var (name, _, _, database) = Layout[index];
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ports[index]}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Database__MigrateOnStart"] = "true",
            ["MASSTRANSIT_USAGE_TELEMETRY"] = "false",
            ["DOTNET_NOLOGO"] = "1",
            [$"ConnectionStrings__{database}"] = _databases[name].ConnectionString,
        };
        if (name == ServiceNames.Gateway)
        {
            environment["GatewayToken__PrivateKey"] = TestTokens.PrivateKeyPem;
            for (var i = 0; i < Layout.Length; i++)
            {
                if (Layout[i].Name != ServiceNames.Gateway)
                {
                    environment[$"services__{Layout[i].Name}__http__0"] = $"http://127.0.0.1:{ports[i]}";
                }
            }

            environment["Bootstrap__AdminEmail"] = AdminEmail;
            environment["Bootstrap__AdminPassword"] = AdminPassword;
            // Every browser and API call of the tests comes from 127.0.0.1.
            environment["RateLimits__FormPostsPerTenMinutes"] = "1000";
            environment["RateLimits__OpenAnswersPerTenMinutes"] = "1000";
            environment["RateLimits__PublicApiPerMinute"] = "100000";
        }
        else
        {
            if (name == ServiceNames.Membership)
            {
                var gatewayPort = ports[Array.FindIndex(Layout, l => l.Name == ServiceNames.Gateway)];
                environment["Email__PublicBaseUrl"] = $"http://127.0.0.1:{gatewayPort}";
                environment["Email__Smtp__Host"] = Mail.Host;
                environment["Email__Smtp__Port"] = Mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                environment["Email__Smtp__Security"] = "None";
                // Member support resends a verification email right after the join (Membership's tests cover the interval).
                environment["Email__VerificationResendInterval"] = "00:00:01";
                // The survey journey moves invitation times back a day and waits for the reminder job.
                environment["Invitations__ReminderCheckInterval"] = "00:00:02";
            }

            if (name == ServiceNames.Surveys)
            {
                // The survey journey waits for the clock to open an approved survey and for the mixer to move answers.
                environment["Surveys__ScheduleCheckInterval"] = "00:00:01";
                environment["Surveys__MixerInterval"] = "00:00:01";
            }

            environment[$"ConnectionStrings__{ConnectionNames.EventBus}"] = _bus!.AmqpUri.ToString();
            environment["GatewayToken__PublicKey"] = TestTokens.PublicKeyPem;
        }

        return environment;
    }

    /// <summary>Kills one process (and its children) as a crash would.</summary>
    public Task StopAsync(string name) => Process(name).StopAsync();

    /// <summary>Starts one process again on the same port with the same environment and waits for its health.</summary>
    public Task StartAsync(string name) => Process(name).StartAsync();

    public PanelProcess Process(string name) =>
        _processes.TryGetValue(name, out var process) ? process : throw new ArgumentException($"No process '{name}'.", nameof(name));

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
    public async Task<IBrowserContext> NewContextAsync(bool javaScript = true, int width = 1280, int height = 900)
    {
        var browser = await BrowserAsync();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
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
        foreach (var name in Layout.Select(l => l.Name).Reverse())
        {
            if (_processes.Remove(name, out var process))
            {
                await process.DisposeAsync();
            }
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
    }

    private void KillAll()
    {
        foreach (var process in _processes.Values.ToList())
        {
            try
            {
                process.StopAsync().Wait(TimeSpan.FromSeconds(10));
            }
            catch (AggregateException)
            {
                // Best effort while the test host exits.
            }
        }
    }

    private static int[] FreePorts(int count)
    {
        // Hold every listener until all are chosen, so no port is handed out twice.
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
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
