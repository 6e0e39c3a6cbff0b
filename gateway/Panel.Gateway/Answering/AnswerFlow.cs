using System.Net;
using Panel.Gateway.Backends;
using Panel.Gateway.Backends.Surveys;

namespace Panel.Gateway.Answering;

/// <summary>What the answering page shows: the form, one of its ends, or why it cannot be answered.</summary>
public enum AnswerView { Posting, Form, Saved, Thanks, Unknown, Expired, Answered, Closed, NotOpen, Unavailable }

/// <summary>What to do after a page's answers were saved, by the button the resident pressed.</summary>
public enum AnswerStepKind { ShowPage, SavedForLater, SwitchLanguage, MissingRequired, Submit }

/// <param name="PageId">The page to show (ShowPage, MissingRequired) or the page submitted from (Submit).</param>
/// <param name="Missing">The required questions left unanswered (MissingRequired).</param>
public sealed record AnswerStep(AnswerStepKind Kind, string? PageId, IReadOnlyList<string> Missing);

/// <summary>What to do when Surveys refused a save or a submit.</summary>
public enum AnswerFailureKind
{
    /// <summary>The page again with what the resident typed and the problems at their questions.</summary>
    ShowProblems,

    /// <summary>The survey was revised and the page is gone: back where Surveys says.</summary>
    PageGone,

    /// <summary>Too many answers at once: the page again, asking to try in a moment (429).</summary>
    Busy,

    /// <summary>The open link's resume code is no longer known: the saved answers are gone.</summary>
    Expired,

    /// <summary>One of the ends (<see cref="AnswerFlow.ViewFor"/>).</summary>
    End,
}

/// <summary>
/// The answering flow's state machine (SurveyAnswer.razor renders it; the calls to Surveys and the cookies stay there):
/// which view a refusal leads to and with what status, where a posted button leads once the page is saved, and what a
/// refused save or submit means. Which pages and questions are shown is Surveys' judgement (<see cref="AnswerPages"/>).
/// </summary>
public static class AnswerFlow
{
    /// <summary>The end a refusal leads to: 404 unknown, 410 answered or closed, 409 not open, a refused token or code unknown, else unavailable.</summary>
    public static AnswerView ViewFor(ServiceException problem) => problem.Status switch
    {
        HttpStatusCode.NotFound => AnswerView.Unknown,
        HttpStatusCode.Gone => problem.Reason == AnsweringApi.Reasons.Answered ? AnswerView.Answered : AnswerView.Closed,
        HttpStatusCode.Conflict => AnswerView.NotOpen,
        HttpStatusCode.BadRequest when problem.Errors.ContainsKey("token") || problem.Errors.ContainsKey("resumeCode") => AnswerView.Unknown,
        _ => AnswerView.Unavailable,
    };

    /// <summary>
    /// The status a view is sent with (410 answered or closed, 409 not open, 503). An unknown link stays a 200: a 404
    /// from a page would be replaced by the status-code page, and the resident must read this one.
    /// </summary>
    public static int StatusCodeOf(AnswerView view) => view switch
    {
        AnswerView.Answered or AnswerView.Closed => StatusCodes.Status410Gone,
        AnswerView.NotOpen => StatusCodes.Status409Conflict,
        AnswerView.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status200OK,
    };

    /// <summary>The UI texts' key of an end (answer.{key}.title and .body).</summary>
    public static string StateKey(AnswerView view, bool openLink) => view switch
    {
        AnswerView.Expired => openLink ? "expiredCode" : "expired",
        AnswerView.Answered => "answered",
        AnswerView.Closed => "closed",
        AnswerView.NotOpen => "notOpen",
        AnswerView.Unavailable => "unavailable",
        _ => "unknown",
    };

    /// <summary>The language a posted button asks for ("lang:sv"), or null.</summary>
    public static string? LanguageOf(string action) =>
        action.StartsWith("lang:", StringComparison.Ordinal) && Localization.UiText.Languages.Contains(action[5..]) ? action[5..] : null;

    /// <summary>
    /// Where a button leads once its page's answers are saved: back, saved for later, another language, the page again
    /// with its unanswered required questions, a page that follows the answers just saved (conditions), the submit on
    /// the last page, or (next on the last page) the same page.
    /// </summary>
    public static AnswerStep Next(string action, AnswerSession saved, PagePlace here)
    {
        if (action == "previous")
        {
            return new AnswerStep(AnswerStepKind.ShowPage, here.Previous ?? here.Page.Id, []);
        }

        if (action == "save")
        {
            return new AnswerStep(AnswerStepKind.SavedForLater, null, []);
        }

        if (action.StartsWith("lang:", StringComparison.Ordinal))
        {
            return new AnswerStep(AnswerStepKind.SwitchLanguage, null, []);
        }

        if (AnswerPages.MissingRequired(saved, here.Page.Id) is { Count: > 0 } missing)
        {
            return new AnswerStep(AnswerStepKind.MissingRequired, here.Page.Id, missing);
        }

        if (here.Next is not null)
        {
            return new AnswerStep(AnswerStepKind.ShowPage, here.Next, []);
        }

        return action == "submit"
            ? new AnswerStep(AnswerStepKind.Submit, here.Page.Id, [])
            : new AnswerStep(AnswerStepKind.ShowPage, here.Page.Id, []);
    }

    /// <summary>What a refused save of a page means.</summary>
    public static AnswerFailureKind SaveRefused(ServiceException problem) => problem switch
    {
        { Status: HttpStatusCode.BadRequest } when problem.AnswerErrors().Count > 0 => AnswerFailureKind.ShowProblems,
        { Status: HttpStatusCode.BadRequest } when problem.Errors.ContainsKey("page") => AnswerFailureKind.PageGone,
        { Status: HttpStatusCode.TooManyRequests } => AnswerFailureKind.Busy,
        _ when problem.Reason == AnsweringApi.Reasons.UnknownResumeCode => AnswerFailureKind.Expired,
        _ => AnswerFailureKind.End,
    };

    /// <summary>What a refused submit means: the answers' problems, too many at once, or an end.</summary>
    public static AnswerFailureKind SubmitRefused(ServiceException problem) => problem switch
    {
        { Status: HttpStatusCode.BadRequest } when problem.AnswerErrors().Count > 0 => AnswerFailureKind.ShowProblems,
        { Status: HttpStatusCode.TooManyRequests } => AnswerFailureKind.Busy,
        _ => AnswerFailureKind.End,
    };
}
