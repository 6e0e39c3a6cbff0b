using System.Text.Json;
using Panel.Contracts;
using Panel.TestSupport;
using static Panel.Reporting.Tests.SurveyResults.SurveyTestData;

namespace Panel.Reporting.Tests.SurveyResults;

/// <summary>
/// Every statistic of every question type computed from the cube, through the API: 20 panel answer sets (10 in
/// Akaa, 10 in Urjala) and 5 open-link ones, k = 3, so that every count is shown.
/// </summary>
public sealed class StatisticsHost : SeededResultsHost
{
    public Guid SurveyId { get; } = Guid.NewGuid();

    protected override async Task SeedAsync()
    {
        var responses = Enumerable.Range(0, 20).Select(i => SurveyResultsStatisticsTests.Panel(SurveyId, i))
            .Concat(Enumerable.Range(0, 5).Select(_ => Response(SurveyId, null, "open-link", single: "c")))
            .ToList();
        await this.SeedAsync(SurveyId, responses, k: 3);
        await this.PublishAsync(new SurveyInvitationsIssued(SurveyId,
            Enumerable.Range(0, 40).Select(i => new IssuedInvitation(new string((char)('a' + i % 6), 64), Profile(), "fi")).ToList()));
        for (var i = 0; i < 25; i++) await this.PublishAsync(new InvitationOpened(SurveyId, new string('f', 64)));
        for (var i = 0; i < 20; i++) await this.PublishAsync(new InvitationAnswered(SurveyId, new string('f', 64)));
        await Eventually.UntilAsync(() => Database.ScalarAsync<long>(
            "SELECT coalesce(sum(invited + opened + answered), 0)::bigint FROM survey_funnel_days WHERE survey_id = @p0", SurveyId),
            n => n == 85, Wait, "the funnel");
        // The funnel shows days that have ended: the day counted becomes yesterday.
        await Database.ScalarAsync<long>(
            "WITH moved AS (UPDATE survey_funnel_days SET day = day - 1 WHERE survey_id = @p0 RETURNING 1) SELECT count(*) FROM moved", SurveyId);
    }
}

public sealed class SurveyResultsStatisticsTests(StatisticsHost host) : IClassFixture<StatisticsHost>
{
    private Guid SurveyId => host.SurveyId;

    public static ResponseSubmitted Panel(Guid surveyId, int i) => Response(surveyId,
        Profile(i < 10 ? "Akaa" : "Urjala"),
        single: i < 10 ? "a" : i < 16 ? "b" : "c",
        multi: i < 12 ? ["x"] : ["y"],
        likert: i < 4 ? 1 : i < 10 ? 3 : 5,
        nps: i < 8 ? 10 : i < 12 ? 9 : i < 16 ? 7 : 3,
        number: 10 * (i / 5 + 1),
        text: i switch { 0 => "mail me at maija.meikalainen@example.fi", 1 => "hetu 131052-308T kiitos", _ => $"palaute {i:00}" },
        rank: i < 10 ? ["r1", "r2"] : ["r2", "r3"],
        matrix: i < 10 ? new() { ["m1"] = "s1", ["m2"] = "s3" } : new() { ["m1"] = "s2", ["m2"] = "s3" },
        budget: i < 10 ? new() { ["p1"] = 5, ["p2"] = 5, ["p3"] = 0 } : new() { ["p1"] = 10, ["p2"] = 0, ["p3"] = 0 });


    private Task<JsonElement> ResultsAsync(string query = "") =>
        host.As(Staff.Coordinator()).GetJsonAsync($"/api/reporting/surveys/{SurveyId}/results{query}");

    [Fact]
    public async Task Choice_questions_show_counts_and_percentages_of_respondents()
    {
        var panel = (await ResultsAsync()).Audience();
        Assert.Equal(20, panel.Long("respondents"));
        var single = panel.Question("single");
        Assert.Equal(20, single.Long("respondents"));
        Assert.Equal([10L, 6L, 4L], new[] { "a", "b", "c" }.Select(o => single.CountOf(o)!.Value));
        Assert.Equal(30.0, single.GetProperty("counts").Item("b").Double("percent"));
        Assert.False(single.GetProperty("suppressed").GetBoolean());

        var multi = panel.Question("multi");
        Assert.Equal(20, multi.Long("respondents"));
        Assert.Equal([12L, 8L, 0L], new[] { "x", "y", "z" }.Select(o => multi.CountOf(o)!.Value));
        Assert.Equal(60.0, multi.GetProperty("counts").Item("x").Double("percent"));
    }

    [Fact]
    public async Task Each_question_carries_its_option_row_and_scale_labels_in_every_language()
    {
        var panel = (await ResultsAsync()).Audience();
        var single = panel.Question("single").GetProperty("labels");
        Assert.Equal("b (en)", single.GetProperty("options").GetProperty("b").GetProperty("en").GetString());
        Assert.Equal("b", single.GetProperty("options").GetProperty("b").GetProperty("fi").GetString());
        var matrix = panel.Question("matrix").GetProperty("labels");
        Assert.Equal("m2 (en)", matrix.GetProperty("rows").GetProperty("m2").GetProperty("en").GetString());
        Assert.Equal("s3", matrix.GetProperty("scale").GetProperty("s3").GetProperty("fi").GetString());
        Assert.Empty(panel.Question("number").GetProperty("labels").GetProperty("options").EnumerateObject());
    }

    [Fact]
    public async Task Likert_nps_and_number_show_mean_and_median_and_nps_in_percentage_points()
    {
        var panel = (await ResultsAsync()).Audience();
        var likert = panel.Question("likert");
        Assert.Equal([4L, 0L, 6L, 0L, 10L], Enumerable.Range(1, 5).Select(i => likert.CountOf(i.ToString())!.Value));
        Assert.Equal(3.6, likert.Double("mean"));
        Assert.Equal(4.0, likert.Double("median"));

        var nps = panel.Question("nps");
        Assert.Equal(11, nps.GetProperty("counts").GetArrayLength());
        Assert.Equal(8, nps.CountOf("10"));
        Assert.Equal(40.0, nps.Double("nps"));
        Assert.Equal(7.8, nps.Double("mean"));
        Assert.Equal(9.0, nps.Double("median"));

        var number = panel.Question("number");
        Assert.Equal(20, number.Long("respondents"));
        Assert.Equal(25.0, number.Double("mean"));
        Assert.Equal(25.0, number.Double("median"));
    }

    [Fact]
    public async Task Ranking_matrix_and_budget_show_rank_positions_ratings_and_voucher_totals()
    {
        var panel = (await ResultsAsync()).Audience();
        var rank = panel.Question("rank");
        var averages = rank.GetProperty("options");
        Assert.Equal(1.0, averages.Item("r1").Double("averageRank"));
        Assert.Equal(1.5, averages.Item("r2").Double("averageRank"));
        Assert.Equal(2.0, averages.Item("r3").Double("averageRank"));
        var r2 = rank.GetProperty("rows").Item("r2");
        Assert.Equal(10, r2.GetProperty("counts").Item("1").Long("value"));
        Assert.Equal(10, r2.GetProperty("counts").Item("2").Long("value"));

        var matrix = panel.Question("matrix").GetProperty("rows");
        Assert.Equal(10, matrix.Item("m1").GetProperty("counts").Item("s1").Long("value"));
        Assert.Equal(10, matrix.Item("m1").GetProperty("counts").Item("s2").Long("value"));
        Assert.Equal(20, matrix.Item("m2").GetProperty("counts").Item("s3").Long("value"));
        Assert.Equal(100.0, matrix.Item("m2").GetProperty("counts").Item("s3").Double("percent"));

        var budget = panel.Question("budget").GetProperty("options");
        Assert.Equal(150, budget.Item("p1").Long("total"));
        Assert.Equal(50, budget.Item("p2").Long("total"));
        Assert.Equal(0, budget.Item("p3").Long("total"));
        Assert.Equal(0.75, budget.Item("p1").Double("share"));
    }

    [Fact]
    public async Task Free_texts_are_listed_sorted_with_personal_data_masked()
    {
        var texts = (await ResultsAsync()).Audience().Question("text").GetProperty("texts").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.Equal(20, texts.Count);
        Assert.Equal(texts.Order(StringComparer.Ordinal), texts);
        Assert.Contains("mail me at [EMAIL]", texts);
        Assert.Contains("hetu [ID] kiitos", texts);
        Assert.DoesNotContain(texts, t => t.Contains("131052", StringComparison.Ordinal) || t.Contains('@'));
    }

    [Fact]
    public async Task Open_link_answers_are_reported_apart_from_panel_answers()
    {
        var results = await ResultsAsync();
        var open = results.Audience("open-link");
        Assert.Equal(5, open.Long("respondents"));
        Assert.Equal(5, open.Question("single").CountOf("c"));
        Assert.Equal(4, results.Audience().Question("single").CountOf("c"));
    }

    [Fact]
    public async Task Response_rate_is_answered_invitations_over_invited()
    {
        var invitations = (await ResultsAsync()).GetProperty("invitations");
        Assert.Equal(40, invitations.Long("invited"));
        Assert.Equal(25, invitations.Long("opened"));
        Assert.Equal(20, invitations.Long("answered"));
        Assert.Equal(0.5, invitations.Double("responseRate"));

        var funnel = await host.As(Staff.Coordinator()).GetJsonAsync($"/api/reporting/surveys/{SurveyId}/funnel");
        var lastDay = funnel.GetProperty("days").EnumerateArray().Last();
        Assert.Equal(40, lastDay.Long("invited"));
        Assert.Equal(20, lastDay.Long("answered"));
        Assert.Equal(0.5, funnel.GetProperty("totals").Double("responseRate"));
    }

    [Fact]
    public async Task A_filter_by_municipality_shows_that_group_only_without_free_texts()
    {
        var urjala = (await ResultsAsync("?municipality=Urjala")).Audience();
        Assert.Equal(10, urjala.Long("respondents"));
        Assert.Equal(0, urjala.Question("single").CountOf("a"));
        Assert.Equal(6, urjala.Question("single").CountOf("b"));
        Assert.Equal(100, urjala.Question("budget").GetProperty("options").Item("p1").Long("total"));
        Assert.Equal(1.0, urjala.Question("budget").GetProperty("options").Item("p1").Double("share"));
        Assert.Equal(JsonValueKind.Null, urjala.Question("text").GetProperty("texts").ValueKind);
    }

    [Fact]
    public async Task Akaa_is_hidden_with_the_empty_unknown_group_so_that_nobody_can_tell_the_unknown_group_is_empty()
    {
        // Akaa 10 + Urjala 10 = all 20: showing both would say that nobody is of unknown municipality, so the
        // empty "unknown" group is protected like a small one, with Akaa (the smallest other group) hidden beside it.
        var akaa = (await ResultsAsync("?municipality=Akaa")).Audience();
        var unknown = (await ResultsAsync("?municipality=unknown")).Audience();
        Assert.True(akaa.GetProperty("suppressed").GetBoolean());
        Assert.Equal(JsonSerializer.Serialize(akaa), JsonSerializer.Serialize(unknown));
        var both = (await ResultsAsync("?municipality=Akaa&municipality=Urjala")).Audience();
        Assert.True(both.GetProperty("suppressed").GetBoolean());
        var all = (await ResultsAsync("?municipality=Akaa,Urjala,unknown")).Audience();
        Assert.Equal(20, all.Long("respondents"));
    }

    [Fact]
    public async Task A_crosstab_breaks_one_question_down_by_an_attribute_with_a_total_row()
    {
        var crosstab = await host.As(Staff.Coordinator()).GetJsonAsync($"/api/reporting/surveys/{SurveyId}/crosstab?question=single&by=municipality");
        var panel = crosstab.GetProperty("audiences").EnumerateArray().Single(a => a.GetProperty("audience").GetString() == "panel");
        var rows = panel.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("value").GetString()!);
        Assert.Equal(["Akaa", "Urjala", "unknown"], rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(6, rows["Urjala"].GetProperty("result").CountOf("b"));
        Assert.Equal(4, rows["Urjala"].GetProperty("result").CountOf("c"));
        Assert.True(rows["Akaa"].GetProperty("suppressed").GetBoolean());
        Assert.Equal(20, panel.GetProperty("total").Long("respondents"));
        Assert.Equal(20.0, panel.GetProperty("total").GetProperty("result").GetProperty("counts").Item("c").Double("percent"));
    }
}
