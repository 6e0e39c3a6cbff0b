using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Panel.Contracts;
using Panel.Messaging;
using Panel.Surveys.Answering;
using Panel.ServiceDefaults;
using Panel.Surveys.Data;
using Panel.Surveys.Definitions;

namespace Panel.Surveys.Responses;

/// <summary>
/// Moves submitted answers from pending_responses into survey_responses, in batches of at least
/// <see cref="SurveysOptions.MixerMinimumBatch"/> per survey (all that remain once it has closed), shuffled, with
/// new random ids, in a transaction of their own, and adds them to the outbox there as ResponsesSubmitted (in the
/// shuffled order, up to <see cref="ResponsesSubmitted.MaxResponses"/> a message). So an
/// answer shares no transaction (xmin), key, moment or order with the invitation marked answered when it came.
/// Each batch's profiles are recoded first (<see cref="StoredProfiles"/>), so that every combination of profile values
/// stored with the survey's answers, and sent to Reporting, is shared by at least the survey's k answers.
/// Rows are claimed with FOR UPDATE SKIP LOCKED, so replicas can share the work. Also deletes the drafts of
/// closed surveys, which hold unmasked free text.
/// </summary>
public sealed partial class ResponseMixer(
    IServiceScopeFactory scopes,
    IOptions<SurveysOptions> options,
    AnswerRandom random,
    TimeProvider time,
    ILogger<ResponseMixer> logger) : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => options.Value.MixerInterval;

    protected override Task TickAsync(CancellationToken ct) => RunOnceAsync(ct);

    private sealed record Waiting(Guid SurveyId, int Pending, string State);

    /// <summary>Moves every batch that is due; returns how many answers it moved.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        List<Waiting> waiting;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SurveysDbContext>();
            waiting = await db.Database.SqlQuery<Waiting>($"""
                SELECT p.survey_id, count(*)::int AS pending, s.state
                FROM pending_responses p JOIN surveys s ON s.id = p.survey_id
                GROUP BY p.survey_id, s.state
                """).ToListAsync(ct);
        }

        var moved = 0;
        foreach (var survey in waiting)
        {
            var open = survey.State == nameof(SurveyState.Open);
            if (open && survey.Pending < o.MixerMinimumBatch)
            {
                continue;
            }

            int batch;
            do
            {
                batch = await MoveBatchAsync(survey.SurveyId, open ? o.MixerMinimumBatch : 1, o.MixerBatchSize, ct);
                moved += batch;
            }
            while (batch == o.MixerBatchSize);
        }

        var drafts = await DeleteClosedDraftsAsync(ct);
        if (moved + drafts > 0)
        {
            LogMoved(Logger, moved, waiting.Count, drafts);
        }

        return moved;
    }

    private async Task<int> MoveBatchAsync(Guid surveyId, int atLeast, int atMost, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SurveysDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var pending = await db.PendingResponses.FromSql($"""
            SELECT * FROM pending_responses WHERE survey_id = {surveyId} LIMIT {atMost} FOR UPDATE SKIP LOCKED
            """).AsNoTracking().ToListAsync(ct);
        if (pending.Count < atLeast || pending.Count == 0)
        {
            // Another replica holds some of them; fewer than a batch must not leave alone.
            return 0;
        }

        var versions = pending.Select(p => p.DefinitionVersion).Distinct().ToList();
        var definitions = await db.SurveyVersions.AsNoTracking()
            .Where(v => v.SurveyId == surveyId && versions.Contains(v.Version))
            .ToDictionaryAsync(v => v.Version, v => v.Definition, ct);
        var current = await db.Surveys.AsNoTracking().Where(s => s.Id == surveyId)
            .Select(s => new { s.DefinitionVersion, s.Definition, s.MinimumGroupSize }).SingleAsync(ct);

        random.Shuffle(pending);
        // Stored and told to Reporting recoded, so that every stored combination of profile values is shared by k.
        var k = current.MinimumGroupSize >= DefinitionValidator.LowestMinimumGroupSize ? current.MinimumGroupSize : options.Value.DefaultMinimumGroupSize;
        var profiles = await StoredProfiles.RecodeAsync(db, surveyId, k, pending.ConvertAll(p => p.Profile), ct);
        var submitted = new List<ResponseSubmitted>(pending.Count);
        foreach (var (answer, profile) in pending.Zip(profiles))
        {
            var definition = definitions.GetValueOrDefault(answer.DefinitionVersion)
                ?? (answer.DefinitionVersion == current.DefinitionVersion ? current.Definition : null)
                ?? throw new InvalidOperationException($"Survey {surveyId} has no version {answer.DefinitionVersion}.");
            submitted.Add(new ResponseSubmitted(surveyId, answer.DefinitionVersion, answer.SubmittedOn, answer.Channel, profile,
                AnswerSets.Snapshots(definition, answer.Answers)));
        }

        // One statement moves the batch: deleted from pending_responses and inserted into survey_responses in the
        // shuffled order, each under a new random id.
        var pendingIds = pending.ConvertAll(p => p.Id).ToArray();
        var newIds = pending.ConvertAll(_ => Guid.NewGuid()).ToArray();
        var recoded = profiles.Select(p => p is null ? null : DefinitionJson.Serialize(p)).ToArray();
        var moved = await db.Database.ExecuteSqlAsync($"""
            WITH moved AS (DELETE FROM pending_responses WHERE id = ANY({pendingIds}) RETURNING *)
            INSERT INTO survey_responses (id, survey_id, definition_version, submitted_on, channel, profile, answers)
            SELECT u.new_id, m.survey_id, m.definition_version, m.submitted_on, m.channel, u.profile::jsonb, m.answers
            FROM unnest({pendingIds}, {newIds}, {recoded}) WITH ORDINALITY AS u(pending_id, new_id, profile, n) JOIN moved m ON m.id = u.pending_id
            ORDER BY u.n
            """, ct);
        if (moved != pending.Count)
        {
            throw new InvalidOperationException($"Moved {moved} of the {pending.Count} answers claimed for survey {surveyId}.");
        }

        foreach (var chunk in submitted.Chunk(ResponsesSubmitted.MaxResponses))
        {
            db.AddEvent(new ResponsesSubmitted(surveyId, chunk), Time);
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return pending.Count;
    }

    private async Task<int> DeleteClosedDraftsAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SurveysDbContext>();
        string[] closed = [nameof(SurveyState.Closed), nameof(SurveyState.ResultsPublished)];
        return await db.Database.ExecuteSqlAsync(
            $"DELETE FROM answer_drafts d USING surveys s WHERE s.id = d.survey_id AND s.state = ANY ({closed})", ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Response mixer moved {Moved} answers ({Surveys} surveys had answers waiting) and deleted {Drafts} drafts of closed surveys")]
    private static partial void LogMoved(ILogger logger, int moved, int surveys, int drafts);
}
