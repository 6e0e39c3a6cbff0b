using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Panel.Contracts;
using Panel.Messaging;
using Panel.ServiceDefaults;
using Panel.Surveys.Data;

namespace Panel.Surveys.Invitations;

/// <summary>
/// Turns the invitation notices of the last <see cref="SurveysOptions.NoticeInterval"/> into one
/// <see cref="InvitationsProgressed"/> per survey (chunks of <see cref="InvitationsProgressed.MaxHashes"/>), in the
/// outbox, in the transaction that deletes the notices: nothing is told twice or lost. Notices are claimed with
/// FOR UPDATE SKIP LOCKED, so replicas can share the work. While a survey is busy this is one message a second
/// instead of one or two per answer through the relay, RabbitMQ and two consumers.
/// </summary>
public sealed partial class InvitationNoticeRelay(
    IServiceScopeFactory scopes,
    IOptions<SurveysOptions> options,
    TimeProvider time,
    ILogger<InvitationNoticeRelay> logger) : PeriodicJob(time, logger)
{
    /// <summary>Most notices claimed in one transaction.</summary>
    public const int BatchSize = 10_000;

    protected override TimeSpan Interval => options.Value.NoticeInterval;

    protected override Task TickAsync(CancellationToken ct) => RunOnceAsync(ct);

    private sealed record Notice(Guid SurveyId, string TokenHash, bool Answered);

    /// <summary>Sends every notice waiting; returns how many it sent.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var sent = 0;
        int batch;
        do
        {
            batch = await SendBatchAsync(ct);
            sent += batch;
        }
        while (batch == BatchSize);

        return sent;
    }

    private async Task<int> SendBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SurveysDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var notices = await db.Database.SqlQuery<Notice>($"""
            DELETE FROM invitation_notices WHERE id IN (
                SELECT id FROM invitation_notices ORDER BY id LIMIT {BatchSize} FOR UPDATE SKIP LOCKED)
            RETURNING survey_id, token_hash, answered
            """).ToListAsync(ct);
        if (notices.Count == 0)
        {
            return 0;
        }

        var messages = 0;
        foreach (var survey in notices.GroupBy(n => n.SurveyId))
        {
            foreach (var chunk in survey.Chunk(InvitationsProgressed.MaxHashes))
            {
                db.AddEvent(new InvitationsProgressed(
                    survey.Key,
                    [.. chunk.Where(n => !n.Answered).Select(n => n.TokenHash).Distinct(StringComparer.Ordinal)],
                    [.. chunk.Where(n => n.Answered).Select(n => n.TokenHash).Distinct(StringComparer.Ordinal)]), Time);
                messages++;
            }
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        LogSent(Logger, notices.Count, messages);
        return notices.Count;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Invitation notices: {Notices} sent in {Messages} messages")]
    private static partial void LogSent(ILogger logger, int notices, int messages);
}
