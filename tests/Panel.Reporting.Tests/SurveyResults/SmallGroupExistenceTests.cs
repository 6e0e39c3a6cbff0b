using System.Text.Json;
using Panel.Contracts;
using Panel.TestSupport;
using static Panel.Reporting.Tests.SurveyResults.SurveyTestData;

namespace Panel.Reporting.Tests.SurveyResults;

/// <summary>
/// k = 5. The county (population reference): Akaa, Urjala, Kihniö, Sastamala, Punkalaidun, Pälkäne. Answer sets:
/// Akaa 20 (10 women, 10 men; none chose c), Urjala 13 (women), Kihniö 3 (men), Sastamala 1 (gender "other"); nobody from
/// Punkalaidun or Pälkäne, nobody of unknown municipality. A second survey has 50 answer sets for the NPS.
/// </summary>
public sealed class ExistenceHost : SeededResultsHost
{
    public static readonly string[] County = ["Akaa", "Urjala", "Kihniö", "Sastamala", "Punkalaidun", "Pälkäne"];

    public Guid SurveyId { get; } = Guid.NewGuid();
    public Guid NpsSurveyId { get; } = Guid.NewGuid();
    public Guid TextSurveyId { get; } = Guid.NewGuid();

    protected override async Task SeedAsync()
    {
        await this.PublishAsync(new PopulationReferencePublished(1, DateTimeOffset.UtcNow,
            County.SelectMany(m => new[] { "woman", "man" }.Select(g => new PopulationGroupSnapshot(m, "35-44", g, 500))).ToList()));
        await Eventually.UntilAsync(() => Database.ScalarAsync<long>("SELECT count(*) FROM population_groups"), n => n == 12, Wait, "the population reference");

        var responses = new List<ResponseSubmitted>();
        for (var i = 0; i < 20; i++) responses.Add(Response(SurveyId, Profile("Akaa", gender: i < 10 ? "woman" : "man"), single: i < 10 ? "a" : "b", nps: 10, text: $"teksti {i}"));
        for (var i = 0; i < 13; i++) responses.Add(Response(SurveyId, Profile("Urjala"), single: i < 4 ? "a" : i < 8 ? "b" : "c", nps: 8));
        for (var i = 0; i < 3; i++) responses.Add(Response(SurveyId, Profile("Kihniö", gender: "man"), single: "a", nps: 3));
        responses.Add(Response(SurveyId, Profile("Sastamala", gender: "other"), single: "b", nps: 0));
        await this.SeedAsync(SurveyId, responses);

        // 19 × 10, 10 × 9, 8 × 8, 6 × 7, 4 × 5, 3 × 3: the 5s and 3s are below k and hidden; they are all detractors.
        int[] scores = [.. Enumerable.Repeat(10, 19), .. Enumerable.Repeat(9, 10), .. Enumerable.Repeat(8, 8), .. Enumerable.Repeat(7, 6),
            .. Enumerable.Repeat(5, 4), .. Enumerable.Repeat(3, 3)];
        await this.SeedAsync(NpsSurveyId, scores.Select(s => Response(NpsSurveyId, Profile(), nps: s)).ToList());

        // 23 answer sets, 20 with a free text: "20 wrote" would give away "3 skipped", so the number is hidden.
        await this.SeedAsync(TextSurveyId, Enumerable.Range(0, 23).Select(i => Response(TextSurveyId, Profile(), single: "a", text: i < 20 ? $"vastaus {i:00}" : null)).ToList());
    }
}

public sealed class SmallGroupExistenceTests(ExistenceHost host) : IClassFixture<ExistenceHost>
{
    private HttpClient Coordinator => host.As(Staff.Coordinator());

    private Task<JsonElement> ResultsAsync(string query = "") => Coordinator.GetJsonAsync($"/api/reporting/surveys/{host.SurveyId}/results{query}");

    private Task<JsonElement> CrosstabAsync(string by, string query = "") =>
        Coordinator.GetJsonAsync($"/api/reporting/surveys/{host.SurveyId}/crosstab?question=single&by={by}{query}");

    private static List<JsonElement> Rows(JsonElement crosstab) =>
        crosstab.GetProperty("audiences").EnumerateArray().Single().GetProperty("rows").EnumerateArray().ToList();

    private static string Value(JsonElement row) => row.GetProperty("value").GetString()!;

    /// <summary>A row as a reader sees it, without the name of its group.</summary>
    private static string Body(JsonElement row) =>
        JsonSerializer.Serialize(row.EnumerateObject().Where(p => p.Name != "value").ToDictionary(p => p.Name, p => p.Value));

    [Theory]
    [InlineData("municipality", "Akaa,Urjala,Kihniö,Sastamala,Punkalaidun,Pälkäne,unknown")]
    [InlineData("gender", "woman,man,other,unspecified,unknown")]
    [InlineData("ageBand", "15-24,25-34,35-44,45-54,55-64,65-74,75-84,85+,unknown")]
    [InlineData("language", "fi,sv,en,unknown")]
    [InlineData("isClient", "true,false,unknown")]
    [InlineData("channel", "invitation,signed-in,assisted,paper")]
    public async Task A_crosstab_lists_every_value_of_the_attribute_whether_anyone_answered_or_not(string by, string values)
    {
        var rows = Rows(await CrosstabAsync(by)).Select(Value).Order(StringComparer.Ordinal);
        Assert.Equal(values.Split(',').Order(StringComparer.Ordinal), rows);
    }

    [Fact]
    public async Task Crosstab_rows_of_empty_groups_and_groups_below_k_are_identical()
    {
        // Kihniö 3, Sastamala 1, Punkalaidun 0, Pälkäne 0, unknown 0.
        var rows = Rows(await CrosstabAsync("municipality")).ToDictionary(Value);
        var small = new[] { "Kihniö", "Sastamala", "Punkalaidun", "Pälkäne", "unknown" }.Select(v => Body(rows[v])).Distinct().ToList();
        Assert.Single(small);
        Assert.True(rows["Kihniö"].GetProperty("suppressed").GetBoolean());

        // Gender: other 1, unspecified 0, unknown 0.
        var genders = Rows(await CrosstabAsync("gender")).ToDictionary(Value);
        Assert.Single(new[] { "other", "unspecified", "unknown" }.Select(v => Body(genders[v])).Distinct());
    }

    [Fact]
    public async Task Filters_on_empty_groups_small_groups_and_values_outside_the_county_answer_alike()
    {
        string[] values = ["Kihni%C3%B6", "Sastamala", "Punkalaidun", "P%C3%A4lk%C3%A4ne", "unknown", "Tampere",
            "Kihni%C3%B6,Punkalaidun", "Sastamala,P%C3%A4lk%C3%A4ne"];
        var answers = new List<string>();
        foreach (var v in values)
        {
            answers.Add(JsonSerializer.Serialize((await ResultsAsync("?municipality=" + v)).Audience()));
        }

        Assert.Single(answers.Distinct());
        Assert.True((await ResultsAsync("?municipality=Punkalaidun")).Audience().GetProperty("suppressed").GetBoolean());

        // The filtered cross-tab: one row per value asked for, known or not, all alike.
        var filtered = Rows(await CrosstabAsync("municipality", "&municipality=Sastamala,Punkalaidun,Tampere"));
        Assert.Equal(["Sastamala", "Punkalaidun", "Tampere"], filtered.Select(Value));
        Assert.Single(filtered.Select(Body).Distinct());
    }

    [Fact]
    public async Task Groups_of_k_or_more_are_shown_with_their_zeros()
    {
        var akaa = Rows(await CrosstabAsync("municipality")).Single(r => Value(r) == "Akaa");
        Assert.Equal(20, akaa.Long("respondents"));
        var counts = akaa.GetProperty("result").GetProperty("counts").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!, c => c.Long("value"));
        Assert.Equal(10, counts["a"]);
        Assert.Equal(0, counts["c"]); // nobody of Akaa's 20 chose c: a zero inside a group of k or more names no small group
        var all = (await ResultsAsync()).Audience();
        Assert.Equal(37, all.Long("respondents"));
    }

    [Fact]
    public async Task Exports_of_an_empty_group_and_a_small_group_are_the_same_bytes()
    {
        async Task<byte[]> Csv(string v) =>
            await (await Coordinator.GetAsync($"/api/reporting/surveys/{host.SurveyId}/results.csv?lang=en&municipality={v}")).Content.ReadAsByteArrayAsync();
        Assert.Equal(await Csv("Sastamala"), await Csv("Punkalaidun"));
    }

    [Fact]
    public async Task Free_texts_of_k_or_more_are_listed_even_where_their_number_is_hidden_without_giving_that_number()
    {
        var text = (await Coordinator.GetJsonAsync($"/api/reporting/surveys/{host.TextSurveyId}/results")).Audience().Question("text");
        Assert.Null(text.Long("respondents"));
        var listed = text.GetProperty("texts").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.InRange(listed.Count, 20 - 4, 20);
        Assert.All(listed, t => Assert.StartsWith("vastaus ", t));
        // Counting gives "L to L + 4 wrote", so "skipped" is 23 - L - 4 to 23 - L: it reaches 0 or 5.
        var (low, high) = (23 - listed.Count - 4, 23 - listed.Count);
        Assert.True(low <= 0 || high >= 5, $"skipped pinned to {low}..{high}");
        var again = (await Coordinator.GetJsonAsync($"/api/reporting/surveys/{host.TextSurveyId}/results")).Audience().Question("text");
        Assert.Equal(listed, again.GetProperty("texts").EnumerateArray().Select(t => t.GetString()!));
    }

    [Fact]
    public async Task Free_texts_whose_number_is_shown_are_all_listed()
    {
        var text = (await ResultsAsync()).Audience().Question("text");
        Assert.Equal(20, text.Long("respondents"));
        Assert.Equal(20, text.GetProperty("texts").GetArrayLength());
    }

    [Fact]
    public async Task At_50_respondents_the_coordinator_sees_the_nps()
    {
        var nps = (await Coordinator.GetJsonAsync($"/api/reporting/surveys/{host.NpsSurveyId}/results")).Audience().Question("nps");
        Assert.Equal(50, nps.Long("respondents"));
        var counts = nps.GetProperty("counts").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!, c => c.Long("value"));
        Assert.Null(counts["5"]);
        Assert.Null(counts["3"]);
        Assert.Equal(44, nps.GetProperty("nps").GetDouble());
        Assert.Equal(9, nps.GetProperty("median").GetDouble());
    }
}
