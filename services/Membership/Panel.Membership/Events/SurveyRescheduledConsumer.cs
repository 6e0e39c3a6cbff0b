using Microsoft.EntityFrameworkCore;
using Panel.Contracts;
using Panel.Membership.Data;
using Panel.Messaging;

namespace Panel.Membership.Events;

/// <summary>An open survey got a new closing time (emails and "my panel" show it; reminders stop at it). Older news is ignored.</summary>
public sealed class SurveyRescheduledConsumer(MembershipDbContext db, TimeProvider time, ILogger<SurveyRescheduledConsumer> logger)
    : InboxConsumer<SurveyRescheduled, MembershipDbContext>(db, time, logger)
{
    protected override async Task HandleAsync(SurveyRescheduled message, CancellationToken ct) =>
        await Db.Database.ExecuteSqlAsync($"""
            UPDATE invitation_surveys SET closes_at = {message.ClosesAt}, scheduled_at = {message.RescheduledAt}
            WHERE id = {message.SurveyId} AND scheduled_at <= {message.RescheduledAt}
            """, ct);
}
