using System.Text.Json;
using Panel.Contracts;
using Panel.Privacy;
using static Panel.Reporting.Tests.SurveyResults.SurveyTestData;

namespace Panel.Reporting.Tests.SurveyResults;

/// <summary>
/// 50 answer sets of diverse profiles (most unique), recoded as Surveys' mixer sends them: k-anonymous, with merged
/// age bands and values not stated (issue 13, finding 4).
/// </summary>
public sealed class RecodedProfileHost : SeededResultsHost
{
    public const int K = 5;
    public Guid SurveyId { get; } = Guid.NewGuid();
    public List<ProfileSnapshot> Sent { get; } = [];

    private static readonly string[] AgeBands = ["15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"];
    private static readonly string[] Municipalities = ["Tampere", "Nokia", "Ylöjärvi", "Kangasala", "Pirkkala", "Urjala"];

    protected override async Task SeedAsync()
    {
        var random = new Random(50);
        var stored = new Dictionary<ProfileTuple, int>();
        // Released as the mixer releases them: in batches of k or more, each recoded against those stored before.
        foreach (var size in new[] { 10, 7, 13, 8, 12 })
        {
            var batch = Enumerable.Range(0, size).Select(_ => (ProfileTuple?)new ProfileTuple(
                AgeBands[random.Next(AgeBands.Length)], Municipalities[random.Next(Municipalities.Length)],
                random.Next(3) switch { 0 => "woman", 1 => "man", _ => null }, random.Next(4) == 0 ? "sv" : "fi",
                random.Next(2) == 0 ? "true" : "false")).ToList();
            var recoded = ProfileAnonymizer.Recode(stored, batch, K, AgeBands);
            Assert.Empty(recoded.Stored); // batches of k or more never need stored answers recoded
            foreach (var t in recoded.Batch.OfType<ProfileTuple>())
            {
                stored[t] = stored.GetValueOrDefault(t) + 1;
                Sent.Add(new ProfileSnapshot(t.AgeBand ?? "", t.Municipality ?? "", t.Gender, t.Language ?? "", t.Client is null ? null : t.Client == "true"));
            }
        }

        var responses = Sent.Select((p, i) => Response(SurveyId, p, single: i % 3 == 0 ? "a" : "b", nps: i % 11, text: $"palaute {i:00}")).ToList();
        await this.SeedAsync(SurveyId, responses, k: K);
    }
}

public sealed class RecodedProfileTests(RecodedProfileHost host) : IClassFixture<RecodedProfileHost>
{
    private const int K = RecodedProfileHost.K;
    private static readonly string[] Attributes = ["ageBand", "municipality", "gender", "language", "isClient"];

    [Fact]
    public async Task Every_profile_stored_with_a_free_text_is_shared_by_k_texts()
    {
        var counts = JsonSerializer.Deserialize<List<int>>(await host.Database.ScalarAsync<string>("""
            SELECT json_agg(n)::text FROM (
                SELECT count(*) AS n FROM survey_free_texts WHERE survey_id = @p0
                GROUP BY age_band, municipality, gender, language, is_client, channel) c
            """, host.SurveyId))!;

        Assert.Equal(50, counts.Sum());
        Assert.True(counts.Count > 1, "the profiles were not all recoded away");
        Assert.All(counts, n => Assert.True(n >= K, $"a free text's profile is shared by {n}"));
    }

    [Fact]
    public async Task Every_value_of_every_attribute_in_the_rollups_counts_k_answer_sets()
    {
        var counts = JsonSerializer.Deserialize<List<long>>(await host.Database.ScalarAsync<string>("""
            SELECT json_agg(respondents)::text FROM survey_answer_rollups
            WHERE survey_id = @p0 AND question_id = '#' AND respondents > 0
            """, host.SurveyId))!;

        Assert.NotEmpty(counts);
        Assert.All(counts, n => Assert.True(n >= K, $"a rollup group counts {n}"));
    }

    [Fact]
    public async Task Values_not_stated_are_the_unknown_group_of_crosstabs_and_filters_suppressed_like_any_other()
    {
        var coordinator = host.As(Staff.Coordinator());
        var shown = 0;
        Assert.Contains(host.Sent, p => p.Municipality.Length == 0 || p.Gender is null);
        foreach (var attribute in Attributes)
        {
            var crosstab = await coordinator.GetJsonAsync($"/api/reporting/surveys/{host.SurveyId}/crosstab?question=single&by={attribute}");
            var rows = crosstab.GetProperty("audiences").EnumerateArray().Single(a => a.GetProperty("audience").GetString() == "panel")
                .GetProperty("rows").EnumerateArray().ToList();
            Assert.NotEmpty(rows);
            var expected = host.Sent.GroupBy(p => ValueOf(p, attribute)).ToDictionary(g => g.Key.Length == 0 ? "unknown" : g.Key, g => g.Count());
            foreach (var row in rows)
            {
                var value = row.GetProperty("value").GetString()!;
                var respondents = row.Long("respondents");
                Assert.True(respondents is null || respondents == expected.GetValueOrDefault(value), $"{attribute}={value}: {respondents}");
                Assert.True(respondents is null || respondents >= K, $"{attribute}={value} shows {respondents}");
            }

            foreach (var (value, n) in expected)
            {
                var filtered = (await coordinator.GetJsonAsync(
                    $"/api/reporting/surveys/{host.SurveyId}/results?{attribute}={Uri.EscapeDataString(value)}")).Audience();
                Assert.True(filtered.Long("respondents") is null || filtered.Long("respondents") == n, $"{attribute}={value}");
                shown += filtered.Long("respondents") is null ? 0 : 1;
            }
        }

        Assert.True(shown > 0, "no filtered group was shown at all");
    }

    private static string ValueOf(ProfileSnapshot p, string attribute) => attribute switch
    {
        "ageBand" => p.AgeBand,
        "municipality" => p.Municipality,
        "gender" => p.Gender ?? "",
        "language" => p.Language,
        _ => p.IsClient is { } c ? (c ? "true" : "false") : "",
    };
}
