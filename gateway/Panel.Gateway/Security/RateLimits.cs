using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Panel.Gateway.Security;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>API requests per minute from one address without a staff session.</summary>
    [Range(1, 1_000_000)]
    public int PublicApiPerMinute { get; set; } = 600;

    /// <summary>Posts of public forms (join, sign-in, sign-in links, email confirmation, setup) per ten minutes from one address.</summary>
    [Range(1, 100_000)]
    public int FormPostsPerTenMinutes { get; set; } = 30;
}

/// <summary>Per-address limits on what anyone can reach without signing in.</summary>
public static class RateLimits
{
    public const string PublicApiPolicy = "public-api";

    /// <summary>Form posts that anyone can make; each is limited per address.</summary>
    private static readonly string[] PublicFormPaths = ["/join", "/staff/sign-in", "/setup", "/sign-in", "/sign-in/link", "/verify"];

    public static IServiceCollection AddPanelRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, ct) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)retry.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = { Status = 429, Title = "Too many requests. Please try again later." },
                });
            };

            o.AddPolicy(PublicApiPolicy, context =>
            {
                // Residents are limited like anyone else: signing in with an email link is open to all.
                if (Sessions.IsStaff(context.User))
                {
                    return RateLimitPartition.GetNoLimiter("staff");
                }

                var limit = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.PublicApiPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(Address(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit,
                    Window = TimeSpan.FromMinutes(1),
                });
            });

            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (!HttpMethods.IsPost(context.Request.Method)
                    || !PublicFormPaths.Any(p => context.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase)))
                {
                    return RateLimitPartition.GetNoLimiter("other");
                }

                var limit = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.FormPostsPerTenMinutes;
                return RateLimitPartition.GetFixedWindowLimiter("form:" + Address(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit,
                    Window = TimeSpan.FromMinutes(10),
                });
            });
        });
        return services;
    }

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
