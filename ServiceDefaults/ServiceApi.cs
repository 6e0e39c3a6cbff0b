using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.Hosting;

/// <summary>The OpenAPI document of a backend service, served under its own gateway prefix.</summary>
public static class ServiceApiExtensions
{
    /// <summary>Largest JSON body a service accepts; anything bigger is refused before it is read.</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static string OpenApiPath(string serviceName) => $"/api/{serviceName}/openapi/v1.json";

    /// <summary>
    /// True while the build writes the OpenAPI document (Microsoft.Extensions.ApiDescription.Server runs the program up
    /// to Build() in its GetDocument.Insider process, without configuration and without starting it).
    /// </summary>
    public static bool GeneratingDocument { get; } = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name == "GetDocument.Insider";

    /// <summary>
    /// Builds the service. In the build's run that writes the OpenAPI document the background work (jobs, relays, the
    /// email sender) is left out: it would need settings that run does not have, and the document does not need it.
    /// </summary>
    public static WebApplication BuildService(this WebApplicationBuilder builder)
    {
        if (GeneratingDocument)
        {
            // Data protection's key ring loader too: it would read keys from a database that run does not have.
            foreach (var background in builder.Services.Where(d => d.ServiceType == typeof(IHostedService)
                && (d.ImplementationType?.Namespace?.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) != true
                    || d.ImplementationType.Namespace.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal))).ToList())
            {
                builder.Services.Remove(background);
            }
        }

        return builder.Build();
    }

    /// <summary>A connection string from configuration; missing, the process stops at start, except while the build writes the document.</summary>
    public static string RequiredConnectionString(this IConfiguration configuration, string name) =>
        configuration.GetConnectionString(name)
        ?? (GeneratingDocument ? $"Host=localhost;Database={name}" : throw new InvalidOperationException($"ConnectionStrings:{name} is not set."));

    public static TBuilder AddServiceOpenApi<TBuilder>(this TBuilder builder, string serviceName) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = $"Panel {serviceName} API";
            doc.Info.Description = $"Reached through the gateway under /api/{serviceName}/. Every call carries the gateway's token.";
            return Task.CompletedTask;
        }));
        // Binding failures throw, so the exception handler can answer with problem details naming the field.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o =>
            o.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.AddTransient<IStartupFilter, DeclaredBodyLimit>();
        builder.Services.AddTransient<IStartupFilter, RequestTextGuardFilter>();
        builder.Services.AddTransient<IStartupFilter, NoStoreByDefault>();
        builder.Services.AddSingleton<Panel.ServiceDefaults.TransientFailureRetry.Enabled>();
        return builder;
    }

    public static WebApplication MapServiceOpenApi(this WebApplication app, string serviceName)
    {
        app.MapOpenApi(OpenApiPath(serviceName).Replace("v1", "{documentName}", StringComparison.Ordinal));
        return app;
    }

    /// <summary>The JSON path of a body that could not be read ("$.birthYear" → "birthYear").</summary>
    internal static string? JsonField(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is JsonException { Path: { Length: > 2 } path })
            {
                return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
            }
        }

        return null;
    }
}

/// <summary>
/// Refuses a body whose declared length is over the limit before anything reads it, with
/// problem details (Kestrel's own limit also stops chunked bodies, without a body of its own).
/// </summary>
internal sealed class DeclaredBodyLimit : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (context.Request.ContentLength > ServiceApiExtensions.MaxRequestBodyBytes)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = { Status = 413, Title = "The request body is too large.", Detail = $"At most {ServiceApiExtensions.MaxRequestBodyBytes} bytes." },
                });
                return;
            }

            await nextMiddleware(context);
        });
        next(app);
    };
}

/// <summary>
/// Every answer of a service says <c>Cache-Control: no-store</c> unless its endpoint chose otherwise: what a service
/// answers is a person's own data, a staff view or a count of the moment, and no browser or proxy cache may keep it.
/// </summary>
internal sealed class NoStoreByDefault : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            context.Response.OnStarting(() =>
            {
                if (!context.Response.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.CacheControl))
                {
                    context.Response.Headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            });
            await nextMiddleware(context);
        });
        next(app);
    };
}
