using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Panel.Contracts;
using Panel.ServiceDefaults;
using Panel.TestSupport;
using static Panel.Reporting.Tests.SurveyResults.SurveyTestData;

namespace Panel.Reporting.Tests.SurveyResults;

/// <summary>Two surveys of different service areas (one published), six answer sets each.</summary>
public sealed class AccessHost : SeededResultsHost
{
    public Guid Elderly { get; } = Guid.NewGuid();
    public Guid Youth { get; } = Guid.NewGuid();
    public Guid Published { get; } = Guid.NewGuid();

    protected override async Task SeedAsync()
    {
        await this.SeedAsync(Elderly, Enumerable.Range(0, 6).Select(_ => Response(Elderly, Profile(), single: "a", text: "salainen mielipide")).ToList(), area: "elderly-care");
        await this.SeedAsync(Youth, Enumerable.Range(0, 6).Select(_ => Response(Youth, Profile(), single: "b")).ToList(), area: "youth");
        await this.SeedAsync(Published, Enumerable.Range(0, 6).Select(_ => Response(Published, Profile(), single: "c", text: "julkinen?")).ToList(), area: "youth");
        await this.PublishAsync(new SurveyClosed(Published, false, DateTimeOffset.UtcNow));
        await this.PublishAsync(new SurveyResultsPublished(Published, 1, "youth", 5,
            new Dictionary<string, string> { ["fi"] = "Julkaistu" }, new Dictionary<string, string> { ["fi"] = "Tarkoitus" },
            new Dictionary<string, string> { ["fi"] = "Käyttö" }, DateTimeOffset.UtcNow));
        await Eventually.UntilAsync(() => this.SurveyStageAsync(Published), s => s == 4, Wait, "publishing");
    }
}

public sealed class SurveyResultsAccessTests(AccessHost host) : IClassFixture<AccessHost>
{
    private string Results(Guid id) => $"/api/reporting/surveys/{id}/results";

    public static TheoryData<string> AllSurveyRoles => new() { PanelRoles.Coordinator, PanelRoles.ItAdmin, PanelRoles.Communications };

    [Theory]
    [MemberData(nameof(AllSurveyRoles))]
    public async Task Coordinators_it_admins_and_communications_see_every_survey(string role)
    {
        var client = host.As(Staff.New(role));
        foreach (var id in new[] { host.Elderly, host.Youth })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Results(id))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/reporting/surveys/{id}/funnel")).StatusCode);
        }

        var list = await client.GetJsonAsync("/api/reporting/surveys");
        Assert.Equal(3, list.GetArrayLength());
    }

    [Fact]
    public async Task A_domain_contact_sees_only_surveys_of_their_areas()
    {
        var client = host.As(Staff.New(PanelRoles.DomainContact, "elderly-care"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Results(host.Elderly))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(Results(host.Youth))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/reporting/surveys/{host.Youth}/crosstab?question=single&by=gender")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/reporting/surveys/{host.Youth}/results.csv")).StatusCode);
        var list = await client.GetJsonAsync("/api/reporting/surveys");
        Assert.Equal([host.Elderly], list.EnumerateArray().Select(s => s.GetProperty("surveyId").GetGuid()));
    }

    [Fact]
    public async Task A_report_reader_sees_only_surveys_a_coordinator_granted_them()
    {
        var reader = Staff.New(PanelRoles.ReportReader);
        var client = host.As(reader);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(Results(host.Youth))).StatusCode);

        var coordinator = host.As(Staff.Coordinator());
        var put = await coordinator.PutAsJsonAsync($"/api/reporting/surveys/{host.Youth}/readers", new { readers = new[] { reader.Id, "someone-else" } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var readers = await coordinator.GetJsonAsync($"/api/reporting/surveys/{host.Youth}/readers");
        Assert.Contains(reader.Id, readers.GetProperty("readers").EnumerateArray().Select(r => r.GetString()));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Results(host.Youth))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(Results(host.Elderly))).StatusCode);
        Assert.Equal([host.Youth], (await client.GetJsonAsync("/api/reporting/surveys")).EnumerateArray().Select(s => s.GetProperty("surveyId").GetGuid()));

        // Replacing the list takes the grant away.
        await coordinator.PutAsJsonAsync($"/api/reporting/surveys/{host.Youth}/readers", new { readers = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(Results(host.Youth))).StatusCode);
    }

    [Theory]
    [InlineData(PanelRoles.SurveyAuthor)]
    [InlineData(PanelRoles.ReportReader)]
    [InlineData(PanelRoles.DomainContact)]
    public async Task Other_staff_are_forbidden_and_see_an_empty_list(string role)
    {
        var client = host.As(Staff.New(role));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(Results(host.Elderly))).StatusCode);
        Assert.Equal(0, (await client.GetJsonAsync("/api/reporting/surveys")).GetArrayLength());
    }

    [Fact]
    public async Task Residents_the_public_and_callers_without_a_token_get_no_staff_results()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client(TestTokens.Resident(ServiceNames.Reporting, Guid.NewGuid())).GetAsync(Results(host.Elderly))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client(TestTokens.Public(ServiceNames.Reporting)).GetAsync(Results(host.Elderly))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client().GetAsync(Results(host.Elderly))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client(TestTokens.Forged(ServiceNames.Reporting)).GetAsync(Results(host.Elderly))).StatusCode);
    }

    [Fact]
    public async Task An_unknown_survey_is_404()
    {
        var client = host.As(Staff.Coordinator());
        foreach (var path in new[] { "results", "funnel", "results.csv", "results.xlsx", "readers", "crosstab?question=single&by=gender" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/reporting/surveys/{Guid.NewGuid()}/{path}")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsJsonAsync($"/api/reporting/surveys/{Guid.NewGuid()}/readers", new { readers = new[] { "x" } })).StatusCode);
    }

    [Fact]
    public async Task Only_a_coordinator_manages_readers()
    {
        foreach (var role in new[] { PanelRoles.ItAdmin, PanelRoles.Communications, PanelRoles.DomainContact, PanelRoles.ReportReader })
        {
            var client = host.As(Staff.New(role, "youth"));
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsJsonAsync($"/api/reporting/surveys/{host.Youth}/readers", new { readers = new[] { "me" } })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/reporting/surveys/{host.Youth}/readers")).StatusCode);
        }
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"readers\":null}")]
    [InlineData("{\"readers\":[\"\"]}")]
    [InlineData("{\"readers\":[\"   \"]}")]
    public async Task Bad_reader_lists_are_400_naming_readers_and_change_nothing(string body)
    {
        var coordinator = host.As(Staff.Coordinator());
        await coordinator.PutAsJsonAsync($"/api/reporting/surveys/{host.Elderly}/readers", new { readers = new[] { "kept" } });
        var response = await coordinator.PutAsync($"/api/reporting/surveys/{host.Elderly}/readers", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("readers", await response.Content.ReadAsStringAsync());
        var readers = await coordinator.GetJsonAsync($"/api/reporting/surveys/{host.Elderly}/readers");
        Assert.Equal(["kept"], readers.GetProperty("readers").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task The_public_sees_only_published_surveys_with_their_purpose_and_key_results_without_free_texts()
    {
        var anyone = host.Client(TestTokens.Public(ServiceNames.Reporting));
        var list = await anyone.GetJsonAsync("/api/reporting/public/surveys");
        var only = Assert.Single(list.EnumerateArray());
        Assert.Equal(host.Published, only.GetProperty("surveyId").GetGuid());
        Assert.Equal("Käyttö", only.GetProperty("resultsUse").GetProperty("fi").GetString());

        var published = await anyone.GetJsonAsync($"/api/reporting/public/surveys/{host.Published}");
        Assert.Equal("Tarkoitus", published.GetProperty("purpose").GetProperty("fi").GetString());
        Assert.Equal(6, published.Audience().Question("single").CountOf("c"));
        Assert.Equal("c (en)", published.Audience().Question("single").GetProperty("labels").GetProperty("options").GetProperty("c").GetProperty("en").GetString());
        Assert.DoesNotContain("julkinen?", published.ToString());

        Assert.Equal(HttpStatusCode.NotFound, (await anyone.GetAsync($"/api/reporting/public/surveys/{host.Elderly}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anyone.GetAsync($"/api/reporting/public/surveys/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anyone.GetAsync("/api/reporting/public/surveys/not-a-guid")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client().GetAsync("/api/reporting/public/surveys")).StatusCode);
    }
}
