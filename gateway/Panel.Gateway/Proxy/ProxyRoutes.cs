using Panel.Gateway.Security;
using Panel.ServiceDefaults;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms;

namespace Panel.Gateway.Proxy;

/// <summary>
/// /api/{service}/** goes to that service, whose address comes from services:{service}:http:0
/// (Aspire service discovery names). The caller's cookies and Authorization never pass; the
/// gateway's own token for the caller does.
/// </summary>
public static class ProxyRoutes
{
    public static IServiceCollection AddPanelProxy(this IServiceCollection services, IConfiguration configuration)
    {
        var routes = new List<RouteConfig>();
        var missing = new List<string>();
        var clusters = new List<ClusterConfig>();
        foreach (var name in ServiceNames.Backends)
        {
            var address = configuration[$"services:{name}:http:0"];
            if (string.IsNullOrWhiteSpace(address))
            {
                missing.Add($"services:{name}:http:0");
                continue;
            }

            routes.Add(new RouteConfig
            {
                RouteId = name,
                ClusterId = name,
                Match = new RouteMatch { Path = $"/api/{name}/{{**rest}}" },
                RateLimiterPolicy = RateLimits.PublicApiPolicy,
            });
            clusters.Add(new ClusterConfig
            {
                ClusterId = name,
                Destinations = new Dictionary<string, DestinationConfig> { [name] = new() { Address = address } },
            });
        }

        if (missing.Count > 0)
        {
            // Refused when the gateway starts serving, not while it is built: `--migrate` needs no services.
            services.AddOptions<ProxyAddresses>().Validate(_ => false, $"The services' addresses are not set: {string.Join(", ", missing)}.").ValidateOnStart();
        }

        services.AddReverseProxy()
            .LoadFromMemory(routes, clusters)
            .AddTransforms(context =>
            {
                var service = context.Route.ClusterId!;
                context.AddRequestHeaderRemove("Cookie");
                // A body the service would refuse is refused here: the service answers 413 without
                // reading it and drops the connection, so the upload breaks and the caller got a 502.
                // A status set here stops the request from being proxied.
                context.AddRequestTransform(async transform =>
                {
                    var http = transform.HttpContext;
                    if (http.Request.ContentLength > ServiceApiExtensions.MaxRequestBodyBytes)
                    {
                        http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                        {
                            HttpContext = http,
                            ProblemDetails = { Status = 413, Title = "The request body is too large.", Detail = $"At most {ServiceApiExtensions.MaxRequestBodyBytes} bytes." },
                        });
                    }
                });
                context.AddRequestTransform(transform =>
                {
                    var issuer = transform.HttpContext.RequestServices.GetRequiredService<GatewayTokenIssuer>();
                    transform.ProxyRequest.Headers.Authorization =
                        new("Bearer", issuer.Issue(transform.HttpContext.User, service));
                    return ValueTask.CompletedTask;
                });
            });
        return services;
    }
}

/// <summary>Only a hook for the start-time check of the services' addresses.</summary>
internal sealed class ProxyAddresses;
