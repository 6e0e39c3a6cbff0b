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
        Assert.True(await host.MixAsync() >= 1);

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
        await host.MixAsync();

        Assert.Equal(2, (await host.ResponsesAsync(survey)).Single().GetProperty("definitionVersion").GetInt32());
    }
}

/// <summary>The mixer waits for a batch of answers per survey before moving any, and moves the rest once the survey has closed.</summary>
public sealed class MixerBatchTests(MixerBatchTests.Host host) : IClassFixture<MixerBatchTests.Host>
{
    public sealed class Host : SurveysHost
    {
        protected override void Configure(IDictionary<string, string?> settings) => settings["Surveys:MixerMinimumBatch"] = "3";
    }

    private Task<long> CountAsync(string table, Guid survey) =>
        host.Database.ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE survey_id = @p0", survey);

    [Fact]
    public async Task A_batch_goes_to_Reporting_in_messages_of_at_most_100_answer_sets_each_answer_set_once()
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        await host.ExecuteAsync("""
            INSERT INTO pending_responses (id, survey_id, definition_version, submitted_on, channel, profile, answers)
            SELECT gen_random_uuid(), @p0, 1, current_date, 'invitation', NULL, jsonb_build_object('nps', i % 11, 'visits', i)
            FROM generate_series(1, 250) AS i
            """, survey);

        await host.MixAsync();

        var messages = await host.EventsAsync<ResponsesSubmitted>(survey);
        Assert.Equal(3, messages.Count);
        Assert.All(messages, m => Assert.InRange(m.GetProperty("responses").GetArrayLength(), 1, ResponsesSubmitted.MaxResponses));
        var visits = (await host.ResponsesAsync(survey))
            .Select(r => r.GetProperty("answers").EnumerateArray().Single(a => a.GetProperty("questionId").GetString() == "visits").GetProperty("number").GetInt32())
            .ToList();
        Assert.Equal(Enumerable.Range(1, 250), visits.Order());
        Assert.Equal((0, 250), (await CountAsync("pending_responses", survey), await CountAsync("survey_responses", survey)));
    }

    [Fact]
    public async Task Fewer_answers_than_a_batch_wait_and_a_batch_moves_together_in_one_transaction()
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        var tokens = await host.InviteAsync(survey, 4);
        foreach (var token in tokens.Take(2))
        {
            (await host.Public().PostJsonAsync(Submit, Request(token, Valid()))).EnsureSuccessStatusCode();
        }

        await host.MixAsync();
        Assert.Equal((2, 0), (await CountAsync("pending_responses", survey), await CountAsync("survey_responses", survey)));

        (await host.Public().PostJsonAsync(Submit, Request(tokens[2], Valid()))).EnsureSuccessStatusCode();
        await host.MixAsync();
        Assert.Equal((0, 3), (await CountAsync("pending_responses", survey), await CountAsync("survey_responses", survey)));
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(DISTINCT xmin::text) FROM survey_responses WHERE survey_id = @p0", survey));
        Assert.Equal(3, (await host.ResponsesAsync(survey)).Count);

        // The last one alone waits until the survey closes.
        (await host.Public().PostJsonAsync(Submit, Request(tokens[3], Valid()))).EnsureSuccessStatusCode();
        await host.MixAsync();
        Assert.Equal(1, await CountAsync("pending_responses", survey));
        (await host.As(Staff.Coordinator()).PostAsync($"/api/surveys/{survey}/close")).EnsureSuccessStatusCode();
        await host.MixAsync();
        Assert.Equal((0, 4), (await CountAsync("pending_responses", survey), await CountAsync("survey_responses", survey)));
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

        // Its first run is an interval after start; moving the clock past it lets it run now.
        host.Clock.Advance(TimeSpan.FromMinutes(6));

        await Eventually.UntilAsync(
            () => host.Database.ScalarAsync<long>("SELECT count(*) FROM survey_responses WHERE survey_id = @p0", survey),
            n => n == 1, TimeSpan.FromSeconds(20), "the mixer to move the answer");
        Assert.Single(await host.ResponsesAsync(survey));
    }
}
