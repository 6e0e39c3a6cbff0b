using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Panel.ServiceDefaults;
using Panel.Surveys.Data;

namespace Panel.Surveys.Responses;

/// <summary>
/// Rewrites the waiting answers of every survey that has new ones, all of them, in a transaction of its own and in
/// random order under new random ids, then vacuums the tables. An answer is stored in the statement that marks its
/// invitation answered (one transaction, so nothing acknowledged is lost and an invitation takes one answer), so
/// for a moment the pending answer and the invitation share a transaction id (xmin) that a database administrator
/// could read. Within <see cref="SurveysOptions.SettleInterval"/> the answer is rewritten: then all of a survey's
/// waiting answers carry the one transaction id of the latest rewrite, lie in no order of arrival and have ids
/// never seen before, and VACUUM drops the old row versions (which a reader of the data files would otherwise
/// find). Nothing is added to the answer path: this is one statement per survey and second.
/// </summary>
public sealed partial class PendingAnswerSettler(
    IServiceScopeFactory scopes,
    IOptions<SurveysOptions> options,
    TimeProvider time,
    ILogger<PendingAnswerSettler> logger) : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => options.Value.SettleInterval;

    protected override Task TickAsync(CancellationToken ct) => RunOnceAsync(ct);

    /// <summary>Rewrites the waiting answers of every survey with new ones; returns how many answers it rewrote.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        List<Guid> surveys;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SurveysDbContext>();
            surveys = await db.PendingResponses.Where(p => !p.Settled).Select(p => p.SurveyId).Distinct().ToListAsync(ct);
        }

        var rewritten = 0;
        foreach (var survey in surveys)
        {
            rewritten += await SettleAsync(survey, ct);
        }

        if (rewritten > 0)
        {
            await VacuumAsync(scopes, ct);
            LogSettled(Logger, rewritten, surveys.Count);
        }

        return rewritten;
    }

    private async Task<int> SettleAsync(Guid surveyId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SurveysDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await TryLockAsync(db, surveyId, ct))
        {
            return 0; // the mixer works on them now (it moves them in a transaction of its own); next time
        }

        // All of the survey's waiting answers, not only the new ones: rewriting only the new ones would give each
        // rewrite's few answers a transaction id of their own, which orders them among the invitations answered.
        var rewritten = await db.Database.ExecuteSqlAsync($"""
            WITH old AS (DELETE FROM pending_responses WHERE survey_id = {surveyId} RETURNING *)
            INSERT INTO pending_responses (id, survey_id, definition_version, submitted_on, channel, profile, answers, settled)
            SELECT gen_random_uuid(), survey_id, definition_version, submitted_on, channel, profile, answers, true
            FROM old ORDER BY random()
            """, ct);
        await tx.CommitAsync(ct);
        return rewritten;
    }

    /// <summary>
    /// Holds a survey's waiting answers for this transaction (a transaction-scoped advisory lock): the mixer and the
    /// settler, of any replica, never work on one survey's answers at once. False when another holds it.
    /// </summary>
    public static async Task<bool> TryLockAsync(SurveysDbContext db, Guid surveyId, CancellationToken ct) =>
        await db.Database.SqlQuery<bool>($"""
            SELECT pg_try_advisory_xact_lock(hashtextextended('pending_responses:' || {surveyId}::text, 0)) AS "Value"
            """).SingleAsync(ct);

    /// <summary>
    /// Drops the dead row versions left by answering, rewriting and mixing: a pending answer's first version (the
    /// answering transaction's xmin) and a deleted draft (its token hash) are otherwise readable in the data files
    /// until autovacuum comes. VACUUM cannot remove versions an older open transaction may still see; those go at
    /// the next run or autovacuum. Outside any transaction, as VACUUM must be.
    /// </summary>
    public static async Task VacuumAsync(IServiceScopeFactory scopes, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SurveysDbContext>();
        await db.Database.ExecuteSqlRawAsync("VACUUM (SKIP_LOCKED) pending_responses, answer_drafts, invitation_notices", ct);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pending answer settler rewrote {Count} waiting answers of {Surveys} surveys")]
    private static partial void LogSettled(ILogger logger, int count, int surveys);
}
