using System.Net;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests.SurveyResults;

/// <summary>
/// What the gateway does on its own, before or around Reporting: who is let in to the results pages, and what its proxy
/// sends Reporting (the staff token, never the session cookie), which only a recording stand-in can show.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class StaffResultsProxyTests(GatewayHost host)
{
    [Fact]
    public async Task Visitors_and_residents_are_sent_to_the_staff_sign_in_or_the_denied_page()
    {
        var survey = Guid.NewGuid();
        var (resident, _) = await host.ResidentSignedInAsync();
        foreach (var (browser, to) in new[] { (host.NewBrowser(), "/staff/sign-in"), (resident, "/staff/denied") })
        {
            foreach (var path in new[] { "/staff/results", $"/staff/results/{survey}", $"/staff/results/{survey}/crosstab", $"/staff/results/{survey}/print", $"/staff/results/{survey}/readers" })
            {
                var page = await browser.GetAsync(path);
                Assert.Equal(HttpStatusCode.Redirect, page.Status);
                Assert.True(page.Location!.PathAndQuery.StartsWith(to, StringComparison.Ordinal) || page.Location.PathAndQuery.StartsWith("/staff/sign-in", StringComparison.Ordinal), $"{path}: {page.Location}");
            }
        }
    }

    [Fact]
    public async Task An_export_goes_through_the_proxy_with_the_staff_token_and_without_the_session_cookie()
    {
        var user = await host.CreateStaffAsync(PanelRoles.Coordinator);
        var browser = await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);
        var path = $"/api/reporting/surveys/{Guid.NewGuid()}/results.csv";

        await browser.Http.GetAsync(path + "?lang=fi");

        var sent = Assert.Single(host.Backend.RequestsTo(path));
        var token = await host.ValidTokenAsync(sent.BearerToken, "panel-" + ServiceNames.Reporting);
        Assert.Contains(token.Claims, c => c.Type == "sub" && c.Value == user.Id);
        Assert.Contains(token.Claims, c => c.Type == "role" && c.Value == PanelRoles.Coordinator);
        Assert.Null(sent.Header("Cookie"));
    }
}
