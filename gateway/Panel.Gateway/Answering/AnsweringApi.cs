using System.Text.Json;

namespace Panel.Gateway.Answering;

/// <summary>
/// Paths and shapes of Surveys' answering API (services/Surveys/Panel.Surveys/Answering) and Membership's list of
/// a signed-in member's invitations. The invitation token and the open link's resume code travel only in JSON
/// bodies: no path or query the gateway sends carries them.
/// </summary>
public static class AnsweringApi
{
    public const string InvitationForm = "/api/surveys/answering/invitation/form";
    public const string InvitationDraft = "/api/surveys/answering/invitation/draft";
    public const string InvitationSubmit = "/api/surveys/answering/invitation/submit";
    public const string MyInvitations = "/api/membership/me/invitations";

    /// <summary>The open survey's calls: <c>/api/surveys/answering/open/{publicId}/{form|draft|submit}</c>.</summary>
    public static string Open(string publicId, string call) =>
        $"/api/surveys/answering/open/{Uri.EscapeDataString(publicId)}/{call}";

    /// <summary>Staff's assisted and paper answers: <c>POST /api/surveys/{id}/assisted-responses</c> (coordinator, domain contact of the area).</summary>
    public static string Assisted(Guid surveyId) => $"/api/surveys/{surveyId}/assisted-responses";

    /// <summary>The values an assisted answer's profile fields accept (the county's municipalities among them): the page's selects offer these.</summary>
    public const string AssistedProfileValues = "/api/surveys/assisted-profile-values";

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

/// <summary>The body of every answering call (Surveys' AnswerRequest); nulls are left out.</summary>
public sealed record AnswerRequest(
    string? Token = null,
    string? ResumeCode = null,
    string? Language = null,
    string? Page = null,
    IReadOnlyDictionary<string, JsonElement>? Answers = null);

/// <summary>
/// The body of an assisted or paper answer (Surveys' AssistedAnswerRequest): the channel, the resident's coarse
/// profile if they gave it, the whole answer set. Nothing here names the staff member who enters it.
/// </summary>
public sealed record AssistedAnswer(string Channel, AssistedProfile? Profile, IReadOnlyDictionary<string, JsonElement> Answers);

/// <summary>The coarse profile given with an assisted answer (Surveys' ProfileInput); nulls are left out.</summary>
public sealed record AssistedProfile(string? AgeBand, string? Municipality, string? Gender, string? Language, bool? IsClient);

/// <summary>What each profile field of an assisted answer accepts (Surveys' AssistedProfileValues); nothing else is saved.</summary>
public sealed record AssistedProfileValues(List<string> AgeBands, List<string> Municipalities, List<string> Genders, List<string> Languages);

/// <summary>The form in one language, the answers saved so far, and where the resident is.</summary>
public sealed record AnswerSession(
    string Channel,
    IReadOnlyList<string> Languages,
    SurveyForm Form,
    IReadOnlyDictionary<string, JsonElement> Answers,
    AnswerNavigation Navigation,
    DateTimeOffset ClosesAt,
    string? ResumeCode);

public sealed record AnswerNavigation(string Page, int Position, int Count, string? Previous, string? Next, IReadOnlyList<PageDisplay> Pages);

public sealed record PageDisplay(string Id, int Number, bool Shown, IReadOnlyList<QuestionDisplay> Questions);

public sealed record QuestionDisplay(string Id, bool Shown, bool DependsOnPage);

public sealed record AnswerReceived(string Status, string Language, string Title, string? ResultsUse);

public sealed record SurveyForm(
    Guid SurveyId,
    int Version,
    string Language,
    string Title,
    string? Purpose,
    string? ResultsUse,
    IReadOnlyList<FormPage> Pages);

public sealed record FormPage(string Id, int Number, string? Title, FormCondition? ShowIf, IReadOnlyList<FormQuestion> Questions);

public sealed record FormQuestion(
    string Id,
    string Type,
    int Number,
    string Text,
    string? Help,
    bool Required,
    FormCondition? ShowIf,
    IReadOnlyList<FormChoice>? Options = null,
    IReadOnlyList<FormChoice>? Rows = null,
    IReadOnlyList<FormChoice>? Columns = null,
    IReadOnlyList<FormPoint>? Points = null,
    int? MinPicks = null,
    int? MaxPicks = null,
    int? RankCount = null,
    int? Vouchers = null,
    decimal? Min = null,
    decimal? Max = null,
    decimal? Step = null,
    string? Unit = null,
    int? MaxLength = null)
{
    public IReadOnlyList<FormChoice> OptionList => Options ?? [];
    public IReadOnlyList<FormChoice> RowList => Rows ?? [];
    public IReadOnlyList<FormChoice> ColumnList => Columns ?? [];
    public IReadOnlyList<FormPoint> PointList => Points ?? [];

    /// <summary>How many options a ranking answer ranks.</summary>
    public int Ranked => RankCount ?? OptionList.Count;
}

public sealed record FormChoice(string Id, string Label, int? Cap = null);

public sealed record FormPoint(int Value, string? Label);

/// <summary>"Shown only if question X's answer is one of AnyOf, or within Min..Max."</summary>
public sealed record FormCondition(string QuestionId, IReadOnlyList<string>? AnyOf, decimal? Min, decimal? Max);

/// <summary>One answer's problem as Surveys names it: <see cref="Code"/> is worded by the page in the resident's language.</summary>
public sealed record AnswerProblem(string QuestionId, string? Page, string Code, string? Message);

/// <summary>GET /api/membership/me/invitations: one open invitation of the signed-in member.</summary>
public sealed record MyInvitation(Guid SurveyId, string? Title, DateTimeOffset? ClosesAt, bool Answered, string? Token);

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
