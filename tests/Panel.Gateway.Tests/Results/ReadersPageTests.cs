using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests.SurveyResults;

[Collection(LiveGatewayCollection.Name)]
public sealed class ReadersPageTests(LiveGatewayHost host)
{
    private Task<Guid> SurveyAsync() => host.SeedSurveyAsync(ResultsData.FamilyServices(), ResultsData.HomeCareAnswers(), published: true);

    /// <summary>Who Reporting says may read the survey's results, read through the gateway's proxy as the coordinator.</summary>
    private static async Task<List<string>> ReadersAsync(Browser coordinator, Guid survey) =>
        [.. (await coordinator.Http.GetFromJsonAsync<JsonObject>($"/api/reporting/surveys/{survey}/readers"))!["readers"]!.AsArray().Select(r => r!.ToString())];

    private static string Fi(string key) => GatewayHost.Texts.Get("fi", key);

    private static async Task<Page> PostReadersAsync(Browser browser, Page page, params string[] readers)
    {
        var form = page.Form("readers");
        var values = form.Hidden.Select(h => KeyValuePair.Create(h.Key, h.Value)).Concat(readers.Select(r => KeyValuePair.Create("reader", r)));
        using var content = new FormUrlEncodedContent(values);
        var response = await browser.Http.PostAsync(page.Url, content);
        return new Page(page.Url, response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_coordinator_grants_a_report_reader_the_results_and_the_reader_then_sees_the_survey()
    {
        var (reader, readerId, readerEmail) = await host.StaffAsync([PanelRoles.ReportReader]);
        var (other, otherId, _) = await host.StaffAsync([PanelRoles.ReportReader]);
        var (coordinator, _, _) = await host.StaffAsync([PanelRoles.Coordinator]);
        var survey = await SurveyAsync();
        var published = survey.ToString();
        (await coordinator.Http.PutAsJsonAsync($"/api/reporting/surveys/{survey}/readers", new { readers = new[] { otherId } })).EnsureSuccessStatusCode();
        Assert.DoesNotContain($"/staff/results/{published}\"", (await reader.GetAsync("/staff/results")).Html, StringComparison.Ordinal);

        var page = await coordinator.GetAsync($"/staff/results/{published}/readers");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(readerEmail, page.Text, StringComparison.Ordinal);
        Assert.Contains($"value=\"{otherId}\" checked", page.Html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{readerId}\"", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain($"value=\"{readerId}\" checked", page.Html, StringComparison.Ordinal);

        var saved = await PostReadersAsync(coordinator, page, readerId);

        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.Equal($"/staff/results/{published}/readers?saved=1", saved.Location!.PathAndQuery);
        Assert.Equal([readerId], await ReadersAsync(coordinator, survey));
        var after = await coordinator.GetAsync(saved.Location.PathAndQuery);
        Assert.Contains($"value=\"{readerId}\" checked", after.Html, StringComparison.Ordinal);
        Assert.DoesNotContain($"value=\"{otherId}\" checked", after.Html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/staff/results/{published}\"", (await reader.GetAsync("/staff/results")).Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/staff/results/{published}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"/staff/results/{published}")).Status);

        var none = await PostReadersAsync(coordinator, after);
        Assert.Equal(HttpStatusCode.Redirect, none.Status);
        Assert.Empty(await ReadersAsync(coordinator, survey));
    }

    [Fact]
    public async Task The_coordinator_sees_the_link_to_the_readers_page_and_others_do_not()
    {
        var (coordinator, _, _) = await host.StaffAsync([PanelRoles.Coordinator]);
        var (communications, _, _) = await host.StaffAsync([PanelRoles.Communications]);
        var published = (await SurveyAsync()).ToString();

        Assert.Contains($"href=\"/staff/results/{published}/readers\"", (await coordinator.GetAsync($"/staff/results/{published}")).Html, StringComparison.Ordinal);
        Assert.DoesNotContain($"href=\"/staff/results/{published}/readers\"", (await communications.GetAsync($"/staff/results/{published}")).Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PanelRoles.ReportReader)]
    [InlineData(PanelRoles.Communications)]
    [InlineData(PanelRoles.ItAdmin)]
    [InlineData(PanelRoles.DomainContact)]
    public async Task Only_a_coordinator_opens_the_readers_page(string role)
    {
        var (browser, _, _) = await host.StaffAsync([role]);

        var page = await browser.GetAsync($"/staff/results/{Guid.NewGuid()}/readers");

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.StartsWith("/staff/denied", page.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_readers_page_of_an_unknown_survey_is_a_404_with_a_message()
    {
        var (coordinator, _, _) = await host.StaffAsync([PanelRoles.Coordinator]);

        var page = await coordinator.GetAsync($"/staff/results/{Guid.NewGuid()}/readers");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Contains(Fi("notFound.body"), page.Text, StringComparison.Ordinal);
        Assert.False(page.HasForm("readers"));
    }
}
