using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Panel.Contracts;
using Panel.Reporting.Data;
using Panel.Reporting.SurveyResults;
using Panel.TestSupport;
using static Panel.Reporting.Tests.SurveyResults.SurveyTestData;

namespace Panel.Reporting.Tests.SurveyResults;

/// <summary>
/// A mixed data set (every channel, open-link answers without a profile, unknown gender and client status, three
/// municipalities, every question type) sent through the consumer, k = 3 so that some groups are shown and some not.
/// </summary>
public sealed class RollupHost : SeededResultsHost
{
    public const int K = 3;

    public Guid SurveyId { get; } = Guid.NewGuid();

    public IReadOnlyList<ResponseSubmitted> Responses { get; private set; } = [];

    protected override async Task SeedAsync()
    {
        Responses = Enumerable.Range(0, 41).Select(i => ResultsRollupTests.Mixed(SurveyId, i)).ToList();
        await this.SeedAsync(SurveyId, Responses, k: K);
    }
}

public sealed class ResultsRollupTests(RollupHost host) : IClassFixture<RollupHost>
{
    private static readonly string[] Attributes = ["ageBand", "municipality", "gender", "language", "isClient", "channel"];

    public static ResponseSubmitted Mixed(Guid surveyId, int i)
    {
        var channel = (i % 7) switch { 0 or 1 or 2 => "invitation", 3 => "signed-in", 4 => "assisted", 5 => "paper", _ => "open-link" };
        var profile = channel == "open-link" ? null : new ProfileSnapshot(
            (i % 3) switch { 0 => "35-44", 1 => "65-74", _ => "85+" },
            (i % 4) switch { 0 or 1 => "Akaa", 2 => "Urjala", _ => "Sastamala" },
            (i % 5) switch { 0 => null, 1 or 2 => "woman", _ => "man" },
            i % 6 == 0 ? "sv" : "fi",
            (i % 4) switch { 0 => null, 1 => false, _ => true });
        return Response(surveyId, profile, channel,
            single: i % 9 == 8 ? null : ((char)('a' + i % 3)).ToString(),
            multi: i % 2 == 0 ? ["x", "z"] : ["y"],
            likert: 1 + i % 5,
            nps: i % 11,
            number: i % 5 == 0 ? 12.5m : i % 7,
            rank: i % 2 == 0 ? ["r3", "r1"] : ["r2", "r3", "r1"],
            matrix: new() { ["m1"] = "s" + (1 + i % 3), ["m2"] = "s" + (1 + i % 2) },
            budget: new() { ["p1"] = i % 10, ["p2"] = 10 - i % 10, ["p3"] = 0 });
    }

    /// <summary>The answer set's value of a profile attribute, "" when not known: written out here, apart from the service's mapping.</summary>
    private static string ValueOf(ResponseSubmitted m, string attribute) => attribute switch
    {
        "ageBand" => m.Profile?.AgeBand ?? "",
        "municipality" => m.Profile?.Municipality ?? "",
        "gender" => m.Profile?.Gender ?? "",
        "language" => m.Profile?.Language ?? "",
        "isClient" => m.Profile?.IsClient switch { true => "true", false => "false", null => "" },
        "channel" => m.Channel,
        _ => throw new ArgumentOutOfRangeException(nameof(attribute)),
    };

    private static string AudienceOf(ResponseSubmitted m) => m.Channel == "open-link" ? "open-link" : "panel";

    /// <summary>
    /// What the full-cell cube gave before the rollups: every answer set's deltas summed per audience and value of
    /// <paramref name="attribute"/> ("" for all when null).
    /// </summary>
    private static Dictionary<(string Audience, string Group, string Q, string Item, string Value), (long N, decimal Total)> FullCellSums(
        IEnumerable<ResponseSubmitted> responses, string? attribute)
    {
        var sums = new Dictionary<(string, string, string, string, string), (long, decimal)>();
        foreach (var m in responses)
        {
            foreach (var d in ResultsCube.Deltas(m))
            {
                var key = (AudienceOf(m), attribute is null ? "" : ValueOf(m, attribute), d.QuestionId, d.Item, d.Value);
                sums[key] = sums.TryGetValue(key, out var s) ? (s.Item1 + d.Respondents, s.Item2 + d.Total) : (d.Respondents, d.Total);
            }
        }

        return sums;
    }

    private async Task<List<(string Attribute, string Audience, string AttributeValue, string Q, string Item, string Value, long N, decimal Total)>> RollupRowsAsync()
    {
        await using var connection = new NpgsqlConnection(host.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT attribute, audience, attribute_value, question_id, item, value, respondents, total FROM survey_answer_rollups WHERE survey_id = @s", connection);
        command.Parameters.AddWithValue("s", host.SurveyId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string, string, string, string, string, long, decimal)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetInt64(6), reader.GetDecimal(7)));
        }

        return rows;
    }

    [Fact]
    public async Task The_consumer_counts_each_answer_set_once_in_every_attributes_rollup_under_its_profile_value()
    {
        var rows = await RollupRowsAsync();

        var expected = Attributes
            .SelectMany(a => FullCellSums(host.Responses, a).Select(e => (a, e.Key.Audience, e.Key.Group, e.Key.Q, e.Key.Item, e.Key.Value, e.Value.N, e.Value.Total)))
            .OrderBy(r => r.ToString(), StringComparer.Ordinal).ToList();
        Assert.Equal(expected, rows.OrderBy(r => r.ToString(), StringComparer.Ordinal).ToList());

        // A few rows by hand: 41 answer sets, 5 of them (i % 7 == 6) by open link without a profile.
        long Responses(string attribute, string audience, string value) =>
            rows.Where(r => r.Attribute == attribute && r.Audience == audience && r.AttributeValue == value && r.Q == "#").Sum(r => r.N);
        foreach (var attribute in Attributes)
        {
            Assert.Equal(36, rows.Where(r => r.Attribute == attribute && r.Audience == "panel" && r.Q == "#").Sum(r => r.N));
            Assert.Equal(5, rows.Where(r => r.Attribute == attribute && r.Audience == "open-link" && r.Q == "#").Sum(r => r.N));
        }

        Assert.Equal(5, Responses("gender", "open-link", ""));
        Assert.Equal(5, Responses("channel", "open-link", "open-link"));
        Assert.Equal(6, Responses("channel", "panel", "paper")); // i = 5, 12, ..., 40
        Assert.Equal(0, Responses("channel", "panel", "open-link"));
        Assert.Equal(
            host.Responses.Where(m => m.Channel != "open-link" && m.Profile!.Gender is null).Count(),
            Responses("gender", "panel", ""));
        Assert.Equal(
            host.Responses.Where(m => m.Profile?.Municipality == "Urjala").Sum(m => (decimal)m.Answers.Single(a => a.QuestionId == "budget").Allocation!["p1"]),
            rows.Single(r => r.Attribute == "municipality" && r.Audience == "panel" && r.AttributeValue == "Urjala" && r.Q == "budget" && r.Item == "p1").Total);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ageBand")]
    [InlineData("municipality")]
    [InlineData("gender")]
    [InlineData("language")]
    [InlineData("isClient")]
    [InlineData("channel")]
    public async Task The_cube_read_from_the_rollups_equals_the_full_cell_sums(string? attribute)
    {
        using var scope = host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ReportingDbContext>();
        var cube = await ResultsStore.LoadCubeAsync(db, host.SurveyId, attribute, CancellationToken.None);

        var read = cube.SelectMany(a => a.Value.Select(e => ((a.Key, e.Group, e.QuestionId, e.Item, e.Value), (e.Respondents, e.Total))))
            .ToDictionary(x => x.Item1, x => x.Item2);
        var expected = FullCellSums(host.Responses, attribute);
        Assert.Equal(expected.OrderBy(e => e.Key.ToString(), StringComparer.Ordinal), read.OrderBy(e => e.Key.ToString(), StringComparer.Ordinal));
        Assert.NotEmpty(cube[ResultsStore.OpenLink]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ageBand=35-44,unknown")]
    [InlineData("municipality=Akaa")]
    [InlineData("gender=unknown,man")]
    [InlineData("language=sv")]
    [InlineData("isClient=false")]
    [InlineData("channel=paper,open-link")]
    public async Task Results_through_the_api_equal_the_results_computed_from_the_full_cell_sums(string query)
    {
        var results = await host.As(Staff.Coordinator()).GetJsonAsync($"/api/reporting/surveys/{host.SurveyId}/results?{query}");

        ResultsFilter? filter = null;
        if (query.Length > 0)
        {
            var (attribute, values) = (query.Split('=')[0], query.Split('=')[1].Split(','));
            filter = new ResultsFilter(attribute, values.Select(v => v == "unknown" ? "" : v).ToList());
        }

        var questions = Questions.Where(q => q.Type != "free-text").ToList();
        var audiences = new List<AudienceResult>();
        foreach (var audience in new[] { "panel", "open-link" })
        {
            if (audience == "open-link" && filter is not null && !(filter.Attribute == "channel" && filter.Values.Contains("open-link"))) continue;
            var entries = FullCellSums(host.Responses, filter?.Attribute).Where(e => e.Key.Audience == audience)
                .Select(e => new CubeEntry(e.Key.Group, e.Key.Q, e.Key.Item, e.Key.Value, e.Value.N, e.Value.Total)).ToList();
            // The host holds no population reference: the municipality domain is the values seen (and unknown).
            var calc = new ResultsCalculator(RollupHost.K, questions, entries, ResultsDomain.Of(filter?.Attribute, audience, []));
            audiences.Add(calc.Compute(audience, calc.Mask(filter?.Values), withTexts: false));
        }

        var expected = JsonSerializer.SerializeToNode(audiences, Json)!.AsArray();
        var actual = JsonNode.Parse(results.GetProperty("audiences").GetRawText())!.AsArray();
        foreach (var a in actual)
        {
            var list = a!["questions"]!.AsArray();
            foreach (var text in list.Where(q => q!["type"]!.GetValue<string>() == "free-text").ToList()) list.Remove(text);
        }

        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected.ToJsonString()}\nactual {actual.ToJsonString()}");
    }

    [Theory]
    [InlineData("municipality", "")]
    [InlineData("municipality", "&municipality=Akaa,Urjala")]
    [InlineData("ageBand", "&ageBand=85%2B,unknown")]
    [InlineData("channel", "")]
    [InlineData("gender", "&gender=woman,man")]
    public async Task A_crosstab_through_the_api_equals_the_crosstab_computed_from_the_full_cell_sums(string by, string query)
    {
        var crosstab = await host.As(Staff.Coordinator()).GetJsonAsync($"/api/reporting/surveys/{host.SurveyId}/crosstab?question=nps&by={by}{query}");

        var values = query.Length == 0 ? null
            : Uri.UnescapeDataString(query.Split('=')[1]).Split(',').Select(v => v == "unknown" ? "" : v).ToList();
        var question = Questions.Single(q => q.Id == "nps");
        var expected = new JsonArray();
        foreach (var audience in new[] { "panel", "open-link" })
        {
            if (audience == "open-link" && values is not null && !(by == "channel" && values.Contains("open-link"))) continue;
            var entries = FullCellSums(host.Responses, by).Where(e => e.Key.Audience == audience)
                .Select(e => new CubeEntry(e.Key.Group, e.Key.Q, e.Key.Item, e.Key.Value, e.Value.N, e.Value.Total)).ToList();
            var calc = new ResultsCalculator(RollupHost.K, [question], entries, ResultsDomain.Of(by, audience, []));
            var rows = (values ?? calc.Groups)
                .Select(g => Row(ResultsAttributes.Label(g), calc.Compute(audience, calc.Mask([g]), withTexts: false))).ToList();
            var total = Row("total", calc.Compute(audience, calc.Mask(values), withTexts: false));
            expected.Add(JsonSerializer.SerializeToNode(new CrosstabAudience(audience, rows, total), Json));
        }

        var actual = JsonNode.Parse(crosstab.GetProperty("audiences").GetRawText())!;
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected.ToJsonString()}\nactual {actual.ToJsonString()}");
        Assert.NotEmpty(expected[0]!["rows"]!.AsArray());

        static CrosstabRow Row(string value, AudienceResult r) => new(value, r.Respondents, r.Suppressed, r.Questions[0]);
    }

    [Fact]
    public async Task The_survey_list_counts_the_answer_sets_of_both_audiences_from_the_rollups()
    {
        var client = host.As(Staff.Coordinator());
        var list = await client.GetJsonAsync("/api/reporting/surveys");
        var summary = list.EnumerateArray().Single(s => s.GetProperty("surveyId").GetGuid() == host.SurveyId);
        Assert.Equal(41, summary.Long("respondents"));
    }
}
