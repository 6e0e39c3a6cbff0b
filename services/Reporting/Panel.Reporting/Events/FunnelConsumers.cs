using MassTransit;
using Microsoft.EntityFrameworkCore;
using Panel.Contracts;
using Panel.Reporting.Data;

namespace Panel.Reporting.Events;

/// <summary>
/// Counts invitations issued, opened and answered on the UTC day the message was sent. Token hashes are never
/// stored. Same inbox rule as <see cref="Panel.Messaging.InboxConsumer{TMessage,TDbContext}"/> (the message id is
/// recorded in the transaction of the count), written out here because the count needs the message's sent time.
/// </summary>
public abstract partial class FunnelConsumer<TMessage>(ReportingDbContext db, TimeProvider time, ILogger logger) : IConsumer<TMessage>
    where TMessage : class
{
    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException("A Panel integration event always carries a message id.");
        var consumer = GetType().Name;
        var ct = context.CancellationToken;
        var (surveyId, invited, opened, answered) = Counts(context.Message);
        var day = DateOnly.FromDateTime((context.SentTime ?? time.GetUtcNow().UtcDateTime).ToUniversalTime());

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var inserted = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO inbox_messages (message_id, consumer, processed_at) VALUES ({messageId}, {consumer}, {time.GetUtcNow()}) ON CONFLICT DO NOTHING", ct);
        if (inserted == 0)
        {
            LogDuplicate(logger, messageId, consumer);
            await tx.RollbackAsync(ct);
            return;
        }

        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO survey_funnel_days (survey_id, day, invited, opened, answered) VALUES ({surveyId}, {day}, {invited}, {opened}, {answered})
            ON CONFLICT (survey_id, day) DO UPDATE SET
                invited = survey_funnel_days.invited + EXCLUDED.invited,
                opened = survey_funnel_days.opened + EXCLUDED.opened,
                answered = survey_funnel_days.answered + EXCLUDED.answered
            """, ct);
        await tx.CommitAsync(ct);
    }

    protected abstract (Guid SurveyId, long Invited, long Opened, long Answered) Counts(TMessage message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} already applied by {Consumer}; skipped")]
    private static partial void LogDuplicate(ILogger logger, Guid messageId, string consumer);
}

public sealed class SurveyInvitationsIssuedConsumer(ReportingDbContext db, TimeProvider time, ILogger<SurveyInvitationsIssuedConsumer> logger)
    : FunnelConsumer<SurveyInvitationsIssued>(db, time, logger)
{
    protected override (Guid, long, long, long) Counts(SurveyInvitationsIssued m) => (m.SurveyId, m.Invitations?.Count ?? 0, 0, 0);
}

public sealed class InvitationOpenedConsumer(ReportingDbContext db, TimeProvider time, ILogger<InvitationOpenedConsumer> logger)
    : FunnelConsumer<InvitationOpened>(db, time, logger)
{
    protected override (Guid, long, long, long) Counts(InvitationOpened m) => (m.SurveyId, 0, 1, 0);
}

public sealed class InvitationAnsweredConsumer(ReportingDbContext db, TimeProvider time, ILogger<InvitationAnsweredConsumer> logger)
    : FunnelConsumer<InvitationAnswered>(db, time, logger)
{
    protected override (Guid, long, long, long) Counts(InvitationAnswered m) => (m.SurveyId, 0, 0, 1);
}
