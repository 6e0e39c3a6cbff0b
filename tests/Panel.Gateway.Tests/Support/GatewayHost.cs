using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Panel.Gateway.Localization;
using Panel.Gateway.Accounts;
using Panel.TestSupport;

namespace Panel.Gateway.Tests.Support;

/// <summary>
/// The gateway in process on its own PostgreSQL database, with every service address pointing at
/// one <see cref="EchoBackend"/>. The configured first administrator exists; the rate limits are
/// out of the way unless a subclass sets them.
/// </summary>
public class GatewayHost : IAsyncLifetime
{
    public const string AdminEmail = "admin@panel.test";
    public const string AdminPassword = "Kolme-Karhua-42-Metsässä";
    public const string StaffPassword = "Staff-Member-Passw0rd!";

    public static readonly UiText Texts = new();

    private WebApplicationFactory<Program>? _factory;

    public TestDatabase Database { get; private set; } = default!;

    /// <summary>
    /// This gateway's own token key pair. Not TestTokens' shared pair: IdentityModel caches signing
    /// providers process-wide by key thumbprint, so when one of several gateways in this process
    /// stopped (disposing its GatewayTokenIssuer's ECDsa), the others signing with the same key would
    /// get the cached provider over the disposed key and fail with ObjectDisposedException.
    /// </summary>
    public string PublicKeyPem { get; }

    private readonly string _privateKeyPem;

    public GatewayHost()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _privateKeyPem = key.ExportPkcs8PrivateKeyPem();
        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
    }
    public EchoBackend Backend { get; private set; } = default!;
    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Not started.");
    public IServiceProvider Services => Factory.Services;

    /// <summary>Serve on a real Kestrel socket instead of the in-memory test server (see <see cref="KestrelHosting"/>).</summary>
    protected virtual bool OnKestrel => false;

    /// <summary>The gateway's settings, read when it starts: <see cref="StartingAsync"/> may still change them.</summary>
    protected IDictionary<string, string?> Settings { get; private set; } = new Dictionary<string, string?>();

    /// <summary>Settings on top of the defaults.</summary>
    protected virtual void Configure(IDictionary<string, string?> settings)
    {
    }

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("gateway");
        Backend = await EchoBackend.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ConnectionNames.GatewayDb}"] = Database.ConnectionString,
            ["Database:MigrateOnStart"] = "true",
            ["GatewayToken:PrivateKey"] = _privateKeyPem,
            ["Bootstrap:AdminEmail"] = AdminEmail,
            ["Bootstrap:AdminPassword"] = AdminPassword,
            ["RateLimits:PublicApiPerMinute"] = "100000",
            ["RateLimits:FormPostsPerTenMinutes"] = "100000",
            ["RateLimits:OpenAnswersPerTenMinutes"] = "100000",
        };
        foreach (var name in ServiceNames.Backends)
        {
            settings[$"services:{name}:http:0"] = Backend.Address.GetLeftPart(UriPartial.Authority);
        }

        Settings = settings;
        Configure(settings);
        await StartingAsync();
        _factory = new ConfiguredFactory(settings, ConfigureServices);
        KestrelHosting.Start(_factory, OnKestrel); // start now: migrations and bootstrap
        await StartedAsync();
    }

    /// <summary>Runs before the gateway starts: a subclass starts what the gateway calls.</summary>
    protected virtual Task StartingAsync() => Task.CompletedTask;

    /// <summary>Services on top of the gateway's own (where its service clients send their requests, …).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Runs once the gateway has started, before any test.</summary>
    protected virtual Task StartedAsync() => Task.CompletedTask;

    public Browser NewBrowser() =>
        new(Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = Factory.ClientOptions.BaseAddress }));

    /// <summary>A browser that sends this cookie and keeps none it is given: a copy of another browser's session.</summary>
    public Browser CopiedCookieBrowser(string name, string value)
    {
        var http = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        http.DefaultRequestHeaders.Add("Cookie", $"{name}={value}");
        return new Browser(http);
    }

    /// <summary>A browser holding a staff session (the administrator unless another account is given).</summary>
    public async Task<Browser> SignedInAsync(string email = AdminEmail, string password = AdminPassword)
    {
        var browser = NewBrowser();
        var page = await browser.SignInAsync(email, password);
        Assert.True(page.Status == HttpStatusCode.Redirect && page.SetsCookie("panel.staff"),
            $"Sign-in as {email} failed: {(int)page.Status}\n{page.Html}");
        return browser;
    }

    /// <summary>
    /// Signs <paramref name="browser"/> (a new one unless given) in as a resident with an email link, as
    /// the sign-in link page does it; the PanelistId is the one the echo's POST /sessions answered.
    /// </summary>
    public async Task<(Browser Browser, Guid PanelistId)> ResidentSignedInAsync(Browser? browser = null)
    {
        browser ??= NewBrowser();
        var token = $"link-{Guid.NewGuid():N}";
        var page = await browser.GetAsync("/sign-in/link?token=" + token);
        var signedIn = await browser.SubmitAsync(page, "sign-in-link", new Dictionary<string, string>());
        Assert.True(signedIn.Status == HttpStatusCode.Redirect && signedIn.SetsCookie("panel.resident"),
            $"Resident sign-in failed: {(int)signedIn.Status}\n{signedIn.Html}");
        return (browser, EchoBackend.PanelistIdFor(token));
    }

    /// <summary>A new staff account with the given roles (none: a staff member without any).</summary>
    public async Task<StaffUser> CreateStaffAsync(params string[] roles)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var email = $"staff-{Guid.NewGuid():N}@panel.test";
        var user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, LockoutEnabled = true };
        Check(await users.CreateAsync(user, StaffPassword));
        if (roles.Length > 0)
        {
            Check(await users.AddToRolesAsync(user, roles));
        }

        return user;
    }

    /// <summary>Validates a token this gateway attached, as the service of <paramref name="audience"/> would.</summary>
    public Task<Microsoft.IdentityModel.JsonWebTokens.JsonWebToken> ValidTokenAsync(string? token, string audience) =>
        GatewayTokens.ValidateAsync(token, audience, PublicKeyPem);

    public Task<Microsoft.IdentityModel.Tokens.TokenValidationResult> CheckTokenAsync(string? token, string audience) =>
        GatewayTokens.CheckAsync(token, audience, PublicKeyPem);

    public async Task<T> WithUsersAsync<T>(Func<UserManager<StaffUser>, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>());
    }

    private static void Check(IdentityResult result) =>
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));

    public virtual async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (Backend is not null)
        {
            await Backend.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }

    private sealed class ConfiguredFactory(IDictionary<string, string?> settings, Action<IServiceCollection> services) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(services);
        }
    }
}

/// <summary>The gateway most tests share: one database, one backend, one administrator.</summary>
[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayHost>
{
    public const string Name = "gateway";
}
