using System.Net;
using Panel.Gateway.Tests.Support;

namespace Panel.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class SecurityHeadersTests(GatewayHost host)
{
    private static readonly string[] Services = ["membership", "surveys", "feedback", "reporting"];

    [Theory]
    [InlineData("/", HttpStatusCode.OK)]
    [InlineData("/join", HttpStatusCode.OK)]
    [InlineData("/api/membership/anything", HttpStatusCode.OK)]
    [InlineData("/no-such-page", HttpStatusCode.NotFound)]
    [InlineData("/api/nosuchservice/anything", HttpStatusCode.NotFound)]
    public async Task Pages_api_responses_and_errors_carry_the_security_headers(string path, HttpStatusCode status)
    {
        var response = await host.NewBrowser().Http.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task The_api_reference_alone_gets_the_relaxed_policy_and_names_every_services_document()
    {
        var browser = host.NewBrowser();
        var entry = await browser.GetAsync("/scalar");
        // Scalar moves /scalar to /scalar/ so that its relative asset addresses resolve.
        Assert.Equal(HttpStatusCode.Redirect, entry.Status);
        Assert.Equal("/scalar/", entry.Location!.AbsolutePath);

        var page = await browser.GetAsync(entry.Location.PathAndQuery);
        var script = await browser.Http.GetAsync("/scalar/scalar.js");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        var csp = Assert.Single(page.Response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self' 'unsafe-inline'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", Assert.Single(page.Response.Headers.GetValues("X-Frame-Options")));
        foreach (var service in Services)
        {
            // Relative to the site's root (Scalar's script resolves it against the path before /scalar/).
            Assert.Contains($"\"url\":\"api/{service}/openapi/v1.json\"", page.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_path_that_only_starts_like_the_api_reference_keeps_the_strict_policy()
    {
        var response = await host.NewBrowser().Http.GetAsync("/scalarish");

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
    }
}
