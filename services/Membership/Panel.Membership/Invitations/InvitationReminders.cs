using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Panel.ServiceDefaults;
using Npgsql;
using Panel.Membership.Data;
using Panel.Membership.Email;

namespace Panel.Membership.Invitations;

/// <summary>
/// Queues reminders: an invitation Surveys acknowledged and whose email was sent (which needs the acknowledgement
/// anyway), not answered, of a survey still open, gets a reminder
/// AfterDays days after the invitation and after each reminder, at most Max times, to the same link, in the
/// invitation's language. Members who have since withdrawn, paused (a pause not yet over) or been erased get none.
/// Rows are claimed with SKIP LOCKED, so replicas can share the job.
/// </summary>
public sealed partial class InvitationReminders(
    IServiceScopeFactory scopes,
    IOptions<InvitationOptions> options,
    IOptions<MembershipOptions> membership,
    TimeProvider time,
    ILogger<InvitationReminders> logger) : PeriodicJob(time, logger)
{
    private const int BatchSize = 1000;

    protected override bool RunsAtStart => true;

    // Membership's data: a failure is logged by its type, never with a message that may quote a row.
    protected override bool LogsExceptions => false;

    protected override TimeSpan Interval => options.Value.ReminderCheckInterval;

    protected override Task TickAsync(CancellationToken ct) => RunOnceAsync(ct);

    /// <summary>Queues every reminder that is due now; returns how many.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var total = 0;
        int queued;
        do
        {
            queued = await QueueBatchAsync(ct);
            total += queued;
        }
        while (queued == BatchSize);

        if (total > 0)
        {
            LogQueued(Logger, total);
            EmailSignal.Pulse();
        }

        return total;
    }

    private async Task<int> QueueBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MembershipDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = Time.GetUtcNow();
        // Due: AfterDays after the invitation, or after the last reminder. The subject and body are rendered when sent.
        var queued = await db.Database.ExecuteSqlRawAsync("""
            WITH due AS (
                SELECT i.id, i.member_id, i.language
                FROM invitations i
                JOIN invitation_surveys s ON s.id = i.survey_id
                JOIN members m ON m.id = i.member_id
                WHERE s.closed_at IS NULL AND s.closes_at > @now AND s.opened_at IS NOT NULL
                  AND NOT i.answered AND i.acknowledged_at IS NOT NULL AND i.sent_at IS NOT NULL AND i.protected_token IS NOT NULL
                  AND i.reminders_queued < s.reminder_max
                  AND coalesce(i.last_reminder_at, i.invited_at) <= @now - make_interval(days => s.reminder_after_days)
                  AND (m.status = 'Active' OR (m.status = 'Paused' AND m.paused_until < @today))
                ORDER BY i.id
                LIMIT @batch
                FOR UPDATE OF i SKIP LOCKED
            ),
            marked AS (
                UPDATE invitations i SET reminders_queued = i.reminders_queued + 1, last_reminder_at = @now
                FROM due WHERE i.id = due.id
                RETURNING i.id
            )
            INSERT INTO email_outbox (id, member_id, invitation_id, kind, to_address, language, subject, body, created_at, attempts)
            SELECT gen_random_uuid(), m.id, due.id, 'Reminder', m.email, due.language, '', NULL, @now, 0
            FROM due JOIN members m ON m.id = due.member_id
            """,
            [
                new NpgsqlParameter("now", now),
                new NpgsqlParameter("today", membership.Value.Today(Time)),
                new NpgsqlParameter("batch", BatchSize),
            ], ct);
        await tx.CommitAsync(ct);
        return queued;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued {Count} invitation reminders")]
    private static partial void LogQueued(ILogger logger, int count);
}
