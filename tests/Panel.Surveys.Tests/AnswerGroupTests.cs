using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Panel.Surveys.Answering;
using Panel.Surveys.Data;
using Panel.Surveys.Definitions;
using Panel.TestSupport;
using static Panel.Surveys.Tests.Answering;

namespace Panel.Surveys.Tests;

/// <summary>
/// Group commit of invitation answers: one statement stores a group of answers, each only where it may, and the
/// answers that wait while a group is written are stored together, at most one per invitation.
/// </summary>
public sealed class AnswerGroupTests(SurveysHost host) : IClassFixture<SurveysHost>
{
    [Fact]
    public async Task One_statement_stores_each_answer_of_a_group_only_where_it_may()
    {
        var open = await host.SurveyInStateAsync(Staff.Author(), "open");
        var other = await host.SurveyInStateAsync(Staff.Author(), "open");
        var closing = await host.SurveyInStateAsync(Staff.Author(), "open");
        var tokens = await host.InviteAsync(open, 2);
        var otherToken = (await host.InviteAsync(other)).Single();
        var closedToken = (await host.InviteAsync(closing)).Single();
        using (var close = await host.As(Staff.Coordinator()).PostAsync($"/api/surveys/{closing}/close"))
        {
            Assert.True(close.IsSuccessStatusCode);
        }

        var version = await host.VersionAsync(open);
        var valid = Answer(tokens[0], open, version);
        var group = new[]
        {
            valid,
            Answer(tokens[1], open, version + 1), // checked against a version that is not the survey's
            Answer(otherToken, open, version), // the invitation is another survey's
            Answer(closedToken, closing, await host.VersionAsync(closing)), // closed
            Answer(NewToken(), open, version), // no such invitation
        };

        var stored = await InvitationSubmission.StoreAsync(host.Services.GetRequiredService<AnsweringDatabase>(), group, CancellationToken.None);

        Assert.Equal([valid.Id], stored);
        var surveys = new[] { open, other, closing };
        Assert.Equal(valid.Id, await host.Database.ScalarAsync<Guid>("SELECT id FROM pending_responses WHERE survey_id = ANY(@p0)", [surveys]));
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = ANY(@p0)", [surveys]));
        Assert.Equal(valid.Hash, await host.Database.ScalarAsync<string>("SELECT string_agg(token_hash, ',') FROM invitations WHERE survey_id = ANY(@p0) AND answered", [surveys]));
        Assert.Equal("answered,opened", await host.Database.ScalarAsync<string>(
            "SELECT string_agg(CASE WHEN answered THEN 'answered' ELSE 'opened' END, ',' ORDER BY answered DESC) FROM invitation_notices WHERE token_hash = ANY(@p0)",
            [group.Select(a => a.Hash).ToArray()]));
    }

    [Fact]
    public async Task Answers_waiting_while_a_group_is_written_are_stored_together_and_only_one_per_invitation()
    {
        var surveyId = await host.SurveyInStateAsync(Staff.Author(), "open");
        var tokens = await host.InviteAsync(surveyId, 3);
        Survey survey;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            survey = await scope.ServiceProvider.GetRequiredService<SurveysDbContext>().Surveys.AsNoTracking().SingleAsync(s => s.Id == surveyId);
        }

        var answers = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Valid().ToJsonString())!;
        await using var groups = new InvitationAnswers(
            host.Services.GetRequiredService<AnsweringDatabase>(), Options.Create(new SurveysOptions { AnswerGroupWorkers = 1 }), NullLogger<InvitationAnswers>.Instance);

        // The one writer is held inside its first group: another transaction has the invitation of that answer locked.
        await using var connection = new NpgsqlConnection(host.Database.ConnectionString);
        await connection.OpenAsync();
        var holder = await connection.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("SELECT 1 FROM invitations WHERE token_hash = @hash FOR UPDATE", connection, holder))
        {
            hold.Parameters.AddWithValue("hash", Hash(tokens[0]));
            await hold.ExecuteScalarAsync();
        }

        var first = groups.StoreAsync(survey, Hash(tokens[0]), "invitation", answers, TimeProvider.System);
        await Eventually.UntilAsync(
            () => host.Database.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"),
            n => n == 1, TimeSpan.FromSeconds(10), "the first group to wait for the invitation's lock");

        var second = groups.StoreAsync(survey, Hash(tokens[1]), "invitation", answers, TimeProvider.System);
        var twice = new[]
        {
            groups.StoreAsync(survey, Hash(tokens[2]), "invitation", answers, TimeProvider.System),
            groups.StoreAsync(survey, Hash(tokens[2]), "invitation", answers, TimeProvider.System),
        };
        await Task.Delay(200);
        Assert.False(first.IsCompleted || second.IsCompleted || twice.Any(t => t.IsCompleted), "answered before the group committed");
        await holder.RollbackAsync();

        Assert.True(await first);
        Assert.True(await second);
        var results = await Task.WhenAll(twice);
        Assert.Equal(1, results.Count(stored => stored));
        Assert.Equal(3, await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0", surveyId));
        Assert.Equal(3, await host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE survey_id = @p0 AND answered", surveyId));
    }

    private static InvitationSubmission.Answer Answer(string token, Guid survey, int version) =>
        new(Hash(token), survey, version, Guid.NewGuid(), DateOnly.FromDateTime(DateTime.UtcNow), "invitation", """{"nps":9}""");
}
