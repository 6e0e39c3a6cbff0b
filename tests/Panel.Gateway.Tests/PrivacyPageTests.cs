using System.Net;
using Panel.Gateway.Tests.Support;

namespace Panel.Gateway.Tests;

/// <summary>The residents' privacy page says, in their language, what the threat model says: what is kept and where anonymity cannot hold.</summary>
[Collection(GatewayCollection.Name)]
public sealed class PrivacyPageTests(GatewayHost host)
{
    [Theory]
    [InlineData("fi")]
    [InlineData("sv")]
    [InlineData("en")]
    public async Task The_privacy_page_states_the_promise_and_its_limits_in_the_language_asked(string lang)
    {
        var response = await host.NewBrowser().Http.GetAsync($"/privacy?lang={lang}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        foreach (var key in new[] { "privacy.title", "privacy.answers1", "privacy.answers2", "privacy.limits1", "privacy.limits3", "privacy.rights1" })
        {
            Assert.Contains(GatewayHost.Texts.Get(lang, key), html);
        }

        Assert.DoesNotContain("[privacy.", html);
    }

    [Fact]
    public async Task Every_page_links_to_the_privacy_page()
    {
        var html = await host.NewBrowser().Http.GetStringAsync("/join?lang=en");

        Assert.Contains("href=\"/privacy\"", html);
    }
}
