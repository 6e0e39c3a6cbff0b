using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed partial class PanelHealthTests(GatewayHost host)
{
    [Theory]
    [InlineData("/staff/panel")]
    [InlineData("/staff/campaigns")]
    public async Task Anonymous_visitors_are_sent_to_the_staff_sign_in(string path)
    {
        var page = await host.NewBrowser().GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal("/staff/sign-in", page.Location!.AbsolutePath);
        Assert.Contains("ReturnUrl=" + Uri.EscapeDataString(path), page.Location.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_find_the_reports_from_the_start_page_and_the_main_navigation()
    {
        var browser = await host.SignedInAsync();

        var page = await browser.GetAsync("/staff");

        Assert.Equal(2, Regex.Matches(page.Html, "<a href=\"/staff/panel\">").Count);
        Assert.Equal(2, Regex.Matches(page.Html, "<a href=\"/staff/campaigns\">").Count);
        var anonymous = await host.NewBrowser().GetAsync("/");
        Assert.DoesNotContain("/staff/panel", anonymous.Html, StringComparison.Ordinal);
    }
}
