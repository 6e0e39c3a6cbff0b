using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Panel.Contracts;
using Panel.Surveys.Data;
using Panel.Surveys.Definitions;
using Panel.Surveys.Invitations;
using Panel.Surveys.Responses;

namespace Panel.Surveys.Answering;

/// <summary>One problem with one answer, for the page to show next to its question (worded by <see cref="Code"/> in fi/sv/en).</summary>
public sealed record AnswerProblem(string QuestionId, string? Page, string Code, string Message);

/// <summary>What every way of answering shares: the pending answer, and the problems an answering call can meet.</summary>
public static class Submissions
{
    /// <summary>
    /// Adds the answer set to pending_responses with a random (v4) id and the day only; free text is masked here,
    /// so raw text never leaves the draft. The mixer moves it on later.
    /// </summary>
    public static void AddPending(
        SurveysDbContext db, Survey survey, string channel, ProfileSnapshot? profile, IReadOnlyDictionary<string, JsonElement> answers, DateTimeOffset now) =>
        db.PendingResponses.Add(new PendingResponse
        {
            Id = Guid.NewGuid(),
            SurveyId = survey.Id,
            DefinitionVersion = survey.DefinitionVersion,
            SubmittedOn = DateOnly.FromDateTime(now.UtcDateTime),
            Channel = channel,
            Profile = profile,
            Answers = AnswerSets.Masked(survey.Definition, answers),
        });

    /// <summary>400 naming each answer as <c>answers.{questionId}</c>, with <c>answerErrors</c> (question, page, code) for the page to word.</summary>
    public static ValidationProblem Invalid(SurveyDefinition definition, IReadOnlyList<AnswerError> errors)
    {
        var pageOf = definition.Pages.SelectMany(p => p.Questions.Select(q => (q.Id, Page: p.Id)))
            .ToDictionary(x => x.Id, x => x.Page, StringComparer.Ordinal);
        return TypedResults.ValidationProblem(
            AnswerValidation.ToValidationErrors(errors),
            title: "Some answers need attention.",
            extensions: new Dictionary<string, object?>
            {
                ["answerErrors"] = errors.Select(e => new AnswerProblem(e.QuestionId, pageOf.GetValueOrDefault(e.QuestionId), e.Code, e.Message)).ToList(),
            });
    }

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>Why a survey takes no answers now, or null when it is open.</summary>
    public static ProblemHttpResult? Unavailable(Survey survey) => survey.State switch
    {
        SurveyState.Open => null,
        SurveyState.Closed or SurveyState.ResultsPublished => Problem(StatusCodes.Status410Gone, "The survey has closed.",
            "It no longer takes answers.", "closed"),
        _ => Problem(StatusCodes.Status409Conflict, "The survey is not open yet.", "It takes answers from its opening time on.", "not-open"),
    };

    public static ProblemHttpResult NoInvitation() =>
        Problem(StatusCodes.Status404NotFound, "No such invitation.", "The link is not valid; check that it was copied whole.", "unknown-invitation");

    public static ProblemHttpResult AlreadyAnswered() =>
        Problem(StatusCodes.Status410Gone, "This invitation has been answered.", "Each invitation takes one answer; thank you for yours.", "answered");

    /// <summary>A problem with a machine-readable <c>reason</c> (unknown-invitation, answered, closed, not-open, …) for the page to word.</summary>
    public static ProblemHttpResult Problem(int status, string title, string detail, string reason) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status, extensions: new Dictionary<string, object?> { ["reason"] = reason });

    /// <summary>The basic shape of a request: token or resume code and language; the page is checked against the survey later.</summary>
    public static Dictionary<string, string[]> RequestErrors(AnswerRequest request, bool needsToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (needsToken && string.IsNullOrWhiteSpace(request.Token))
        {
            errors["token"] = ["The invitation's token is required."];
        }

        if (request.ResumeCode is { } code && (string.IsNullOrWhiteSpace(code) || code.Length > InvitationTokens.MaxTokenLength))
        {
            errors["resumeCode"] = ["The resume code is the code a save returned."];
        }

        if (request.Language is not null && !SurveyLanguages.All.Contains(request.Language))
        {
            errors["language"] = ["The language is fi, sv or en."];
        }

        return errors;
    }

    /// <summary>The page a request names, or an error when the survey has no such page.</summary>
    public static bool TryPage(SurveyDefinition definition, string? pageId, out SurveyPage? page)
    {
        page = pageId is null ? null : definition.Pages.FirstOrDefault(p => p.Id == pageId);
        return pageId is null || page is not null;
    }

    /// <summary>The requested language if the survey is offered in it, else the fallback if offered, else the survey's first.</summary>
    public static string LanguageFor(SurveyDefinition definition, string? requested, string? fallback) =>
        new[] { requested, fallback }.FirstOrDefault(l => l is not null && definition.Languages.Contains(l))
        ?? definition.Languages.FirstOrDefault() ?? "fi";

    public static AnswerSession Session(
        string channel, Survey survey, string language, IReadOnlyDictionary<string, JsonElement> answers,
        string? requestedPage, string? savedPage, string? resumeCode) => new(
        channel,
        survey.Definition.Languages,
        SurveyForms.Build(survey.Id, survey.DefinitionVersion, survey.Definition, language),
        answers,
        AnswerNavigator.Navigate(survey.Definition, answers, requestedPage, savedPage),
        survey.ClosesAt ?? DateTimeOffset.MaxValue,
        resumeCode);

    /// <summary>The saved answers as they still fit the survey (it may have been revised since).</summary>
    public static IReadOnlyDictionary<string, JsonElement> Saved(SurveyDefinition definition, AnswerDraft? draft) =>
        draft is null
            ? new Dictionary<string, JsonElement>()
            : AnswerSets.Prepare(definition, draft.Answers, null, null, AnswerCompleteness.Partial).Answers;

    public static AnswerReceived Received(Survey survey, string language)
    {
        var form = SurveyForms.Build(survey.Id, survey.DefinitionVersion, survey.Definition, language);
        return new AnswerReceived("received", form.Language, form.Title, form.ResultsUse);
    }

    public static DateOnly Day(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime);

    /// <summary>Saves answers to resume later under a key (an invitation's token hash, or a resume code's), keeping the day only.</summary>
    public static void SaveDraft(
        SurveysDbContext db, AnswerDraft? draft, string key, Guid surveyId, string? pageId, IReadOnlyDictionary<string, JsonElement> answers, DateTimeOffset now)
    {
        if (draft is null)
        {
            db.AnswerDrafts.Add(new AnswerDraft { KeyHash = key, SurveyId = surveyId, PageId = pageId, Answers = answers, SavedOn = Day(now) });
            return;
        }

        draft.Answers = answers;
        draft.PageId = pageId ?? draft.PageId;
        draft.SavedOn = Day(now);
    }
}
