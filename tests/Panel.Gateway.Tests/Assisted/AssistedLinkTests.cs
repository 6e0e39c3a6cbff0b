using System.Net;
using Panel.Gateway.Tests.StaffSurveys;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests.Assisted;

/// <summary>The survey page links to the assisted answers page while the survey is open, for the roles that may use it.</summary>
[Collection(LiveGatewayCollection.Name)]
public sealed class AssistedLinkTests(LiveGatewayHost host)
{
    private async Task<Browser> StaffAsync(string role) => (await host.StaffAsync([role])).Browser;

    [Fact]
    public async Task A_coordinator_finds_the_link_on_an_open_survey_but_not_on_a_draft()
    {
        var open = await host.SurveyInStateAsync("open");
        var draft = await host.SurveyInStateAsync("draft");
        var browser = await StaffAsync(PanelRoles.Coordinator);

        var openPage = await browser.GetAsync($"/staff/surveys/{open}");
        var draftPage = await browser.GetAsync($"/staff/surveys/{draft}");

        Assert.Equal(HttpStatusCode.OK, openPage.Status);
        Assert.Equal($"/staff/surveys/{open}/assisted", openPage.Element("assisted-link").GetValueOrDefault("href"));
        Assert.Contains(GatewayHost.Texts.Get("fi", "assisted.link"), openPage.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, draftPage.Status);
        Assert.False(draftPage.HasElement("assisted-link"));
    }

    [Theory]
    [InlineData(PanelRoles.Communications)]
    [InlineData(PanelRoles.ItAdmin)]
    public async Task Roles_that_cannot_enter_answers_get_no_link(string role)
    {
        var open = await host.SurveyInStateAsync("open");
        var browser = await StaffAsync(role);

        var page = await browser.GetAsync($"/staff/surveys/{open}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.True(page.HasElement("survey-state"));
        Assert.False(page.HasElement("assisted-link"));
    }
}
