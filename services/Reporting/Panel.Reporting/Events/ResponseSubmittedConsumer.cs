using MassTransit;
using Microsoft.EntityFrameworkCore;
using Panel.Contracts;
using Panel.Reporting.Data;
using Panel.Reporting.SurveyResults;

namespace Panel.Reporting.Events;

/// <summary>
/// Adds anonymous answer sets to their surveys' results rollups (each answer set once under every profile attribute)
/// and their free texts (masked again) to the list. Nothing of an answer set is kept as a whole, so no row links its
/// answers to each other.
/// Answer sets come in batches (<see cref="Configure"/>), one transaction each: every answer set of a survey adds
/// to the same few rollup rows (the answer-set count of each channel, gender, ...), so one transaction per answer
/// set would queue every consumer on those rows' locks (measured: 16 consumers waiting, 39 answer sets/s against
/// 126/s for the full-cell cube). A batch sums its answer sets in memory and adds them in one statement; several
/// answer sets in one update also say less about any one of them. Each message id is recorded in the inbox in the
/// same transaction, as <see cref="Panel.Messaging.InboxConsumer{TMessage, TDbContext}"/> does for single messages,
/// so a redelivered answer set (in the same batch or a later one) is counted once.
/// </summary>
public sealed partial class ResponseSubmittedConsumer(ReportingDbContext db, TimeProvider time, ILogger<ResponseSubmittedConsumer> logger)
    : IConsumer<Batch<ResponseSubmitted>>
{
    public const int BatchSize = 100;

    /// <summary>Batches of up to <see cref="BatchSize"/> answer sets, or what came within 100 ms; two batches at a time.</summary>
    public static void Configure(IConsumerConfigurator<ResponseSubmittedConsumer> consumer) =>
        consumer.Options<BatchOptions>(o => o.SetMessageLimit(BatchSize).SetConcurrencyLimit(2).SetTimeLimit(TimeSpan.FromMilliseconds(100)));

    public async Task Consume(ConsumeContext<Batch<ResponseSubmitted>> context)
    {
        var ct = context.CancellationToken;
        var messages = new Dictionary<Guid, ResponseSubmitted>();
        foreach (var m in context.Message)
        {
            var id = m.MessageId ?? throw new InvalidOperationException("A Panel integration event always carries a message id.");
            messages.TryAdd(id, m.Message);
        }

        // Sorted, so that concurrent batches holding the same ids (redeliveries) wait on each other in one order.
        var ids = messages.Keys.Order().ToArray();
        const string consumer = nameof(ResponseSubmittedConsumer);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var fresh = await db.Database.SqlQuery<Guid>($"""
            INSERT INTO inbox_messages (message_id, consumer, processed_at)
            SELECT i, {consumer}, {time.GetUtcNow()} FROM unnest({ids}::uuid[]) WITH ORDINALITY AS u(i, o) ORDER BY o
            ON CONFLICT DO NOTHING RETURNING message_id AS "Value"
            """).ToListAsync(ct);
        foreach (var duplicate in ids.Except(fresh)) LogDuplicate(logger, duplicate, consumer);
        if (fresh.Count == 0)
        {
            await tx.RollbackAsync(ct);
            return;
        }

        var answerSets = new List<(Guid SurveyId, ProfileCell Cell, IReadOnlyList<CubeDelta> Deltas)>();
        foreach (var message in fresh.Select(id => messages[id]))
        {
            var cell = ProfileCell.Of(message.Profile, message.Channel);
            answerSets.Add((message.SurveyId, cell, ResultsCube.Deltas(message)));
            foreach (var (questionId, text) in ResultsCube.FreeTexts(message))
            {
                db.SurveyFreeTexts.Add(new SurveyFreeText
                {
                    Id = Guid.NewGuid(),
                    SurveyId = message.SurveyId,
                    QuestionId = questionId,
                    AgeBand = cell.AgeBand,
                    Municipality = cell.Municipality,
                    Gender = cell.Gender,
                    Language = cell.Language,
                    IsClient = cell.IsClient,
                    Channel = cell.Channel,
                    Text = text.Length <= 10000 ? text : text[..10000],
                });
            }
        }

        await db.SaveChangesAsync(ct);
        // The rollups' rows are shared by all answer sets of a survey: add to them last, so that their locks are held
        // only from here to the commit.
        await ResultsCube.ApplyAsync(db, answerSets, ct);
        await tx.CommitAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} already applied by {Consumer}; skipped")]
    private static partial void LogDuplicate(ILogger logger, Guid messageId, string consumer);
}
