using System.Net;
using Panel.Gateway.Tests.Support;

namespace Panel.Gateway.Tests;

public sealed class FormLimitedGatewayHost : GatewayHost
{
    protected override void Configure(IDictionary<string, string?> settings) =>
        settings["RateLimits:FormPostsPerTenMinutes"] = "3";
}

public sealed class ApiLimitedGatewayHost : GatewayHost
{
    protected override void Configure(IDictionary<string, string?> settings) =>
        settings["RateLimits:PublicApiPerMinute"] = "5";
}

public sealed class FormPostRateLimitTests(FormLimitedGatewayHost host) : IClassFixture<FormLimitedGatewayHost>
{
    [Fact]
    public async Task The_fourth_public_form_post_in_ten_minutes_is_refused_with_429_while_pages_still_load()
    {
        var browser = host.NewBrowser();
        var join = await browser.GetAsync("/join");
        var fields = new Dictionary<string, string>
        {
            ["Form.Email"] = $"limited-{Guid.NewGuid():N}@example.fi",
            ["Form.BirthYear"] = "1980",
            ["Form.Municipality"] = "Tampere",
            ["Form.Language"] = "fi",
            ["Form.Consent"] = "true",
        };

        var allowed = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            allowed.Add((await browser.SubmitAsync(join, "join", fields)).Status);
        }

        var fourth = await browser.SubmitAsync(join, "join", fields);
        var signIn = await browser.SignInAsync(GatewayHost.AdminEmail, GatewayHost.AdminPassword);
        var pages = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            pages.Add((await browser.GetAsync("/join")).Status);
        }

        Assert.All(allowed, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(3, host.Backend.RequestsTo("/api/membership/members").Count);
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.Status);
        Assert.Equal("application/problem+json", fourth.Response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":429", fourth.Html, StringComparison.Ordinal);
        var retryAfter = Assert.Single(fourth.Response.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture), 1, 600);
        Assert.Equal(HttpStatusCode.TooManyRequests, signIn.Status);
        Assert.All(pages, s => Assert.Equal(HttpStatusCode.OK, s));
    }
}

public sealed class PublicApiRateLimitTests(ApiLimitedGatewayHost host) : IClassFixture<ApiLimitedGatewayHost>
{
    [Fact]
    public async Task The_sixth_anonymous_api_call_in_a_minute_is_refused_with_429()
    {
        var client = host.NewBrowser().Http;
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await client.GetAsync("/api/membership/join-options")).StatusCode);
        }

        var sixth = await client.GetAsync("/api/membership/join-options");

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        Assert.Equal("application/problem+json", sixth.Content.Headers.ContentType?.MediaType);
        Assert.True(sixth.Headers.Contains("Retry-After"));
        Assert.Equal(5, host.Backend.RequestsTo("/api/membership/join-options").Count);
    }

    [Fact]
    public async Task A_signed_in_staff_member_is_not_limited()
    {
        var browser = await host.SignedInAsync();
        var path = $"/api/reporting/anything/{Guid.NewGuid():N}";
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            statuses.Add((await browser.Http.GetAsync(path)).StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(12, host.Backend.RequestsTo(path).Count);
    }
}

public sealed class ResidentApiRateLimitTests(ApiLimitedGatewayHost host) : IClassFixture<ApiLimitedGatewayHost>
{
    [Fact]
    public async Task A_signed_in_resident_is_limited_like_an_anonymous_caller()
    {
        var (browser, _) = await host.ResidentSignedInAsync();
        var path = $"/api/membership/anything/{Guid.NewGuid():N}";
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await browser.Http.GetAsync(path)).StatusCode);
        }

        Assert.All(statuses.Take(5), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[5]);
        Assert.Equal(5, host.Backend.RequestsTo(path).Count);
    }
}

public sealed class ResidentFormRateLimitTests(FormLimitedGatewayHost host) : IClassFixture<FormLimitedGatewayHost>
{
    [Fact]
    public async Task Posts_to_resident_sign_in_sign_in_link_and_verify_count_against_the_public_form_limit()
    {
        var browser = host.NewBrowser();
        var statuses = new List<HttpStatusCode>();
        foreach (var path in new[] { "/sign-in", "/sign-in/link", "/verify", "/sign-in" })
        {
            // Each post counts whatever the page makes of it (here: refused for lack of the antiforgery token).
            statuses.Add((await browser.PostAsync(new Uri(browser.Http.BaseAddress!, path), new Dictionary<string, string>())).Status);
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(3));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[3]);
    }
}

public sealed class OpenAnswerLimitedGatewayHost : GatewayHost
{
    protected override void Configure(IDictionary<string, string?> settings) =>
        settings["RateLimits:OpenAnswersPerTenMinutes"] = "3";
}

/// <summary>
/// Open-link answering is limited per address: the answer page's posts and the proxied answering API count together.
/// Requests go through the test server with the caller's address set, as Kestrel sets it from the connection.
/// </summary>
public sealed class OpenAnswerRateLimitTests(OpenAnswerLimitedGatewayHost host) : IClassFixture<OpenAnswerLimitedGatewayHost>
{
    private const string PagePath = "/answer/open/OpenSurvey_1";
    private const string ApiPath = "/api/surveys/answering/open/OpenSurvey_1/form";

    private async Task<(int Status, string? ContentType, string Body, string? RetryAfter)> SendAsync(
        string method, string path, string address, string? query = null)
    {
        var context = await host.Factory.Server.SendAsync(c =>
        {
            c.Connection.RemoteIpAddress = IPAddress.Parse(address);
            c.Request.Method = method;
            c.Request.Path = path;
            if (query is not null)
            {
                c.Request.QueryString = new Microsoft.AspNetCore.Http.QueryString(query);
            }

            if (method == "POST")
            {
                var isApi = path.StartsWith("/api/", StringComparison.Ordinal);
                var body = System.Text.Encoding.UTF8.GetBytes(isApi ? """{"language":"fi"}""" : "action=next&q.uses=yes");
                c.Request.ContentType = isApi ? "application/json" : "application/x-www-form-urlencoded";
                c.Request.Headers.Accept = isApi ? "application/json" : "text/html";
                c.Request.ContentLength = body.Length;
                c.Request.Body = new MemoryStream(body);
            }
        });
        using var reader = new StreamReader(context.Response.Body);
        return (context.Response.StatusCode, context.Response.ContentType, await reader.ReadToEndAsync(),
            context.Response.Headers.RetryAfter.Count > 0 ? context.Response.Headers.RetryAfter.ToString() : null);
    }

    [Fact]
    public async Task The_fourth_open_answer_request_from_one_address_gets_a_page_or_problem_details_and_another_address_is_not_limited()
    {
        const string first = "203.0.113.7";
        const string second = "198.51.100.20";
        var allowed = new List<int>
        {
            (await SendAsync("POST", PagePath, first)).Status,
            (await SendAsync("POST", ApiPath, first)).Status,
            (await SendAsync("POST", PagePath, first)).Status,
        };

        var page = await SendAsync("POST", PagePath, first, "?lang=sv");
        var api = await SendAsync("POST", ApiPath, first);
        var otherPage = await SendAsync("POST", PagePath, second);
        var otherApi = await SendAsync("POST", ApiPath, second);
        var proxied = host.Backend.RequestsTo(ApiPath).Count;
        // The page's GET is not counted (it calls the service itself, not through the proxy).
        var pageStillLoads = await SendAsync("GET", PagePath, first);

        Assert.DoesNotContain(429, allowed);
        Assert.Equal(429, page.Status);
        Assert.StartsWith("text/html", page.ContentType, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"sv\">", page.Body, StringComparison.Ordinal);
        Assert.Contains(GatewayHost.Texts.Get("sv", "ratelimit.openAnswer.title"), WebUtility.HtmlDecode(page.Body), StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{PagePath}\">", page.Body, StringComparison.Ordinal);
        Assert.InRange(int.Parse(page.RetryAfter!, System.Globalization.CultureInfo.InvariantCulture), 1, 600);
        Assert.Equal(429, api.Status);
        Assert.Equal("application/problem+json", api.ContentType);
        Assert.Contains("\"status\":429", api.Body, StringComparison.Ordinal);
        Assert.NotEqual(429, pageStillLoads.Status);
        Assert.NotEqual(429, otherPage.Status);
        Assert.Equal(200, otherApi.Status);
        // One call from each address reached the service; the refused one did not.
        Assert.Equal(2, proxied);
    }
}
