using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Panel.ServiceDefaults;
using Panel.Membership.Data;
using Panel.Membership.Members;

namespace Panel.Membership.MyPanel;

/// <summary>
/// Periodic upkeep: reports members who have aged into another age band (MemberProfileChanged), resumes
/// memberships whose pause has ended (MemberResumed), and deletes relayed events that still name an erased
/// member. Rows are claimed with SKIP LOCKED, so replicas can share it.
/// </summary>
public sealed partial class MembershipMaintenance(
    IServiceScopeFactory scopes,
    IOptions<MembershipOptions> options,
    TimeProvider time,
    ILogger<MembershipMaintenance> logger) : PeriodicJob(time, logger)
{
    private const int BatchSize = 100;

    protected override bool RunsAtStart => true;

    // Membership's data: a failure is logged by its type, never with a message that may quote a row.
    protected override bool LogsExceptions => false;

    protected override TimeSpan Interval => options.Value.PauseCheckInterval;

    protected override Task TickAsync(CancellationToken ct) => RunOnceAsync(ct);

    public async Task RunOnceAsync(CancellationToken ct)
    {
        // Before resuming, so that the resumptions' snapshots are already in the new band.
        int aged;
        do
        {
            aged = await ReportAgedMembersAsync(ct);
            if (aged > 0)
            {
                LogAged(Logger, aged);
            }
        }
        while (aged == BatchSize);

        int resumed;
        do
        {
            resumed = await ResumeEndedPausesAsync(ct);
            if (resumed > 0)
            {
                LogResumed(Logger, resumed);
            }
        }
        while (resumed == BatchSize);

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MembershipDbContext>();
        await Erasure.ForgetRelayedEventsOfErasedMembersAsync(db, ct);
    }

    private async Task<int> ResumeEndedPausesAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MembershipDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The pause includes its last day: it has ended once that day is over in the county.
        var today = options.Value.Today(Time);
        var paused = nameof(MemberStatus.Paused);
        var ended = await db.Members
            .FromSql($"""
                SELECT * FROM members
                WHERE status = {paused} AND paused_until < {today}
                ORDER BY paused_until, id
                LIMIT {BatchSize}
                FOR UPDATE SKIP LOCKED
                """)
            .ToListAsync(ct);
        foreach (var member in ended)
        {
            MyPanelEndpoints.ResumeNow(db, member, Time);
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return ended.Count;
    }

    /// <summary>
    /// One batch, in one transaction, of members whose band by this year differs from the band Reporting counts
    /// them in (after a New Year); each gets a MemberProfileChanged moving them there. Erased members have no row.
    /// </summary>
    private async Task<int> ReportAgedMembersAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MembershipDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var year = Time.GetUtcNow().Year;
        var aged = await db.Members
            .FromSqlRaw(AgedMembersSql, year, BatchSize)
            .ToListAsync(ct);
        var reported = 0;
        foreach (var member in aged)
        {
            var before = member.ReportedAgeBand;
            ReportedProfile.CatchUp(db, member, Time);
            reported += before == member.ReportedAgeBand ? 0 : 1;
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        // Counted by what was reported, not what was selected: should the SQL and C# reckonings ever disagree,
        // the loop stops instead of selecting the same rows forever.
        return reported;
    }

    private static readonly string AgedMembersSql = $$"""
        SELECT * FROM members
        WHERE reported_age_band <> ({{AgeBands.SqlFor("birth_year")}})
        ORDER BY id
        LIMIT {1}
        FOR UPDATE SKIP LOCKED
        """;

    [LoggerMessage(Level = LogLevel.Information, Message = "Reported {Count} members who have moved to another age band")]
    private static partial void LogAged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed {Count} memberships whose pause had ended")]
    private static partial void LogResumed(ILogger logger, int count);
}
