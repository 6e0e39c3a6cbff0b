using System.Text.Json;
using Panel.Contracts;
using Panel.TestSupport;
using static Panel.Reporting.Tests.SurveyResults.SurveyTestData;

namespace Panel.Reporting.Tests.SurveyResults;

/// <summary>
/// k = 5. A survey whose answers arrive in two releases, as Surveys' mixer sends them: 20 answer sets (Akaa 10, Urjala
/// 10), then 6 more, one of them from Akaa. Between the two, Akaa's filtered results would grow by one person, whose
/// answers the difference would show, though the release added 6 in all.
/// </summary>
public sealed class BreakdownsOverTimeHost : SeededResultsHost
{
    public Guid SurveyId { get; } = Guid.NewGuid();

    public static IReadOnlyList<ResponseSubmitted> First(Guid survey) =>
    [
        .. Enumerable.Range(0, 10).Select(i => Response(survey, Profile("Akaa"), single: i < 6 ? "a" : "b", nps: 9)),
        .. Enumerable.Range(0, 10).Select(i => Response(survey, Profile("Urjala"), single: i < 5 ? "a" : "c", nps: 7)),
    ];

    public static IReadOnlyList<ResponseSubmitted> Second(Guid survey) =>
    [
        Response(survey, Profile("Akaa"), single: "a", nps: 2),
        .. Enumerable.Range(0, 5).Select(_ => Response(survey, Profile("Urjala"), single: "c", nps: 8)),
    ];

    protected override Task SeedAsync() => this.SeedAsync(SurveyId, First(SurveyId), final: false);
}

public sealed class BreakdownsOverTimeTests(BreakdownsOverTimeHost host) : IClassFixture<BreakdownsOverTimeHost>
{
    private HttpClient Coordinator => host.As(Staff.Coordinator());

    private Task<JsonElement> ResultsAsync(string query = "") => Coordinator.GetJsonAsync($"/api/reporting/surveys/{host.SurveyId}/results{query}");

    private Task<JsonElement> CrosstabAsync() =>
        Coordinator.GetJsonAsync($"/api/reporting/surveys/{host.SurveyId}/crosstab?question=single&by=municipality");

    [Fact]
    public async Task Breakdowns_stay_hidden_until_every_answer_is_in_and_then_show_one_final_snapshot()
    {
        // While answers still arrive: the overall results show, a filter and a cross-tab are all hidden.
        var overall = await ResultsAsync();
        Assert.Equal(20, overall.Audience().Long("respondents"));
        Assert.False(overall.GetProperty("breakdownsFinal").GetBoolean());
        var urjala = await ResultsAsync("?municipality=Urjala");
        Assert.False(urjala.GetProperty("breakdownsFinal").GetBoolean());
        Assert.True(urjala.Audience().GetProperty("suppressed").GetBoolean());
        Assert.Null(urjala.Audience().Long("respondents"));
        var crosstab = await CrosstabAsync();
        Assert.False(crosstab.GetProperty("breakdownsFinal").GetBoolean());
        var rows = crosstab.GetProperty("audiences").EnumerateArray().Single().GetProperty("rows").EnumerateArray().ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.True(r.GetProperty("suppressed").GetBoolean()));

        // The closing release arrives, then the word that all answers are in: still hidden until Reporting has them all.
        await host.FinalAsync(host.SurveyId, 26);
        Assert.True((await ResultsAsync("?municipality=Urjala")).Audience().GetProperty("suppressed").GetBoolean());
        foreach (var chunk in BreakdownsOverTimeHost.Second(host.SurveyId).Chunk(3))
        {
            await host.PublishAsync(new ResponsesSubmitted(host.SurveyId, chunk));
        }

        await Eventually.UntilAsync(() => host.AnswerSetsAsync(host.SurveyId), n => n == 26, Wait, "26 answer sets");

        // Now the breakdowns show, once, with every answer: Urjala 15, of whom 10 chose c. (Akaa, 11, is hidden beside
        // the empty "unknown" group, see SurveyResultsStatisticsTests.)
        var urjalaOnly = await ResultsAsync("?municipality=Urjala");
        Assert.True(urjalaOnly.GetProperty("breakdownsFinal").GetBoolean());
        Assert.Equal(15, urjalaOnly.Audience().Long("respondents"));
        Assert.Equal(10, urjalaOnly.Audience().Question("single").CountOf("c"));
        crosstab = await CrosstabAsync();
        Assert.True(crosstab.GetProperty("breakdownsFinal").GetBoolean());
        var urjalaRow = crosstab.GetProperty("audiences").EnumerateArray().Single().GetProperty("rows").EnumerateArray()
            .Single(r => r.GetProperty("value").GetString() == "Urjala");
        Assert.Equal(15, urjalaRow.Long("respondents"));
    }
}
