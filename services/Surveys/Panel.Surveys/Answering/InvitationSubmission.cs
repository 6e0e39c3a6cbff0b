using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Panel.Contracts;
using Panel.Surveys.Data;
using Panel.Surveys.Definitions;

namespace Panel.Surveys.Answering;

/// <summary>
/// Stores a validated invitation answer in one statement, so an answer costs the database one round trip and one
/// commit: the survey is held against closing or revision (FOR KEY SHARE, only if it is still open in the version
/// the answers were checked against), the invitation is locked and marked answered (only if it was not),
/// the answer set goes to pending_responses (random id, the day only, the invitation's coarse profile, no link
/// to the invitation), a saved draft is deleted, and an answered notice (and an opened one, if the link had not
/// been opened) is left for the <see cref="Invitations.InvitationNoticeRelay"/>. Either all of it happens or none:
/// concurrent submits of one token queue on the invitation's lock and all but the first find it answered. The invitation is found by its token hash alone:
/// with its survey in the same condition, the planner may take the survey index of a survey whose statistics are
/// not yet gathered and read all of its invitations per answer (measured: 20 000 rows, 30 ms).
/// </summary>
public static class InvitationSubmission
{
    private const string Sql = """
        WITH s AS (
            SELECT id FROM surveys WHERE id = @survey AND state = 'Open' AND definition_version = @version FOR KEY SHARE),
        old AS (
            SELECT token_hash, survey_id, opened FROM invitations WHERE token_hash = @hash FOR UPDATE),
        i AS (
            UPDATE invitations t SET answered = true, opened = true FROM old
            WHERE t.token_hash = old.token_hash AND old.survey_id = @survey AND NOT t.answered AND EXISTS (SELECT 1 FROM s)
            RETURNING t.profile, old.opened AS was_opened),
        p AS (
            INSERT INTO pending_responses (id, survey_id, definition_version, submitted_on, channel, profile, answers)
            SELECT @id, @survey, @version, @day, @channel, i.profile, @answers FROM i),
        d AS (
            DELETE FROM answer_drafts WHERE key_hash = @hash AND EXISTS (SELECT 1 FROM i)),
        n AS (
            INSERT INTO invitation_notices (survey_id, token_hash, answered)
            SELECT @survey, @hash, v.answered FROM (VALUES (true), (false)) AS v(answered)
            CROSS JOIN i WHERE v.answered OR NOT i.was_opened)
        SELECT count(*) FROM i
        """;

    /// <summary>What the submit needs of an invitation (not its profile: the store copies that in SQL).</summary>
    public sealed record InvitationState(Guid SurveyId, bool Answered, string Language);

    /// <summary>Reads the invitation of a token hash without locks.</summary>
    public static async Task<InvitationState?> FindAsync(AnsweringDatabase database, string hash, CancellationToken ct)
    {
        await using var command = database.CreateCommand("SELECT survey_id, answered, language FROM invitations WHERE token_hash = @hash");
        command.Parameters.Add(new NpgsqlParameter("hash", NpgsqlDbType.Varchar) { Value = hash });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new InvitationState(reader.GetGuid(0), reader.GetBoolean(1), reader.GetString(2)) : null;
    }

    /// <summary>True when stored; false when nothing was (answered meanwhile, survey closed or revised: read again to tell which).</summary>
    public static async Task<bool> StoreAsync(
        AnsweringDatabase database, Survey survey, string hash, string channel, IReadOnlyDictionary<string, JsonElement> answers,
        TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var command = database.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter("survey", NpgsqlDbType.Uuid) { Value = survey.Id });
        command.Parameters.Add(new NpgsqlParameter("version", NpgsqlDbType.Integer) { Value = survey.DefinitionVersion });
        command.Parameters.Add(new NpgsqlParameter("hash", NpgsqlDbType.Varchar) { Value = hash });
        command.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Uuid) { Value = Guid.NewGuid() }); // random (v4): says nothing of when
        command.Parameters.Add(new NpgsqlParameter("day", NpgsqlDbType.Date) { Value = Submissions.Day(now) });
        command.Parameters.Add(new NpgsqlParameter("channel", NpgsqlDbType.Varchar) { Value = channel });
        command.Parameters.Add(new NpgsqlParameter("answers", NpgsqlDbType.Jsonb)
        {
            Value = DefinitionJson.Serialize(AnswerSets.Masked(survey.Definition, answers)),
        });
        return (long)(await command.ExecuteScalarAsync(ct))! == 1;
    }
}
