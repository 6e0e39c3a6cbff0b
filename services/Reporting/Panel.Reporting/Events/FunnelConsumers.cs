using MassTransit;
using Microsoft.EntityFrameworkCore;
using Panel.Contracts;
using Panel.Messaging;
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

/// <summary>
/// Opens and answers come one event per invitation, in floods while a survey is busy: they are counted in batches,
/// one inbox statement and one upsert per survey and day for the whole batch (each day's row locked once, in order).
/// </summary>
public abstract class FunnelBatchConsumer<TMessage>(ReportingDbContext db, TimeProvider time, ILogger logger)
    : BatchInboxConsumer<TMessage, ReportingDbContext>(db, time, logger)
    where TMessage : class
{
    protected abstract (Guid SurveyId, long Opened, long Answered) Counts(TMessage message);

    protected override async Task HandleAsync(IReadOnlyList<ConsumeContext<TMessage>> messages, CancellationToken ct)
    {
        var rows = messages
            .Select(m => (Counts: Counts(m.Message), Day: DateOnly.FromDateTime((m.SentTime ?? Time.GetUtcNow().UtcDateTime).ToUniversalTime())))
            .GroupBy(m => (m.Counts.SurveyId, m.Day))
            .OrderBy(g => g.Key.SurveyId).ThenBy(g => g.Key.Day)
            .ToList();
        foreach (var row in rows)
        {
            long opened = row.Sum(m => m.Counts.Opened), answered = row.Sum(m => m.Counts.Answered);
            await Db.Database.ExecuteSqlAsync($"""
                INSERT INTO survey_funnel_days (survey_id, day, invited, opened, answered) VALUES ({row.Key.SurveyId}, {row.Key.Day}, 0, {opened}, {answered})
                ON CONFLICT (survey_id, day) DO UPDATE SET
                    opened = survey_funnel_days.opened + EXCLUDED.opened,
                    answered = survey_funnel_days.answered + EXCLUDED.answered
                """, ct);
        }
    }
}

public sealed class InvitationOpenedConsumer(ReportingDbContext db, TimeProvider time, ILogger<InvitationOpenedConsumer> logger)
    : FunnelBatchConsumer<InvitationOpened>(db, time, logger)
{
    protected override (Guid, long, long) Counts(InvitationOpened m) => (m.SurveyId, 1, 0);
}

public sealed class InvitationAnsweredConsumer(ReportingDbContext db, TimeProvider time, ILogger<InvitationAnsweredConsumer> logger)
    : FunnelBatchConsumer<InvitationAnswered>(db, time, logger)
{
    protected override (Guid, long, long) Counts(InvitationAnswered m) => (m.SurveyId, 0, 1);
}

/// <summary>Opens and answers gathered by Surveys, one message per survey and second while it is busy.</summary>
public sealed class InvitationsProgressedConsumer(ReportingDbContext db, TimeProvider time, ILogger<InvitationsProgressedConsumer> logger)
    : FunnelBatchConsumer<InvitationsProgressed>(db, time, logger)
{
    protected override (Guid, long, long) Counts(InvitationsProgressed m) => (m.SurveyId, m.Opened?.Count ?? 0, m.Answered?.Count ?? 0);
}
