using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests.StaffSurveys;

[Collection(LiveGatewayCollection.Name)]
public sealed class LiveSmokeTests(LiveGatewayHost host)
{
    [Fact]
    public async Task Creating_a_blank_survey_stores_it_in_surveys()
    {
        var user = await host.CreateStaffAsync(PanelRoles.SurveyAuthor);
        var browser = await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);
        var page = await browser.GetAsync("/staff/surveys");
        Assert.Equal(HttpStatusCode.OK, page.Status);

        var created = await browser.SubmitAsync(page, "new-survey", new Dictionary<string, string>
        {
            ["title"] = "Kotihoidon kysely", ["serviceArea"] = "elderly-services", ["kind"] = "questionnaire", ["languages"] = "fi",
        });

        Assert.Equal(HttpStatusCode.Redirect, created.Status);
        var id = created.Location!.AbsolutePath.Split('/')[^1];
        var survey = await browser.Http.GetFromJsonAsync<JsonObject>($"/api/surveys/{id}");
        Assert.Equal("Kotihoidon kysely", survey!["title"]!["fi"]!.ToString());
    }
}
