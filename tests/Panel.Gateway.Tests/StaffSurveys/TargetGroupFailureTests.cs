using System.Net;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests.StaffSurveys;

/// <summary>The target group page when Membership fails to count (a 500): the page says so instead of failing.</summary>
[Collection(FailingMatchesCollection.Name)]
public sealed class TargetGroupFailureTests(FailingMatchesGatewayHost host)
{
    [Fact]
    public async Task A_failed_count_says_the_count_is_unavailable()
    {
        var (browser, _) = await host.StaffAsync([PanelRoles.SurveyAuthor]);
        var id = await browser.CreateSurveyAsync();
        var page = await browser.GetAsync($"/staff/surveys/{id}/target-group");

        var failed = await browser.SubmitAsync(page, "target-group", new Dictionary<string, string>
        {
            ["do"] = "count", ["mode"] = "panel", ["afterDays"] = "7", ["maxReminders"] = "1",
        });

        Assert.Equal(HttpStatusCode.OK, failed.Status);
        Assert.Contains(GatewayHost.Texts.Get("fi", "surveys.matchesUnavailable"), failed.Text, StringComparison.Ordinal);
    }
}
