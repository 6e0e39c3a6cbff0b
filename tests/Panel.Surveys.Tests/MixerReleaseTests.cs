namespace Panel.Surveys.Tests;

/// <summary>
/// Random sequences of answers, mixer runs (two at once, as two replicas), settler runs and a close that may come
/// while a release is in flight, against the database: every transaction the mixer committed added at least k
/// answers to the results, or was the survey's first and only release; no answer was lost or released twice.
/// </summary>
public sealed class MixerReleaseTests(SurveysHost host) : IClassFixture<SurveysHost>
{
    private const int K = 5; // the sample survey's minimum group size

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public async Task Results_grow_only_by_k_or_more_answers_whatever_the_order_of_answers_mixing_and_closing(int seed)
    {
        var random = new Random(seed);
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        var arrived = 0;
        var closed = false;
        var steps = random.Next(3, 12);
        for (var step = 0; step < steps; step++)
        {
            switch (random.Next(5))
            {
                case 0 or 1:
                    var n = closed ? random.Next(0, 2) : random.Next(0, 13);
                    await AddPendingAsync(survey, n);
                    arrived += n;
                    break;
                case 2 when !closed:
                    // The close and a release in flight at once.
                    await Task.WhenAll(host.CloseAndMixAsync(survey), host.MixAsync());
                    closed = true;
                    break;
                case 3:
                    await Task.WhenAll(host.MixAsync(), host.SettleAsync());
                    break;
                default:
                    await Task.WhenAll(host.MixAsync(), host.MixAsync());
                    break;
            }
        }

        if (!closed)
        {
            await host.CloseAndMixAsync(survey);
        }

        await host.MixAsync();

        var releases = await ReleasesAsync(survey);
        var waiting = await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0", survey);
        var context = $"seed {seed}: arrived {arrived}, releases {string.Join(' ', releases)}, waiting {waiting}";
        // Only a first release (the close of a survey with fewer than k answers) may add fewer than k.
        Assert.True(releases.Skip(1).All(r => r >= K), context);
        Assert.Equal(arrived, releases.Sum() + waiting);
        Assert.True(waiting == 0 || (releases.Count > 0 && waiting < K), context);
        Assert.Equal(releases.Sum(), (await host.ResponsesAsync(survey)).Count);
    }

    private Task AddPendingAsync(Guid survey, int n) => host.ExecuteAsync("""
        INSERT INTO pending_responses (id, survey_id, definition_version, submitted_on, channel, profile, answers)
        SELECT gen_random_uuid(), @p0, 1, current_date, 'assisted', NULL, jsonb_build_object('nps', i % 11)
        FROM generate_series(1, @p1) AS i
        """, survey, n);

    /// <summary>How many answers each mixer transaction added (the rows it wrote share its xmin), in the order they committed.</summary>
    private async Task<List<long>> ReleasesAsync(Guid survey) =>
        [.. (await host.Database.ScalarAsync<string>("""
            SELECT coalesce(string_agg(n::text, ',' ORDER BY x), '')
            FROM (SELECT count(*) AS n, xmin::text::bigint AS x FROM survey_responses WHERE survey_id = @p0 GROUP BY xmin::text) t
            """,
            survey)).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse)];
}
