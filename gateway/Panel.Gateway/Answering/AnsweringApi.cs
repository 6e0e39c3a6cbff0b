namespace Panel.Gateway.Answering;

/// <summary>
/// What the answering pages know of Surveys' answering API beyond its generated client: which public ids can be one,
/// and the problem reasons. The invitation token and the open link's resume code travel only in JSON bodies: no
/// path or query the gateway sends carries them.
/// </summary>
public static class AnsweringApi
{

    /// <summary>Public ids are random URL-safe strings (22 characters); anything else is no survey.</summary>
    public static bool IsPublicId(string? id) =>
        id is { Length: > 0 and <= 32 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>Problem reasons Surveys gives (the <c>reason</c> extension).</summary>
    public static class Reasons
    {
        public const string UnknownInvitation = "unknown-invitation";
        public const string UnknownSurvey = "unknown-survey";
        public const string UnknownResumeCode = "unknown-resume-code";
        public const string Answered = "answered";
        public const string Closed = "closed";
        public const string NotOpen = "not-open";
        public const string Busy = "busy";
    }
}

/// <summary>
/// One answer's problem as Surveys names it in a problem's <c>answerErrors</c> (an extension member the OpenAPI
/// document does not describe): <see cref="Code"/> is worded by the page in the resident's language.
/// </summary>
public sealed record AnswerProblem(string QuestionId, string? Page, string Code, string? Message);

/// <summary>The question types (Surveys' QuestionTypes).</summary>
public static class QuestionTypes
{
    public const string SingleChoice = "single-choice";
    public const string MultipleChoice = "multiple-choice";
    public const string Likert = "likert";
    public const string Nps = "nps";
    public const string Number = "number";
    public const string FreeText = "free-text";
    public const string Ranking = "ranking";
    public const string Matrix = "matrix";
    public const string Budget = "budget";
}
