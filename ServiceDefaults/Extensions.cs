using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Panel.ServiceDefaults;

namespace Microsoft.Extensions.Hosting;

/// <summary>What every Panel process has: telemetry, health, resilience, discovery, problem details.</summary>
public static class ServiceDefaultsExtensions
{
    public const string HealthPath = "/health";
    public const string AlivePath = "/alive";
    public const string ReadyTag = "ready";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (ServiceApiExtensions.GeneratingDocument)
        {
            // The build runs the program without its settings to write the OpenAPI document: the options checked at
            // start (keys, addresses, lists) are not there and need not be. (ValidateOnStart adds its own only if none is.)
            builder.Services.AddSingleton<IStartupValidator, NoStartupValidation>();
        }

        builder.ConfigureOpenTelemetry();
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // A POST that timed out may have been applied: retrying it could join or erase twice.
            http.AddStandardResilienceHandler(o => o.Retry.DisableForUnsafeHttpMethods());
            http.AddServiceDiscovery();
        });
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Extensions["traceId"] = Activity.Current?.Id ?? ctx.HttpContext.TraceIdentifier;
        });
        builder.Services.AddExceptionHandler<LoggingExceptionHandler>();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("MassTransit", "Npgsql", "Panel.*"))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName, "MassTransit", UntracedPolling.NpgsqlSource, "Panel.*")
                .AddProcessor(new UntracedPolling())
                .AddAspNetCoreInstrumentation(o =>
                {
                    // Health probes would drown the traces that matter.
                    o.Filter = ctx => !ctx.Request.Path.StartsWithSegments(HealthPath) && !ctx.Request.Path.StartsWithSegments(AlivePath);
                    // Blazor's component activities (route, form event) start traces of their own, linked rather than
                    // parented: a form post's calls to the services would leave the post's trace. Without them they stay in it.
                    o.EnableRazorComponentsSupport = false;
                })
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Validates the gateway's signed token on every request and adds Panel's role policies.</summary>
    public static TBuilder AddGatewayTokenAuthentication<TBuilder>(this TBuilder builder, string serviceName)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<GatewayTokenOptions>()
            .BindConfiguration(GatewayTokenOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => !string.IsNullOrWhiteSpace(o.PublicKey), "GatewayToken:PublicKey (PEM) is required.")
            .ValidateOnStart();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<GatewayTokenOptions>>((jwt, gateway) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = GatewayTokenOptions.Issuer,
                    ValidAudience = GatewayTokenOptions.AudienceFor(serviceName),
                    IssuerSigningKey = LoadPublicKey(gateway.Value.PublicKey),
                    ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
                    ClockSkew = TimeSpan.FromSeconds(10),
                    RoleClaimType = PanelClaims.Role,
                    NameClaimType = PanelClaims.Subject,
                };
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PanelPolicies.Gateway, p => p.RequireAuthenticatedUser())
            .AddPolicy(PanelPolicies.Staff, p => p.RequireClaim(PanelClaims.ActorKind, PanelClaims.ActorStaff))
            .AddPolicy(PanelPolicies.Resident, p => p.RequireClaim(PanelClaims.ActorKind, PanelClaims.ActorResident).RequireClaim(PanelClaims.Subject))
            .AddPolicy(PanelPolicies.Coordinator, p => p.RequireRole(PanelRoles.Coordinator))
            .AddPolicy(PanelPolicies.ItAdmin, p => p.RequireRole(PanelRoles.ItAdmin))
            .AddPolicy(PanelPolicies.PanelHealth, p => p.RequireRole(PanelRoles.Coordinator, PanelRoles.ItAdmin))
            // Nothing in a service is reachable without the gateway's token, not even by mistake.
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser().Build());
        return builder;
    }

    private static ECDsaSecurityKey? LoadPublicKey(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
        {
            return null;
        }

        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(pem);
        return new ECDsaSecurityKey(ecdsa);
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (app.Services.GetService<TransientFailureRetry.Enabled>() is not null)
        {
            // Inside the exception handler: what the tries cannot mend is answered 503 there.
            app.UseMiddleware<TransientFailureRetry>();
        }

        // Ready: every check (database, broker). Alive: the process answers.
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync })
            .AllowAnonymous().DisableHttpMetrics();
        app.MapHealthChecks(AlivePath, new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") })
            .AllowAnonymous().DisableHttpMetrics();
        return app;
    }
}

/// <summary>Logs an unexpected exception once and answers with problem details carrying the trace id.</summary>
internal sealed partial class LoggingExceptionHandler(ILogger<LoggingExceptionHandler> logger, IProblemDetailsService problems)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is BadHttpRequestException bad)
        {
            httpContext.Response.StatusCode = bad.StatusCode;
            var problem = ServiceApiExtensions.JsonField(bad) is { } field
                ? new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = ["The value is not of the expected type."] })
                : new Microsoft.AspNetCore.Mvc.ProblemDetails();
            problem.Status = bad.StatusCode;
            problem.Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? "The request body is too large."
                : "The request was not valid.";
            problem.Detail = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? null : "The body could not be read as the expected JSON.";
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem });
        }

        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true;
        }

        if (TransientFailures.IsTransient(exception))
        {
            // The database or the broker is away for a moment (a restart, a full pool): not the request's fault nor a bug.
            LogTransient(logger, exception, exception.GetType().Name, httpContext.Request.Method, httpContext.Request.Path);
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                ProblemDetails = TransientFailures.Unavailable(httpContext),
            });
        }

        LogUnhandled(logger, exception, exception.GetType().Name, httpContext.Request.Method, httpContext.Request.Path);
        httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = 500, Title = "An unexpected error occurred." },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transient {ExceptionType} on {Method} {Path}; answered 503")]
    private static partial void LogTransient(ILogger logger, Exception exception, string exceptionType, string method, string path);

    // The template names only the type and route; request values never reach it.
    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled {ExceptionType} on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string exceptionType, string method, string path);
}

/// <summary>Checks nothing at start: for the build's run of the program that writes the OpenAPI document.</summary>
internal sealed class NoStartupValidation : IStartupValidator
{
    public void Validate()
    {
    }
}
