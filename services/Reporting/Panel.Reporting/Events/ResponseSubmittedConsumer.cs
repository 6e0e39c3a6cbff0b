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

    /// <summary>A free text is kept up to this many characters.</summary>
    public const int MaxTextLength = 10000;

    /// <summary>Adds the answer sets to their surveys' rollups and free texts, in the caller's transaction.</summary>
    internal static async Task AddAsync(ReportingDbContext db, IEnumerable<ResponseSubmitted> responses, CancellationToken ct)
    {
        var answerSets = new List<(Guid SurveyId, ProfileCell Cell, IReadOnlyList<CubeDelta> Deltas)>();
        var texts = new List<(Guid SurveyId, ProfileCell Cell, string QuestionId, string Text)>();
        foreach (var message in responses)
        {
            var cell = ProfileCell.Of(message.Profile, message.Channel);
            answerSets.Add((message.SurveyId, cell, ResultsCube.Deltas(message)));
            foreach (var (questionId, text) in ResultsCube.FreeTexts(message))
            {
                texts.Add((message.SurveyId, cell, questionId, text.Length <= MaxTextLength ? text : text[..MaxTextLength]));
            }
        }

        if (texts.Count > 0)
        {
            // One statement for the batch's texts (not one per text); random (v4) ids, see SurveyFreeText.
            var ids = texts.ConvertAll(_ => Guid.NewGuid()).ToArray();
            var surveys = texts.ConvertAll(t => t.SurveyId).ToArray();
            var questions = texts.ConvertAll(t => t.QuestionId).ToArray();
            var ageBands = texts.ConvertAll(t => t.Cell.AgeBand).ToArray();
            var municipalities = texts.ConvertAll(t => t.Cell.Municipality).ToArray();
            var genders = texts.ConvertAll(t => t.Cell.Gender).ToArray();
            var languages = texts.ConvertAll(t => t.Cell.Language).ToArray();
            var clients = texts.ConvertAll(t => t.Cell.IsClient).ToArray();
            var channels = texts.ConvertAll(t => t.Cell.Channel).ToArray();
            var bodies = texts.ConvertAll(t => t.Text).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO survey_free_texts (id, survey_id, question_id, age_band, municipality, gender, language, is_client, channel, text)
                SELECT * FROM unnest({ids}, {surveys}, {questions}, {ageBands}, {municipalities}, {genders}, {languages}, {clients}, {channels}, {bodies})
                """, ct);
        }

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
