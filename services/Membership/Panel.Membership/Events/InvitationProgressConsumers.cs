using Microsoft.EntityFrameworkCore;
using Panel.Contracts;
using Panel.Membership.Data;
using Panel.Messaging;

namespace Panel.Membership.Events;

/// <summary>An invitation's link was opened (progress). Only a flag is kept, no time.</summary>
public sealed class InvitationOpenedConsumer(MembershipDbContext db, TimeProvider time, ILogger<InvitationOpenedConsumer> logger)
    : InboxConsumer<InvitationOpened, MembershipDbContext>(db, time, logger)
{
    protected override async Task HandleAsync(InvitationOpened message, CancellationToken ct) =>
        await Db.Database.ExecuteSqlAsync(
            $"UPDATE invitations SET opened = true WHERE token_hash = {message.TokenHash} AND survey_id = {message.SurveyId} AND NOT opened", ct);
}

/// <summary>
/// An invitation was answered: no more reminders, and progress counts it. Only a flag is kept, no time, and never
/// anything of the answer (Membership never learns one).
/// </summary>
public sealed class InvitationAnsweredConsumer(MembershipDbContext db, TimeProvider time, ILogger<InvitationAnsweredConsumer> logger)
    : InboxConsumer<InvitationAnswered, MembershipDbContext>(db, time, logger)
{
    protected override async Task HandleAsync(InvitationAnswered message, CancellationToken ct)
    {
        await Db.Database.ExecuteSqlAsync(
            $"UPDATE invitations SET answered = true, opened = true WHERE token_hash = {message.TokenHash} AND survey_id = {message.SurveyId} AND NOT answered", ct);
        await Db.Database.ExecuteSqlAsync($"""
            DELETE FROM email_outbox e USING invitations i
            WHERE e.invitation_id = i.id AND i.token_hash = {message.TokenHash} AND e.kind = 'Reminder' AND e.sent_at IS NULL AND e.failed_at IS NULL
            """, ct);
    }
}
