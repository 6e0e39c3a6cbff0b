using Panel.Contracts;
using Panel.Messaging;
using Panel.Reporting.Data;
using Panel.Reporting.SurveyResults;

namespace Panel.Reporting.Events;

/// <summary>Keeps the approved definition (questions, k, texts) and schedule.</summary>
public sealed class SurveyApprovedConsumer(ReportingDbContext db, TimeProvider time, ILogger<SurveyApprovedConsumer> logger)
    : InboxConsumer<SurveyApproved, ReportingDbContext>(db, time, logger)
{
    protected override async Task HandleAsync(SurveyApproved message, CancellationToken ct)
    {
        await SurveyReadModel.ApplyDefinitionAsync(Db, message.SurveyId, message.Version, message.Definition, ct);
        var survey = await SurveyReadModel.FindOrAddAsync(Db, message.SurveyId, ct);
        survey.OpensAt ??= message.OpensAt;
        survey.ClosesAt ??= message.ClosesAt;
        SurveyReadModel.Advance(survey, SurveyStage.Approved);
    }
}

/// <summary>A newer definition version (text fixes once answers exist) replaces the held one.</summary>
public sealed class SurveyRevisedConsumer(ReportingDbContext db, TimeProvider time, ILogger<SurveyRevisedConsumer> logger)
    : InboxConsumer<SurveyRevised, ReportingDbContext>(db, time, logger)
{
    protected override Task HandleAsync(SurveyRevised message, CancellationToken ct) =>
        SurveyReadModel.ApplyDefinitionAsync(Db, message.SurveyId, message.Version, message.Definition, ct);
}

public sealed class SurveyOpenedConsumer(ReportingDbContext db, TimeProvider time, ILogger<SurveyOpenedConsumer> logger)
    : InboxConsumer<SurveyOpened, ReportingDbContext>(db, time, logger)
{
    protected override async Task HandleAsync(SurveyOpened message, CancellationToken ct)
    {
        var survey = await SurveyReadModel.FindOrAddAsync(Db, message.SurveyId, ct);
        if (message.Version >= survey.Version)
        {
            survey.ServiceArea = message.ServiceArea;
            survey.Kind = message.Kind;
            survey.Title = SurveyReadModel.Texts(message.Title);
            survey.Purpose = SurveyReadModel.Texts(message.Purpose);
        }

        survey.OpensAt = message.OpenedAt;
        survey.ClosesAt = message.ClosesAt;
        SurveyReadModel.Advance(survey, SurveyStage.Open);
    }
}

public sealed class SurveyClosedConsumer(ReportingDbContext db, TimeProvider time, ILogger<SurveyClosedConsumer> logger)
    : InboxConsumer<SurveyClosed, ReportingDbContext>(db, time, logger)
{
    protected override async Task HandleAsync(SurveyClosed message, CancellationToken ct)
    {
        var survey = await SurveyReadModel.FindOrAddAsync(Db, message.SurveyId, ct);
        survey.ClosesAt = message.ClosedAt;
        SurveyReadModel.Advance(survey, SurveyStage.Closed);
    }
}

/// <summary>Results may be shown to the public, with the texts and k given at publishing.</summary>
public sealed class SurveyResultsPublishedConsumer(ReportingDbContext db, TimeProvider time, ILogger<SurveyResultsPublishedConsumer> logger)
    : InboxConsumer<SurveyResultsPublished, ReportingDbContext>(db, time, logger)
{
    protected override async Task HandleAsync(SurveyResultsPublished message, CancellationToken ct)
    {
        var survey = await SurveyReadModel.FindOrAddAsync(Db, message.SurveyId, ct);
        if (message.Version >= survey.Version)
        {
            survey.ServiceArea = message.ServiceArea;
            survey.MinimumGroupSize = SurveyReadModel.SafeK(message.MinimumGroupSize);
            survey.Title = SurveyReadModel.Texts(message.Title);
            survey.Purpose = SurveyReadModel.Texts(message.Purpose);
            survey.ResultsUse = SurveyReadModel.Texts(message.ResultsUse);
        }

        survey.PublishedAt = message.PublishedAt;
        SurveyReadModel.Advance(survey, SurveyStage.ResultsPublished);
    }
}

/// <summary>Every answer of a closed survey is in (or on its way): breakdowns are shown once all of them are counted.</summary>
public sealed class SurveyAnswersFinalizedConsumer(ReportingDbContext db, TimeProvider time, ILogger<SurveyAnswersFinalizedConsumer> logger)
    : InboxConsumer<SurveyAnswersFinalized, ReportingDbContext>(db, time, logger)
{
    protected override async Task HandleAsync(SurveyAnswersFinalized message, CancellationToken ct)
    {
        var survey = await SurveyReadModel.FindOrAddAsync(Db, message.SurveyId, ct);
        survey.FinalResponses = Math.Max(0, message.Responses);
    }
}
