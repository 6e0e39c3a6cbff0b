using System.Text.Json;
using Panel.Contracts;
using Panel.TestSupport;
using static Panel.Surveys.Tests.Answering;

namespace Panel.Surveys.Tests;

/// <summary>The mixer moves answers from pending into the results, with ResponseSubmitted for Reporting.</summary>
public sealed class MixerTests(SurveysHost host) : IClassFixture<SurveysHost>
{
    [Fact]
    public async Task A_mixed_answer_is_stored_by_day_and_told_to_Reporting_with_every_answer_shape_and_masked_text()
    {
        var (survey, token) = await host.InvitedAsync();
        (await host.Public().PostJsonAsync(Submit, Request(token, Valid()))).EnsureSuccessStatusCode();

        Assert.Empty(await host.ResponsesAsync(survey));
        Assert.True(await host.CloseAndMixAsync(survey) >= 1);

        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0", survey));
        Assert.Equal("invitation", await host.Database.ScalarAsync<string>("SELECT channel FROM survey_responses WHERE survey_id = @p0", survey));
        Assert.Equal(DateOnly.FromDateTime(host.Clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            await host.Database.ScalarAsync<string>("SELECT submitted_on::text FROM survey_responses WHERE survey_id = @p0", survey));
        Assert.Equal("Call me on [PHONE] or write to [EMAIL], my code is [ID].",
            await host.Database.ScalarAsync<string>("SELECT answers->>'why' FROM survey_responses WHERE survey_id = @p0", survey));

        var submitted = (await host.ResponsesAsync(survey)).Single().Deserialize<ResponseSubmitted>(JsonSerializerOptions.Web)!;
        Assert.Equal(1, submitted.DefinitionVersion);
        Assert.Equal("invitation", submitted.Channel);
        // Alone, its profile would be shared by no one: every value is recoded to not stated (ProfileAnonymityTests).
        Assert.Equal(new ProfileSnapshot("", "", null, "", null), submitted.Profile);
        Assert.Equal(DateOnly.FromDateTime(host.Clock.GetUtcNow().UtcDateTime), submitted.SubmittedOn);
        var answers = submitted.Answers.ToDictionary(a => a.QuestionId);
        Assert.Equal(["used", "channels", "satisfied", "nps", "visits", "why", "priorities", "aspects", "budget"], submitted.Answers.Select(a => a.QuestionId));
        Assert.Equal(["yes"], answers["used"].Options);
        Assert.Equal("single-choice", answers["used"].Type);
        Assert.Equal(["web", "phone"], answers["channels"].Options);
        Assert.Equal(4m, answers["satisfied"].Number);
        Assert.Equal(5m, answers["nps"].Number);
        Assert.Equal(3m, answers["visits"].Number);
        Assert.Equal("Call me on [PHONE] or write to [EMAIL], my code is [ID].", answers["why"].Text);
        Assert.Equal(["b", "a"], answers["priorities"].Options);
        Assert.Equal(new Dictionary<string, string> { ["r1"] = "ok", ["r2"] = "good" }, answers["aspects"].Matrix);
        Assert.Equal(new Dictionary<string, int> { ["x"] = 6, ["y"] = 4, ["z"] = 0 }, answers["budget"].Allocation);
        Assert.All(submitted.Answers, a => Assert.Equal(1, new object?[] { a.Options, a.Number, a.Text, a.Matrix, a.Allocation }.Count(v => v is not null)));
    }

    [Fact]
    public async Task Answers_to_a_later_version_name_it_and_are_read_with_its_questions()
    {
        var (survey, token) = await host.InvitedAsync();
        var coordinator = host.As(Staff.Coordinator());
        var retitled = Samples.Survey();
        retitled["title"] = Samples.T("Home care survey 2");
        (await coordinator.PutAsync($"/api/surveys/{survey}", Samples.Json(retitled))).EnsureSuccessStatusCode();

        (await host.Public().PostJsonAsync(Submit, Request(token, Valid()))).EnsureSuccessStatusCode();
        await host.CloseAndMixAsync(survey);

        Assert.Equal(2, (await host.ResponsesAsync(survey)).Single().GetProperty("definitionVersion").GetInt32());
    }
}

/// <summary>
/// The mixer releases answers only in sets of at least k (the survey's minimum group size, 5 here): while open when
/// 2k wait, leaving k; at closing all that wait.
/// </summary>
public sealed class MixerBatchTests(MixerBatchTests.Host host) : IClassFixture<MixerBatchTests.Host>
{
    public sealed class Host : SurveysHost
    {
        // Below the survey's k of 5: the survey's own k rules.
        protected override void Configure(IDictionary<string, string?> settings) => settings["Surveys:MixerMinimumBatch"] = "3";
    }

    private Task<long> CountAsync(string table, Guid survey) =>
        host.Database.ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE survey_id = @p0", survey);

    /// <summary>How many answers each mixer transaction added to the survey's results (rows share their xmin).</summary>
    private async Task<List<long>> ReleasesAsync(Guid survey) =>
        [.. (await host.Database.ScalarAsync<string>(
            "SELECT coalesce(string_agg(n::text, ',' ORDER BY n), '') FROM (SELECT count(*) AS n FROM survey_responses WHERE survey_id = @p0 GROUP BY xmin::text) t",
            survey)).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse)];

    [Fact]
    public async Task A_release_goes_to_Reporting_in_messages_of_at_most_100_answer_sets_each_answer_set_once()
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        await host.ExecuteAsync("""
            INSERT INTO pending_responses (id, survey_id, definition_version, submitted_on, channel, profile, answers)
            SELECT gen_random_uuid(), @p0, 1, current_date, 'invitation', NULL, jsonb_build_object('nps', i % 11, 'visits', i)
            FROM generate_series(1, 250) AS i
            """, survey);

        await host.MixAsync();

        // 245 go in one transaction and k = 5 stay for the next release.
        var messages = await host.EventsAsync<ResponsesSubmitted>(survey);
        Assert.Equal(3, messages.Count);
        Assert.All(messages, m => Assert.InRange(m.GetProperty("responses").GetArrayLength(), 1, ResponsesSubmitted.MaxResponses));
        Assert.Equal((5, 245), (await CountAsync("pending_responses", survey), await CountAsync("survey_responses", survey)));

        await host.CloseAndMixAsync(survey);

        var visits = (await host.ResponsesAsync(survey))
            .Select(r => r.GetProperty("answers").EnumerateArray().Single(a => a.GetProperty("questionId").GetString() == "visits").GetProperty("number").GetInt32())
            .ToList();
        Assert.Equal(Enumerable.Range(1, 250), visits.Order());
        Assert.Equal((0, 250), (await CountAsync("pending_responses", survey), await CountAsync("survey_responses", survey)));
        Assert.Equal([5, 245], await ReleasesAsync(survey));
    }

    [Fact]
    public async Task Answers_wait_until_2k_do_and_then_k_stay_waiting_for_the_close()
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        var tokens = await host.InviteAsync(survey, 14);
        async Task AnswerAsync(IEnumerable<string> some)
        {
            foreach (var token in some)
            {
                (await host.Public().PostJsonAsync(Submit, Request(token, Valid()))).EnsureSuccessStatusCode();
            }
        }

        await AnswerAsync(tokens.Take(9));
        await host.MixAsync();
        Assert.Equal((9, 0), (await CountAsync("pending_responses", survey), await CountAsync("survey_responses", survey)));

        // The tenth makes 2k: five go together in one transaction, five stay.
        await AnswerAsync(tokens.Skip(9).Take(1));
        await host.MixAsync();
        Assert.Equal((5, 5), (await CountAsync("pending_responses", survey), await CountAsync("survey_responses", survey)));
        Assert.Equal([5], await ReleasesAsync(survey));
        Assert.Equal(5, (await host.ResponsesAsync(survey)).Count);

        // Four more make nine waiting, fewer than 2k: they wait; the close releases all nine together.
        await AnswerAsync(tokens.Skip(10));
        await host.MixAsync();
        Assert.Equal((9, 5), (await CountAsync("pending_responses", survey), await CountAsync("survey_responses", survey)));
        await host.CloseAndMixAsync(survey);
        Assert.Equal((0, 14), (await CountAsync("pending_responses", survey), await CountAsync("survey_responses", survey)));
        Assert.Equal([5, 9], await ReleasesAsync(survey));
    }

    /// <summary>
    /// Reporting shows open-link answers apart from the panel's, so each audience is released apart: a release of 2k
    /// in all made of 3 open-link answers would let the open-link results before and after it be subtracted.
    /// </summary>
    [Fact]
    public async Task The_panel_and_the_open_link_answers_are_released_apart_each_in_sets_of_k_or_more()
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        async Task WaitAsync(string channel, int count) => await host.ExecuteAsync($"""
            INSERT INTO pending_responses (id, survey_id, definition_version, submitted_on, channel, profile, answers)
            SELECT gen_random_uuid(), @p0, 1, current_date, '{channel}', NULL, jsonb_build_object('nps', i % 11)
            FROM generate_series(1, {count}) AS i
            """, survey);
        async Task<List<string>> ReleasedAsync() =>
            [.. (await host.Database.ScalarAsync<string>("""
                SELECT coalesce(string_agg(t.released, ',' ORDER BY t.released), '') FROM (
                    SELECT string_agg(DISTINCT CASE WHEN channel = 'open-link' THEN 'open-link' ELSE 'panel' END, '+') || ' ' || count(*) AS released
                    FROM survey_responses WHERE survey_id = @p0 GROUP BY xmin::text) t
                """, survey)).Split(',', StringSplitOptions.RemoveEmptyEntries)];

        // 14 wait in all, but neither audience has 2k = 10: nothing goes.
        await WaitAsync("invitation", 5);
        await WaitAsync("assisted", 3);
        await WaitAsync("open-link", 6);
        await host.MixAsync();
        Assert.Equal((14, 0), (await CountAsync("pending_responses", survey), await CountAsync("survey_responses", survey)));

        // The panel's 12: seven go, five stay; the open link's six all wait.
        await WaitAsync("signed-in", 4);
        await host.MixAsync();
        Assert.Equal(["panel 7"], await ReleasedAsync());

        // The close releases each audience apart: the panel's five, the open link's six.
        await host.CloseAndMixAsync(survey);
        Assert.Equal(["open-link 6", "panel 5", "panel 7"], await ReleasedAsync());
        Assert.Equal(0, await CountAsync("pending_responses", survey));
    }

    [Fact]
    public async Task An_answer_that_comes_after_the_closing_release_is_kept_waiting_not_released_alone()
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        var tokens = await host.InviteAsync(survey, 6);
        foreach (var token in tokens)
        {
            (await host.Public().PostJsonAsync(Submit, Request(token, Valid()))).EnsureSuccessStatusCode();
        }

        await host.CloseAndMixAsync(survey);
        Assert.Equal([6], await ReleasesAsync(survey));

        // As if a submit had raced the close and committed just after the closing release.
        await host.ExecuteAsync("""
            INSERT INTO pending_responses (id, survey_id, definition_version, submitted_on, channel, profile, answers)
            VALUES (gen_random_uuid(), @p0, 1, current_date, 'invitation', NULL, '{"nps": 3}')
            """, survey);
        Assert.Equal(0, await host.MixAsync());
        Assert.Equal((1, 6), (await CountAsync("pending_responses", survey), await CountAsync("survey_responses", survey)));
    }

    [Fact]
    public async Task A_survey_with_fewer_than_k_answers_in_all_releases_them_once_at_closing()
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        var tokens = await host.InviteAsync(survey, 2);
        foreach (var token in tokens)
        {
            (await host.Public().PostJsonAsync(Submit, Request(token, Valid()))).EnsureSuccessStatusCode();
        }

        Assert.Equal(0, await host.MixAsync());
        Assert.Equal(2, await host.CloseAndMixAsync(survey));
        Assert.Equal([2], await ReleasesAsync(survey));
    }
}

/// <summary>The mixer runs by itself at its interval.</summary>
public sealed class HostedMixerTests(HostedMixerTests.Host host) : IClassFixture<HostedMixerTests.Host>
{
    public sealed class Host : SurveysHost
    {
        protected override void Configure(IDictionary<string, string?> settings)
        {
            settings["Surveys:MixerEnabled"] = "true";
            settings["Surveys:MixerInterval"] = "00:05:00";
        }
    }

    [Fact]
    public async Task Pending_answers_reach_the_results_when_the_interval_has_passed()
    {
        var (survey, token) = await host.InvitedAsync();
        (await host.Public().PostJsonAsync(Submit, Request(token, Valid()))).EnsureSuccessStatusCode();
        // Alone, the answer waits for the close (ReleaseRule).
        (await host.As(Staff.Coordinator()).PostAsync($"/api/surveys/{survey}/close")).EnsureSuccessStatusCode();

        // Its first run is an interval after start; moving the clock past it lets it run now.
        host.Clock.Advance(TimeSpan.FromMinutes(6));

        await Eventually.UntilAsync(
            () => host.Database.ScalarAsync<long>("SELECT count(*) FROM survey_responses WHERE survey_id = @p0", survey),
            n => n == 1, TimeSpan.FromSeconds(20), "the mixer to move the answer");
        Assert.Single(await host.ResponsesAsync(survey));
    }
}
