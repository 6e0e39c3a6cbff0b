using Microsoft.EntityFrameworkCore;
using Panel.Contracts;
using Panel.Membership.Data;
using Panel.Messaging;

namespace Panel.Membership.Events;

/// <summary>
/// A survey closed: its invitations' encrypted tokens and the survey's token data key are deleted, so the tokens
/// cannot be recovered (the links are dead anyway); unsent invitation and reminder emails are dropped, and no more
/// reminders go out. A closing that arrives before the opening
/// leaves a row saying so, and the late opening then issues nothing.
/// </summary>
public sealed class SurveyClosedConsumer(MembershipDbContext db, TimeProvider time, ILogger<SurveyClosedConsumer> logger)
    : InboxConsumer<SurveyClosed, MembershipDbContext>(db, time, logger)
{
    protected override async Task HandleAsync(SurveyClosed message, CancellationToken ct)
    {
        await Db.Database.ExecuteSqlAsync($"""
            INSERT INTO invitation_surveys (id, service_area, languages, title, purpose, closes_at, scheduled_at, closed_at,
                reminder_after_days, reminder_max, eligible, issued)
            VALUES ({message.SurveyId}, '', ARRAY[]::text[], jsonb_build_object(), jsonb_build_object(), {message.ClosedAt}, {message.ClosedAt}, {message.ClosedAt}, 0, 0, 0, 0)
            ON CONFLICT (id) DO UPDATE SET closed_at = coalesce(invitation_surveys.closed_at, excluded.closed_at), token_key = NULL
            """, ct);
        await Db.Database.ExecuteSqlAsync($"""
            DELETE FROM email_outbox e USING invitations i
            WHERE e.invitation_id = i.id AND i.survey_id = {message.SurveyId} AND e.sent_at IS NULL AND e.failed_at IS NULL
            """, ct);
        await Db.Database.ExecuteSqlAsync(
            $"UPDATE invitations SET protected_token = NULL WHERE survey_id = {message.SurveyId} AND protected_token IS NOT NULL", ct);
    }
}
