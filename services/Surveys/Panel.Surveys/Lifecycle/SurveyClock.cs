using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Panel.ServiceDefaults;
using Panel.Contracts;
using Panel.Messaging;
using Panel.Surveys.Data;
using Panel.Surveys.Definitions;

namespace Panel.Surveys.Lifecycle;

/// <summary>
/// Opens approved surveys at their opening time and closes open ones at their closing time (a survey
/// whose whole window passed while the service was down opens and closes in one run, so both events
/// are told). Rows are claimed with FOR NO KEY UPDATE SKIP LOCKED, so replicas can share the work; that lock does
/// not wait for nor skip a survey held by answers being submitted (FOR KEY SHARE), so a busy survey still closes
/// on time (an answer in flight at that moment commits just after).
/// </summary>
public sealed partial class SurveyClock(
    IServiceScopeFactory scopes,
    IOptions<SurveysOptions> options,
    TimeProvider time,
    ILogger<SurveyClock> logger) : PeriodicJob(time, logger)
{
    private const int BatchSize = 100;

    protected override bool RunsAtStart => true;

    protected override TimeSpan Interval => options.Value.ScheduleCheckInterval;

    protected override Task TickAsync(CancellationToken ct) => RunOnceAsync(ct);

    /// <summary>Opens and closes every survey that is due now; returns how many it opened and closed.</summary>
    public async Task<(int Opened, int Closed)> RunOnceAsync(CancellationToken ct)
    {
        int opened = 0, closed = 0, batch;
        do
        {
            batch = await TransitionAsync(SurveyState.Approved, ct);
            opened += batch;
        }
        while (batch == BatchSize);

        do
        {
            batch = await TransitionAsync(SurveyState.Open, ct);
            closed += batch;
        }
        while (batch == BatchSize);

        if (opened + closed > 0)
        {
            LogTransitions(Logger, opened, closed);
        }

        return (opened, closed);
    }

    private async Task<int> TransitionAsync(SurveyState from, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SurveysDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = Time.GetUtcNow();
        var state = from.ToString();
        var due = from == SurveyState.Approved
            ? await db.Surveys.FromSql($"""
                SELECT * FROM surveys WHERE state = {state} AND opens_at <= {now}
                ORDER BY opens_at, id LIMIT {BatchSize} FOR NO KEY UPDATE SKIP LOCKED
                """).ToListAsync(ct)
            : await db.Surveys.FromSql($"""
                SELECT * FROM surveys WHERE state = {state} AND closes_at <= {now}
                ORDER BY closes_at, id LIMIT {BatchSize} FOR NO KEY UPDATE SKIP LOCKED
                """).ToListAsync(ct);
        foreach (var survey in due)
        {
            if (from == SurveyState.Approved)
            {
                Open(db, survey, now, Time);
            }
            else
            {
                await CloseAsync(db, survey, now, Time, closedBy: null, ct);
            }
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return due.Count;
    }

    /// <summary>Approved → Open, telling Membership to invite and Reporting to expect answers.</summary>
    public static void Open(SurveysDbContext db, Survey survey, DateTimeOffset now, TimeProvider time)
    {
        survey.State = SurveyState.Open;
        survey.OpenedAt = now;
        var d = survey.Definition;
        db.AddEvent(new SurveyOpened(survey.Id, survey.DefinitionVersion, EventSnapshots.KindName(survey.Kind), survey.ServiceArea,
            d.Languages, d.Title, d.Purpose ?? new Dictionary<string, string>(), EventSnapshots.TargetGroup(survey), survey.ClosesAt!.Value, now,
            survey.MinimumGroupSize), time);
    }

    /// <summary>
    /// Open → Closed; <paramref name="closedBy"/> is the coordinator who closed it early, null for the clock. In the
    /// caller's transaction, the survey's invitations lose their profiles: none is needed once no answer can come.
    /// </summary>
    public static async Task CloseAsync(SurveysDbContext db, Survey survey, DateTimeOffset now, TimeProvider time, string? closedBy, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync(
            $"UPDATE invitations SET profile = NULL WHERE survey_id = {survey.Id} AND profile IS NOT NULL", ct);
        survey.State = SurveyState.Closed;
        survey.ClosedAt = now;
        survey.ClosedBy = closedBy;
        db.AddEvent(new SurveyClosed(survey.Id, closedBy is not null, now), time);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey clock opened {Opened} and closed {Closed} surveys")]
    private static partial void LogTransitions(ILogger logger, int opened, int closed);
}
