using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.EntityFrameworkCore;
using Panel.Gateway.Backends;
using Panel.Gateway.Components;
using Panel.Gateway.Data;
using Panel.Gateway.Localization;
using Panel.Gateway.Proxy;
using Panel.Gateway.Residents;
using Panel.Gateway.Security;
using Panel.Gateway.Accounts;
using Panel.ServiceDefaults;
using Scalar.AspNetCore;

namespace Panel.Gateway;

public static class GatewayExtensions
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var connection = builder.Configuration.RequiredConnectionString(ConnectionNames.GatewayDb);
        services.AddDbContext<GatewayDbContext>(o => o.UseNpgsql(connection).UseSnakeCaseNamingConvention());
        builder.EnrichPanelDbContext<GatewayDbContext>();

        // Replicas must read each other's cookies; the keys live in gatewaydb, not on a pod's disk.
        services.AddDataProtection().PersistKeysToDbContext<GatewayDbContext>().SetApplicationName("Panel.Gateway");

        services.AddOptions<GatewayTokenOptions>()
            .BindConfiguration(GatewayTokenOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => !string.IsNullOrWhiteSpace(o.PrivateKey), "GatewayToken:PrivateKey (PEM) is required.")
            .ValidateOnStart();
        services.AddSingleton<GatewayTokenIssuer>();
        services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.Section);
        services.AddSingleton<SetupToken>();

        services.AddIdentity<StaffUser, IdentityRole>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 12;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddEntityFrameworkStores<GatewayDbContext>()
            .AddDefaultTokenProviders();
        services.AddScoped<StaffSignIn>();
        services.AddSingleton<DummyPasswordHash>();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/staff/sign-in";
            o.AccessDeniedPath = "/staff/denied";
            o.Cookie.Name = "panel.staff";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // The session record ends the session (idle, absolute, signed out, stamp renewed); the ticket's
            // own expiry is only a backstop, set later so that the record's check is the one that runs.
            o.SlidingExpiration = false;
            // API callers get a status, not a redirect to a sign-in page.
            o.Events.OnRedirectToLogin = ctx => RedirectOrStatus(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => RedirectOrStatus(ctx, StatusCodes.Status403Forbidden);
            // Replaces Identity's SecurityStampValidator: the session check compares the stamp on every request.
            SessionStore.Configure(o, SessionKind.Staff);
        });
        services.AddOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<Microsoft.Extensions.Options.IOptions<SessionTimeoutOptions>>((o, timeouts) =>
                o.ExpireTimeSpan = timeouts.Value.StaffAbsoluteTimeout + TimeSpan.FromHours(1));
        services.AddOptions<SessionTimeoutOptions>()
            .BindConfiguration(SessionTimeoutOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.StaffAbsoluteTimeout >= o.StaffIdleTimeout, "Sessions:StaffAbsoluteTimeout must not be shorter than Sessions:StaffIdleTimeout.")
            .ValidateOnStart();
        services.AddScoped<SessionStore>();
        services.AddSingleton<SessionCleanup>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionCleanup>());
        services.AddPanelSessions();
        services.AddCascadingAuthenticationState();

        services.AddLocalization();
        services.AddSingleton<UiText>();
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.SetDefaultCulture(UiText.DefaultLanguage).AddSupportedCultures([.. UiText.Languages]).AddSupportedUICultures([.. UiText.Languages]);
            o.RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider { QueryStringKey = "lang", UIQueryStringKey = "lang" },
                new CookieRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });

        services.AddRazorComponents();
        services.AddHttpContextAccessor();
        services.AddAntiforgery(o => o.Cookie.Name = "panel.af");
        services.AddPanelRateLimits();
        services.AddPanelProxy(builder.Configuration);
        // The typed clients generated from the services' OpenAPI documents (ServiceClients.targets).
        GatewayTokenHandler.AddClient<Backends.Membership.IMembershipClient, Backends.Membership.MembershipClient>(services, ServiceNames.Membership);
        GatewayTokenHandler.AddClient<Backends.Surveys.ISurveysClient, Backends.Surveys.SurveysClient>(services, ServiceNames.Surveys);
        GatewayTokenHandler.AddClient<Backends.Reporting.IReportingClient, Backends.Reporting.ReportingClient>(services, ServiceNames.Reporting);
        Answering.AnsweringCalls.Register(services);
        services.AddSingleton(ServiceAreas.From(builder.Configuration));
        services.AddScoped<StaffAccounts>();
        return builder;
    }

    internal static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api"))
        {
            ctx.Response.StatusCode = status;
        }
        else
        {
            ctx.Response.Redirect(ctx.RedirectUri);
        }

        return Task.CompletedTask;
    }

    /// <summary>Applies the gateway's migrations as the services do, then bootstraps staff accounts.</summary>
    public static async Task<bool> MigrateGatewayAsync(this WebApplication app, string[] args)
    {
        if (await app.MigrateAsync<GatewayDbContext>(args))
        {
            return true;
        }

        var url = app.Configuration["Gateway:PublicUrl"] ?? app.Configuration["ASPNETCORE_URLS"]?.Split(';')[0] ?? "http://localhost:8080";
        await StaffBootstrap.RunAsync(app.Services, url);
        return false;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseSecurityHeaders();
        // NUL, half surrogate pairs and other character sets than UTF-8 go no further (the services check again).
        app.UseRequestTextGuard();
        app.UseRequestLocalization();
        app.UseStaticFiles();
        // Routing after static files: the catch-all not-found page must not claim /app.css.
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();

        app.MapReverseProxy(proxy =>
        {
            proxy.Use(ProxyBodyLimit.InvokeAsync);
            // What MapReverseProxy() runs without a pipeline of its own.
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        app.MapScalarApiReference("/scalar", o =>
        {
            o.WithTitle("Panel API");
            foreach (var name in ServiceNames.Backends)
            {
                o.AddDocument(name, $"Panel {name} API", ServiceApiExtensions.OpenApiPath(name), isDefault: name == ServiceNames.Membership);
            }
        });

        app.MapGet("/language/{code}", (string code, string? returnUrl, HttpContext context) =>
        {
            if (UiText.Languages.Contains(code))
            {
                context.Response.Cookies.Append(
                    CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(code)),
                    new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
            }

            return Results.LocalRedirect(LocalUrl.OrHome(returnUrl));
        }).WithName("SetLanguage").ExcludeFromDescription();

        // Taking the form makes the endpoint check the antiforgery token; signing out deletes the session's record.
        app.MapPost("/staff/sign-out", async (IFormCollection form, SignInManager<StaffUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/");
        }).RequireAuthorization().ExcludeFromDescription();
        app.MapSessionEndpoints();
        app.MapResidentEndpoints();

        app.MapRazorComponents<App>();
        return app;
    }
}
