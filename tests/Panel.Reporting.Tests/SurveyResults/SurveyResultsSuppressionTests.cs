using System.Net;
using System.Text.Json;
using Panel.Contracts;
using static Panel.Reporting.Tests.SurveyResults.SurveyTestData;

namespace Panel.Reporting.Tests.SurveyResults;

/// <summary>
/// k = 5. Akaa 12 answer sets, Urjala 10, Kihniö 2 (a group below k). Age bands: 35-44 × 10, 45-54 × 2, 55-64 × 12.
/// Four free texts in all (below k). A second survey has only 4 answer sets.
/// </summary>
public sealed class SuppressionHost : SeededResultsHost
{
    public Guid SurveyId { get; } = Guid.NewGuid();
    public Guid TinySurveyId { get; } = Guid.NewGuid();

    public static string AgeOf(int i) => i < 10 ? "35-44" : i < 12 ? "45-54" : "55-64";

    protected override async Task SeedAsync()
    {
        var responses = Enumerable.Range(0, 24).Select(i => Response(SurveyId,
            Profile(i < 12 ? "Akaa" : i < 22 ? "Urjala" : "Kihniö", AgeOf(i)),
            single: i % 3 == 0 ? "a" : i % 3 == 1 ? "b" : "c",
            likert: i % 5 + 1,
            number: i,
            text: i < 4 ? $"teksti {i}" : null,
            budget: new() { ["p1"] = i % 10, ["p2"] = 10 - i % 10, ["p3"] = 0 })).ToList();
        await this.SeedAsync(SurveyId, responses);
        await this.SeedAsync(TinySurveyId, Enumerable.Range(0, 4).Select(_ => Response(TinySurveyId, Profile(), single: "a", text: "hei")).ToList());
    }
}

public sealed class SurveyResultsSuppressionTests(SuppressionHost host) : IClassFixture<SuppressionHost>
{
    private const int K = 5;

    private HttpClient Coordinator => host.As(Staff.Coordinator());

    private Task<JsonElement> ResultsAsync(string query = "", Guid? survey = null) =>
        Coordinator.GetJsonAsync($"/api/reporting/surveys/{survey ?? host.SurveyId}/results{query}");

    private static void AssertSmallHidden(long? shown) => Assert.True(shown is null || shown == 0 || shown >= K, $"{shown} is shown");

    [Fact]
    public async Task A_group_below_k_is_suppressed_whole()
    {
        var kihnio = (await ResultsAsync("?municipality=Kihni%C3%B6")).Audience();
        Assert.True(kihnio.GetProperty("suppressed").GetBoolean());
        Assert.Null(kihnio.Long("respondents"));
        Assert.All(kihnio.GetProperty("questions").EnumerateArray(), q => Assert.Null(q.Long("respondents")));
    }

    [Fact]
    public async Task All_minus_a_filter_cannot_reveal_the_small_complement()
    {
        // All = 24; Akaa + Urjala = 22 would leave Kihniö's 2 as the difference.
        var both = (await ResultsAsync("?municipality=Akaa,Urjala")).Audience();
        Assert.True(both.GetProperty("suppressed").GetBoolean());
        Assert.Null(both.Question("single").Long("respondents"));
        Assert.Equal(24, (await ResultsAsync()).Audience().Long("respondents"));
    }

    [Fact]
    public async Task Two_filters_differing_by_one_small_group_are_never_both_shown()
    {
        string[] bands = ["35-44", "45-54", "55-64"];
        var shown = new List<(HashSet<string> Bands, JsonElement Audience)>();
        for (var mask = 1; mask < 8; mask++)
        {
            var set = bands.Where((_, i) => (mask & (1 << i)) != 0).ToHashSet();
            var audience = (await ResultsAsync("?ageBand=" + string.Join(",", set))).Audience();
            if (!audience.GetProperty("suppressed").GetBoolean()) shown.Add((set, audience));
        }

        Assert.NotEmpty(shown);
        foreach (var (a, ra) in shown)
        foreach (var (b, rb) in shown)
        {
            if (!b.IsProperSubsetOf(a)) continue;
            AssertSmallHidden(ra.Long("respondents") - rb.Long("respondents"));
            foreach (var option in new[] { "a", "b", "c" })
            {
                var x = ra.Question("single").CountOf(option);
                var y = rb.Question("single").CountOf(option);
                if (x is not null && y is not null) AssertSmallHidden(x - y);
            }

            var sa = ra.Question("number").Double("mean") * ra.Question("number").Long("respondents");
            var sb = rb.Question("number").Double("mean") * rb.Question("number").Long("respondents");
            var na = ra.Question("number").Long("respondents") - rb.Question("number").Long("respondents");
            if (sa is not null && sb is not null) Assert.True(na is null or 0 or >= K, $"the sums of {na} numbers can be differenced");
        }
    }

    [Fact]
    public async Task Crosstab_totals_minus_visible_cells_leave_nothing_below_k()
    {
        var crosstab = await Coordinator.GetJsonAsync($"/api/reporting/surveys/{host.SurveyId}/crosstab?question=single&by=municipality");
        var panel = crosstab.GetProperty("audiences")[0];
        var rows = panel.GetProperty("rows").EnumerateArray().ToList();
        var kihnio = rows.Single(r => r.GetProperty("value").GetString() == "Kihniö");
        Assert.Null(kihnio.Long("respondents"));
        var total = panel.GetProperty("total").GetProperty("result");
        foreach (var option in new[] { "a", "b", "c" })
        {
            var column = total.CountOf(option);
            var visible = rows.Select(r => r.GetProperty("result")).Where(r => r.GetProperty("counts").ValueKind != JsonValueKind.Null)
                .Select(r => r.CountOf(option)).Where(v => v is not null).Sum(v => v!.Value);
            if (column is not null) AssertSmallHidden(column - visible);
        }

        foreach (var row in rows.Where(r => r.Long("respondents") is not null))
        {
            var result = row.GetProperty("result");
            var visible = new[] { "a", "b", "c" }.Select(o => result.CountOf(o)).Where(v => v is not null).Sum(v => v!.Value);
            if (result.Long("respondents") is { } n) AssertSmallHidden(n - visible);
        }
    }

    [Fact]
    public async Task Free_texts_of_fewer_than_k_are_not_listed_and_filtered_results_never_list_texts()
    {
        var text = (await ResultsAsync()).Audience().Question("text");
        Assert.Equal(JsonValueKind.Null, text.GetProperty("texts").ValueKind);
        Assert.True(text.GetProperty("suppressed").GetBoolean());
        var akaa = (await ResultsAsync("?municipality=Akaa")).Audience();
        Assert.False(akaa.GetProperty("suppressed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, akaa.Question("text").GetProperty("texts").ValueKind);
    }

    [Fact]
    public async Task A_survey_with_fewer_than_k_answer_sets_shows_no_number_at_all()
    {
        var tiny = (await ResultsAsync(survey: host.TinySurveyId)).Audience();
        Assert.True(tiny.GetProperty("suppressed").GetBoolean());
        Assert.Null(tiny.Long("respondents"));
        var csv = await Coordinator.GetStringAsync($"/api/reporting/surveys/{host.TinySurveyId}/results.csv");
        Assert.DoesNotContain(",4,", csv);
        Assert.DoesNotContain("hei", csv);
        var list = await Coordinator.GetJsonAsync("/api/reporting/surveys");
        var row = list.EnumerateArray().Single(s => s.GetProperty("surveyId").GetGuid() == host.TinySurveyId);
        Assert.Null(row.Long("respondents"));
    }

    [Fact]
    public async Task Exports_of_a_suppressed_filter_hold_no_numbers()
    {
        var csv = await Coordinator.GetStringAsync($"/api/reporting/surveys/{host.SurveyId}/results.csv?municipality=Akaa,Urjala");
        var lines = csv.Trim('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.NotEmpty(lines);
        // Every value is the one symbol, suppressed, then the two labels; the last line is the footnote.
        Assert.All(lines, l => Assert.Matches(",\\.\\.,true,[^,]*,[^,]*$", l));
        Assert.Contains("piilotettu nimettömyyden suojaamiseksi", lines[^1]);
    }

    [Theory]
    [InlineData("?gender=robot", "gender")]
    [InlineData("?ageBand=old", "ageBand")]
    [InlineData("?isClient=maybe", "isClient")]
    [InlineData("?channel=fax", "channel")]
    [InlineData("?language=de", "language")]
    [InlineData("?municipality=", "municipality")]
    [InlineData("?municipality=Akaa&ageBand=35-44", "municipality")]
    public async Task Bad_filters_are_400_naming_the_parameter(string query, string parameter)
    {
        var response = await Coordinator.GetAsync($"/api/reporting/surveys/{host.SurveyId}/results{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Theory]
    [InlineData("", "by")]
    [InlineData("?by=shoeSize&question=single", "by")]
    [InlineData("?by=gender", "question")]
    [InlineData("?by=gender&question=nope", "question")]
    [InlineData("?by=gender&question=single&municipality=Akaa", "municipality")]
    public async Task Bad_crosstab_queries_are_400_naming_the_parameter(string query, string parameter)
    {
        var response = await Coordinator.GetAsync($"/api/reporting/surveys/{host.SurveyId}/crosstab{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Fact]
    public async Task Export_with_an_unknown_language_is_400()
    {
        var response = await Coordinator.GetAsync($"/api/reporting/surveys/{host.SurveyId}/results.xlsx?lang=de");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}

/// <summary>A survey with 12 panel answer sets and 2 open-link ones (k = 5).</summary>
public sealed class SmallAudienceHost : SeededResultsHost
{
    public Guid SurveyId { get; } = Guid.NewGuid();

    protected override Task SeedAsync() => this.SeedAsync(SurveyId,
        Enumerable.Range(0, 12).Select(_ => Response(SurveyId, Profile(), single: "a"))
            .Concat(Enumerable.Range(0, 2).Select(_ => Response(SurveyId, null, "open-link", single: "b"))).ToList());
}

public sealed class SmallAudienceTests(SmallAudienceHost host) : IClassFixture<SmallAudienceHost>
{
    [Fact]
    public async Task The_survey_list_total_minus_the_panel_results_cannot_give_a_small_open_link_count()
    {
        var client = host.As(Staff.Coordinator());
        var results = await client.GetJsonAsync($"/api/reporting/surveys/{host.SurveyId}/results");
        Assert.Equal(12, results.Audience().Long("respondents"));
        Assert.True(results.Audience("open-link").GetProperty("suppressed").GetBoolean());
        var row = (await client.GetJsonAsync("/api/reporting/surveys")).EnumerateArray().Single(s => s.GetProperty("surveyId").GetGuid() == host.SurveyId);
        Assert.Null(row.Long("respondents"));
    }
}
