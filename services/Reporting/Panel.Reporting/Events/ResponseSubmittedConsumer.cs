using MassTransit;
using Microsoft.EntityFrameworkCore;
using Panel.Contracts;
using Panel.Messaging;
using Panel.Reporting.Data;
using Panel.Reporting.SurveyResults;

namespace Panel.Reporting.Events;

/// <summary>
/// Adds anonymous answer sets to their surveys' results rollups (each answer set once under every profile attribute)
/// and their free texts (masked again) to the list. Nothing of an answer set is kept as a whole, so no row links its
/// answers to each other.
/// Answer sets come in batches (<see cref="BatchInboxConsumer"/>), one transaction each: every answer set of a survey adds
/// to the same few rollup rows (the answer-set count of each channel, gender, ...), so one transaction per answer
/// set would queue every consumer on those rows' locks (measured: 16 consumers waiting, 39 answer sets/s against
/// 126/s for the full-cell cube). A batch sums its answer sets in memory and adds them in one statement; several
/// answer sets in one update also say less about any one of them. A redelivered answer set (in the same batch or a
/// later one) is counted once (the batch inbox).
/// </summary>
public sealed class ResponseSubmittedConsumer(ReportingDbContext db, TimeProvider time, ILogger<ResponseSubmittedConsumer> logger)
    : BatchInboxConsumer<ResponseSubmitted, ReportingDbContext>(db, time, logger)
{
    protected override Task HandleAsync(IReadOnlyList<ConsumeContext<ResponseSubmitted>> messages, CancellationToken ct) =>
        AddAsync(Db, messages.Select(m => m.Message), ct);

    /// <summary>Adds the answer sets to their surveys' rollups and free texts, in the caller's transaction.</summary>
    internal static async Task AddAsync(ReportingDbContext db, IEnumerable<ResponseSubmitted> responses, CancellationToken ct)
    {
        var answerSets = new List<(Guid SurveyId, ProfileCell Cell, IReadOnlyList<CubeDelta> Deltas)>();
        foreach (var message in responses)
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
    }
}

/// <summary>
/// Answer sets as the mixer sends them, up to 100 a message: the same as <see cref="ResponseSubmittedConsumer"/> for
/// every answer set of a batch of messages at once. An answer set naming another survey than its message is not counted.
/// </summary>
public sealed class ResponsesSubmittedConsumer(ReportingDbContext db, TimeProvider time, ILogger<ResponsesSubmittedConsumer> logger)
    : BatchInboxConsumer<ResponsesSubmitted, ReportingDbContext>(db, time, logger)
{
    protected override Task HandleAsync(IReadOnlyList<ConsumeContext<ResponsesSubmitted>> messages, CancellationToken ct) =>
        ResponseSubmittedConsumer.AddAsync(
            Db, messages.SelectMany(m => (m.Message.Responses ?? []).Where(r => r is not null && r.SurveyId == m.Message.SurveyId)), ct);
}
