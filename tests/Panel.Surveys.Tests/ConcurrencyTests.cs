using System.Net;
using Npgsql;
using Panel.Contracts;
using Panel.TestSupport;
using static Panel.Surveys.Tests.Answering;

namespace Panel.Surveys.Tests;

/// <summary>One answer per invitation, also when the same link is submitted many times at once (a double click, a retrying proxy).</summary>
public sealed class ConcurrencyTests(SurveysHost host) : IClassFixture<SurveysHost>
{
    [Fact]
    public async Task Fifty_concurrent_submits_of_one_invitation_store_exactly_one_answer()
    {
        var (survey, token) = await host.InvitedAsync();
        var body = Request(token, Valid());
        using var start = new SemaphoreSlim(0);
        var clients = Enumerable.Range(0, 50).Select(_ => host.Public()).ToList();

        var calls = clients.Select(async client =>
        {
            await start.WaitAsync();
            using var response = await client.PostJsonAsync(Submit, body.DeepClone());
            return response.StatusCode;
        }).ToList();
        start.Release(50);
        var statuses = await Task.WhenAll(calls);

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(49, statuses.Count(s => s == HttpStatusCode.Gone));
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0", survey));
        await host.NoticesAsync(survey);
        var progressed = Assert.Single(await host.EventsAsync<InvitationsProgressed>(survey));
        Assert.Single(progressed.GetProperty("answered").EnumerateArray());
        Assert.Single(progressed.GetProperty("opened").EnumerateArray());

        await host.CloseAndMixAsync(survey);
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM survey_responses WHERE survey_id = @p0", survey));
        Assert.Single(await host.ResponsesAsync(survey));
    }

    [Fact]
    public async Task Fifty_invitations_answered_at_once_are_all_stored()
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        var tokens = await host.InviteAsync(survey, 50);

        var statuses = await Task.WhenAll(tokens.Select(async token =>
        {
            using var response = await host.Public().PostJsonAsync(Submit, Request(token, Valid()));
            return response.StatusCode;
        }));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(50, await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0", survey));
        Assert.Equal(50, await host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE survey_id = @p0 AND answered", survey));
    }

    [Fact]
    public async Task An_answer_in_flight_when_the_clock_closes_the_survey_goes_out_with_the_closing_release()
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        await host.ExecuteAsync("""
            INSERT INTO pending_responses (id, survey_id, definition_version, submitted_on, channel, profile, answers)
            SELECT gen_random_uuid(), @p0, 1, current_date, 'assisted', NULL, jsonb_build_object('nps', i % 11)
            FROM generate_series(1, 12) AS i
            """, survey);
        await host.MixAsync(); // 7 released, 5 wait for the close

        // An answer's statement holds the open survey as a submit does, and commits only after the close.
        await using var connection = new NpgsqlConnection(host.Database.ConnectionString);
        await connection.OpenAsync();
        await using var inFlight = await connection.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("SELECT id FROM surveys WHERE id = @id AND state = 'Open' FOR KEY SHARE", connection, inFlight))
        {
            hold.Parameters.AddWithValue("id", survey);
            Assert.NotNull(await hold.ExecuteScalarAsync());
        }

        await using (var insert = new NpgsqlCommand("""
            INSERT INTO pending_responses (id, survey_id, definition_version, submitted_on, channel, profile, answers)
            VALUES (gen_random_uuid(), @id, 1, current_date, 'assisted', NULL, '{"nps": 9}')
            """, connection, inFlight))
        {
            insert.Parameters.AddWithValue("id", survey);
            await insert.ExecuteNonQueryAsync();
        }

        host.Clock.Advance(TimeSpan.FromDays(15));
        await host.RunClockAsync();
        await Eventually.UntilAsync(() => host.StateAsync(survey), s => s == "Closed", TimeSpan.FromSeconds(10), "the survey to close");
        // The closing release starts while the answer is still in flight (it waits for the answer's lock on the survey,
        // unless it does not wait at all), which then commits.
        var closingRelease = host.MixAsync();
        await Eventually.UntilAsync(
            () => host.Database.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"),
            n => n > 0 || closingRelease.IsCompleted, TimeSpan.FromSeconds(10), "the closing release to wait for the answer in flight");
        await inFlight.CommitAsync();
        await closingRelease;
        await host.MixAsync();

        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0", survey));
        Assert.Equal(13, (await host.ResponsesAsync(survey)).Count);
        // Reporting is told once that all 13 are in, and only now (it shows breakdowns from then on).
        var final = Assert.Single(await host.EventsAsync<Panel.Contracts.SurveyAnswersFinalized>(survey));
        Assert.Equal(13, final.GetProperty("responses").GetInt32());
    }

    [Fact]
    public async Task A_survey_closed_with_nothing_waiting_is_told_final_once_with_its_count()
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        await host.ExecuteAsync("""
            INSERT INTO pending_responses (id, survey_id, definition_version, submitted_on, channel, profile, answers)
            SELECT gen_random_uuid(), @p0, 1, current_date, 'assisted', NULL, jsonb_build_object('nps', i % 11)
            FROM generate_series(1, 10) AS i
            """, survey);
        await host.MixAsync(); // 5 released, 5 wait
        Assert.Empty(await host.EventsAsync<Panel.Contracts.SurveyAnswersFinalized>(survey));

        await host.CloseAndMixAsync(survey);
        await host.MixAsync();
        await host.MixAsync();

        var final = Assert.Single(await host.EventsAsync<Panel.Contracts.SurveyAnswersFinalized>(survey));
        Assert.Equal(10, final.GetProperty("responses").GetInt32());
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM surveys WHERE id = @p0 AND answers_final_at IS NOT NULL", survey));
    }

    [Fact]
    public async Task The_clock_closes_a_survey_on_time_while_an_answer_is_being_submitted()
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        await using var connection = new NpgsqlConnection(host.Database.ConnectionString);
        await connection.OpenAsync();
        await using var inFlight = await connection.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("SELECT 1 FROM surveys WHERE id = @id FOR KEY SHARE", connection, inFlight))
        {
            hold.Parameters.AddWithValue("id", survey);
            await hold.ExecuteScalarAsync();
        }

        host.Clock.Advance(TimeSpan.FromDays(15));
        await host.RunClockAsync();

        // The run by hand, or the host's own clock woken by the same move of time (which then holds the row
        // and makes the run by hand skip it), closes the survey while the answer still holds its share lock.
        var state = await Eventually.UntilAsync(() => host.StateAsync(survey), s => s == "Closed", TimeSpan.FromSeconds(10),
            "the survey to close while an answer holds it");
        Assert.Equal("Closed", state);
        await inFlight.RollbackAsync();
    }
}
