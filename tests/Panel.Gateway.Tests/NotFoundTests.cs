using System.Net;
using Panel.Gateway.Tests.Support;

namespace Panel.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class NotFoundTests(GatewayHost host)
{
    [Theory]
    [InlineData("/no-such-page")]
    [InlineData("/staff/no-such-page/deeper")]
    public async Task An_unknown_address_is_the_not_found_page_with_a_404(string path)
    {
        var response = await host.NewBrowser().Http.GetAsync(path + "?lang=en");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True("text/html" == response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
        Assert.Contains(GatewayHost.Texts.Get("en", "notFound.title"), WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Known_pages_still_answer_200()
    {
        var response = await host.NewBrowser().Http.GetAsync("/join");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

[Collection(GatewayCollection.Name)]
public sealed class StaticFileTests(GatewayHost host)
{
    [Fact]
    public async Task The_stylesheet_is_served_not_taken_for_an_unknown_page()
    {
        var response = await host.NewBrowser().Http.GetAsync("/app.css");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(".site-header", await response.Content.ReadAsStringAsync());
    }
}
