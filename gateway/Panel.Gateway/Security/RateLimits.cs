using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Panel.Gateway.Localization;

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

    /// <summary>
    /// Open-link answering per ten minutes from one address: the answer page's posts (/answer/open/…: next, save,
    /// submit) and the answering API (/api/surveys/answering/open/…) together. A resident answering a long survey
    /// posts once a page; a support point or a library shares one address among many, so this is far above one person.
    /// </summary>
    [Range(1, 100_000)]
    public int OpenAnswersPerTenMinutes { get; set; } = 120;
}

/// <summary>Per-address limits on what anyone can reach without signing in.</summary>
public static class RateLimits
{
    public const string PublicApiPolicy = "public-api";

    /// <summary>Form posts that anyone can make; each is limited per address.</summary>
    private static readonly string[] PublicFormPaths = ["/join", "/staff/sign-in", "/setup", "/sign-in", "/sign-in/link", "/verify"];

    /// <summary>The open survey's answer page; its posts count against <see cref="RateLimitOptions.OpenAnswersPerTenMinutes"/>.</summary>
    public const string OpenAnswerPagePrefix = "/answer/open";

    /// <summary>Surveys' open-link answering API as proxied; its calls count with the page's posts.</summary>
    public const string OpenAnswerApiPrefix = "/api/surveys/answering/open";

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

                if (IsOpenAnswerPage(context.HttpContext.Request))
                {
                    // A resident's browser posted the answer page: a page to read, not a JSON document.
                    await WriteOpenAnswerPageAsync(context.HttpContext, ct);
                    return;
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
                if (IsOpenAnswerPage(context.Request) || IsOpenAnswerApi(context.Request))
                {
                    var answers = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.OpenAnswersPerTenMinutes;
                    return RateLimitPartition.GetFixedWindowLimiter("open-answer:" + Address(context), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = answers,
                        Window = TimeSpan.FromMinutes(10),
                    });
                }

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

    /// <summary>A post of the open survey's answer page (its GETs only show the form and are not counted).</summary>
    private static bool IsOpenAnswerPage(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments(OpenAnswerPagePrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Any call of the open-link answering API: form, draft and submit all create or touch answers.</summary>
    private static bool IsOpenAnswerApi(HttpRequest request) =>
        request.Path.StartsWithSegments(OpenAnswerApiPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A plain page in the resident's language saying the answer was not taken and when to try again, with a link back
    /// to the survey (its GET is not limited). The answer page itself cannot render here: the limiter runs before it.
    /// </summary>
    private static async Task WriteOpenAnswerPageAsync(HttpContext context, CancellationToken ct)
    {
        var t = context.RequestServices.GetRequiredService<UiText>();
        var back = context.Request.Path.Value ?? "/";
        string H(string text) => System.Net.WebUtility.HtmlEncode(text);
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="{UiText.CurrentLanguage}">
            <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>{H(t["ratelimit.openAnswer.title"])} – {H(t["site.name"])}</title>
            <link rel="stylesheet" href="/app.css" />
            </head>
            <body>
            <main id="main">
            <h1>{H(t["ratelimit.openAnswer.title"])}</h1>
            <div class="notice error" role="alert"><p>{H(t["ratelimit.openAnswer.body"])}</p></div>
            <p><a href="{H(back)}">{H(t["ratelimit.openAnswer.back"])}</a></p>
            </main>
            </body>
            </html>
            """, ct);
    }
}
