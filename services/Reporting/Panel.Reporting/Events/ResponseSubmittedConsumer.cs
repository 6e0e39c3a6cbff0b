using Panel.Contracts;
using Panel.Messaging;
using Panel.Reporting.Data;
using Panel.Reporting.SurveyResults;

namespace Panel.Reporting.Events;

/// <summary>
/// Adds an anonymous answer set to its survey's results cube and its free texts (masked again) to the list.
/// Nothing of the answer set is kept as a whole, so no row links its answers to each other.
/// </summary>
public sealed class ResponseSubmittedConsumer(ReportingDbContext db, TimeProvider time, ILogger<ResponseSubmittedConsumer> logger)
    : InboxConsumer<ResponseSubmitted, ReportingDbContext>(db, time, logger)
{
    protected override async Task HandleAsync(ResponseSubmitted message, CancellationToken ct)
    {
        var cell = ProfileCell.Of(message.Profile, message.Channel);
        await ResultsCube.ApplyAsync(Db, message.SurveyId, cell, ResultsCube.Deltas(message), ct);
        foreach (var (questionId, text) in ResultsCube.FreeTexts(message))
        {
            Db.SurveyFreeTexts.Add(new SurveyFreeText
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
}
