using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Panel.Contracts;
using Panel.Messaging;
using Panel.Privacy;
using Panel.Surveys.Answering;
using Panel.ServiceDefaults;
using Panel.Surveys.Data;
using Panel.Surveys.Definitions;

namespace Panel.Surveys.Responses;

/// <summary>
/// Moves submitted answers from pending_responses into survey_responses as <see cref="ReleaseRule"/> allows, for each
/// audience of the results apart (open-link answers, and every other channel: the panel), as Reporting shows them
/// apart: while a survey is open only when at least 2k of the audience wait, leaving k waiting; once it has closed,
/// all that wait. So every release adds at least k answers to its audience's results (but the first and only one of an
/// audience with fewer than k answers in all), and no two snapshots of the results, in all or of one audience, can be
/// subtracted to isolate fewer than k residents. A release is chosen at
/// random among the waiting answers, shuffled, given new random ids, moved in a transaction of its own, and added to
/// the outbox there as ResponsesSubmitted (in the shuffled order, up to <see cref="ResponsesSubmitted.MaxResponses"/>
/// a message). So an answer shares no transaction (xmin), key, moment or order with the invitation marked answered
/// when it came. One transaction at a time works on a survey's answers (a transaction-scoped advisory lock, also
/// taken by the <see cref="PendingAnswerSettler"/>), so replicas share the work by survey and the count a release is
/// decided on is the count it moves from. Each release's profiles are recoded first (<see cref="StoredProfiles"/>), so
/// that every combination of profile values stored with the survey's answers, and sent to Reporting, is shared by at
/// least the survey's k answers. Also deletes the drafts of closed surveys, which hold unmasked free text.
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

    private sealed record Waiting(Guid SurveyId, int Pending, string State, int MinimumGroupSize);

    private sealed record Standing(SurveyState State, int MinimumGroupSize, bool Released);

    /// <summary>Moves every batch that is due; returns how many answers it moved.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        List<Waiting> waiting;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SurveysDbContext>();
            // Surveys with answers waiting, and closed ones not yet final (whose last answers may be in flight).
            string[] closedStates = [nameof(SurveyState.Closed), nameof(SurveyState.ResultsPublished)];
            waiting = await db.Database.SqlQuery<Waiting>($"""
                SELECT s.id AS survey_id, (SELECT count(*)::int FROM pending_responses p WHERE p.survey_id = s.id) AS pending,
                    s.state, s.minimum_group_size
                FROM surveys s
                WHERE s.id IN (SELECT survey_id FROM pending_responses)
                    OR (s.state = ANY ({closedStates}) AND s.answers_final_at IS NULL)
                """).ToListAsync(ct);
        }

        var moved = 0;
        foreach (var survey in waiting)
        {
            if (survey.State == nameof(SurveyState.Open) && survey.Pending < 2 * ReleaseRule.K(survey.MinimumGroupSize, o.MixerMinimumBatch))
            {
                continue; // nothing to release yet (decided again, under the lock, for the others)
            }

            foreach (var openLink in Audiences)
            {
                int batch;
                do
                {
                    batch = await MoveBatchAsync(survey.SurveyId, openLink, ct);
                    moved += batch;
                }
                while (batch > 0);
            }

            if (survey.State is nameof(SurveyState.Closed) or nameof(SurveyState.ResultsPublished))
            {
                await FinalizeAsync(survey.SurveyId, ct);
            }
        }

        if (moved > 0)
        {
            await PendingAnswerSettler.VacuumAsync(scopes, ct);
        }

        var drafts = await DeleteClosedDraftsAsync(ct);
        if (moved + drafts > 0)
        {
            LogMoved(Logger, moved, waiting.Count, drafts);
        }

        return moved;
    }

    /// <summary>The audiences released apart: the panel (every channel but the open link), then the open link.</summary>
    private static readonly bool[] Audiences = [false, true];

    /// <summary>
    /// Releases what <see cref="ReleaseRule"/> allows now of one audience's answers, in one transaction; returns how many
    /// it moved (0: none).
    /// </summary>
    private async Task<int> MoveBatchAsync(Guid surveyId, bool openLink, CancellationToken ct)
    {
        var o = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SurveysDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await PendingAnswerSettler.TryLockAsync(db, surveyId, ct))
        {
            return 0; // another replica (or the settler) works on this survey's answers now
        }

        // Read after the lock, in this transaction: a close committed meanwhile is seen, and no other release of
        // the survey can commit between this count and this release.
        var standing = await db.Surveys.AsNoTracking().Where(s => s.Id == surveyId)
            .Select(s => new Standing(s.State, s.MinimumGroupSize,
                db.Responses.Any(r => r.SurveyId == surveyId && (r.Channel == ResponseChannels.OpenLink) == openLink))).SingleAsync(ct);
        var closed = standing.State is SurveyState.Closed or SurveyState.ResultsPublished;
        if (closed)
        {
            // An answer whose statement held the survey (FOR KEY SHARE) when the close committed still commits just
            // after it (the close does not wait for answers in flight, see SurveyClock). Were it to commit after the
            // closing release it would wait alone for ever, being fewer than k. FOR UPDATE waits for every such
            // holder; once it has the row no answer can be added (a survey seen closed takes none), so this release
            // takes every last answer.
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM surveys WHERE id = {surveyId} FOR UPDATE", ct);
        }

        var waiting = await db.PendingResponses.CountAsync(p => p.SurveyId == surveyId && (p.Channel == ResponseChannels.OpenLink) == openLink, ct);
        var k = ReleaseRule.K(standing.MinimumGroupSize, o.MixerMinimumBatch);
        var release = ReleaseRule.Release(waiting, k, closed, standing.Released, ReleaseRule.BatchSize(o.MixerBatchSize, k));
        if (release == 0)
        {
            return 0;
        }

        // Which ones go is random, so the answers left waiting are not the latest. Answers that arrive meanwhile
        // are not counted and simply wait.
        var pending = await db.PendingResponses.FromSql($"""
            SELECT * FROM pending_responses WHERE survey_id = {surveyId} AND (channel = {ResponseChannels.OpenLink}) = {openLink}
            ORDER BY random() LIMIT {release} FOR UPDATE
            """).AsNoTracking().ToListAsync(ct);
        if (pending.Count != release)
        {
            throw new InvalidOperationException($"Claimed {pending.Count} of the {release} answers counted for survey {surveyId}.");
        }

        var versions = pending.Select(p => p.DefinitionVersion).Distinct().ToList();
        var definitions = await db.SurveyVersions.AsNoTracking()
            .Where(v => v.SurveyId == surveyId && versions.Contains(v.Version))
            .ToDictionaryAsync(v => v.Version, v => v.Definition, ct);
        var current = await db.Surveys.AsNoTracking().Where(s => s.Id == surveyId)
            .Select(s => new { s.DefinitionVersion, s.Definition, s.MinimumGroupSize }).SingleAsync(ct);

        random.Shuffle(pending);
        // Stored and told to Reporting recoded, so that every stored combination of profile values is shared by k.
        var profileK = current.MinimumGroupSize >= DefinitionValidator.LowestMinimumGroupSize ? current.MinimumGroupSize : o.DefaultMinimumGroupSize;
        var profiles = await StoredProfiles.RecodeAsync(db, surveyId, profileK, pending.ConvertAll(p => p.Profile), ct);
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

    /// <summary>
    /// Tells Reporting that a closed survey's answers are all in (<see cref="SurveyAnswersFinalized"/>), once nothing
    /// more of it can ever be released: under the survey's lock, after FOR UPDATE (which waits for answers in flight
    /// at the close and after which none can be added), with nothing left that <see cref="ReleaseRule"/> would
    /// release. Reporting shows breakdowns by profile only from then on.
    /// </summary>
    private async Task FinalizeAsync(Guid surveyId, CancellationToken ct)
    {
        var o = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SurveysDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await PendingAnswerSettler.TryLockAsync(db, surveyId, ct))
        {
            return; // the next run finishes it
        }

        var survey = await db.Surveys.FromSql($"SELECT * FROM surveys WHERE id = {surveyId} FOR UPDATE").SingleAsync(ct);
        if (survey.AnswersFinalAt is not null || survey.State is not (SurveyState.Closed or SurveyState.ResultsPublished))
        {
            return;
        }

        var k = ReleaseRule.K(survey.MinimumGroupSize, o.MixerMinimumBatch);
        foreach (var openLink in Audiences)
        {
            var waiting = await db.PendingResponses.CountAsync(p => p.SurveyId == surveyId && (p.Channel == ResponseChannels.OpenLink) == openLink, ct);
            var before = await db.Responses.AnyAsync(r => r.SurveyId == surveyId && (r.Channel == ResponseChannels.OpenLink) == openLink, ct);
            if (ReleaseRule.Release(waiting, k, closed: true, before, ReleaseRule.BatchSize(o.MixerBatchSize, k)) > 0)
            {
                return; // answers still to release: the next run releases them first
            }
        }

        var released = await db.Responses.CountAsync(r => r.SurveyId == surveyId, ct);

        survey.AnswersFinalAt = Time.GetUtcNow();
        db.AddEvent(new SurveyAnswersFinalized(surveyId, released, survey.AnswersFinalAt.Value), Time);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
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
