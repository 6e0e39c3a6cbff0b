namespace Panel.Contracts;

// Events of the Surveys service: one for every step of a survey's lifecycle
// (draft → in review → approved → open → closed → results published).
// Texts are keyed by language code ("fi", "sv", "en"). Kinds and question types are strings so that a
// new kind or type is an additive change: "questionnaire", "participatory-budget", "pilot-recruitment";
// "single-choice", "multiple-choice", "likert", "nps", "number", "free-text", "ranking", "matrix", "budget".

/// <summary>A survey was sent for review (Draft → InReview).</summary>
public sealed record SurveySubmitted(Guid SurveyId, string Kind, string ServiceArea, int Version, DateTimeOffset SubmittedAt);

/// <summary>A reviewer sent the survey back to draft with a comment (InReview → Draft).</summary>
public sealed record SurveyReturned(Guid SurveyId, string ServiceArea, int Version, DateTimeOffset ReturnedAt);

/// <summary>
/// The coordinator approved the survey and scheduled it (InReview → Approved). Carries everything
/// Reporting needs to lay out results (questions, k, purpose texts) and Membership to plan invitations.
/// </summary>
/// <param name="TargetGroup">Who is invited; null until the survey's target group is set.</param>
public sealed record SurveyApproved(
    Guid SurveyId,
    int Version,
    SurveyDefinitionSnapshot Definition,
    SurveyTargetGroupSnapshot? TargetGroup,
    DateTimeOffset OpensAt,
    DateTimeOffset ClosesAt,
    DateTimeOffset ApprovedAt);

/// <summary>The coordinator moved an approved or open survey's opening or closing time.</summary>
public sealed record SurveyRescheduled(Guid SurveyId, DateTimeOffset OpensAt, DateTimeOffset ClosesAt, DateTimeOffset RescheduledAt);

/// <summary>
/// The survey was changed after approval (text fixes once answers exist; anything valid before).
/// <paramref name="Version"/> is the version new answers will name.
/// </summary>
public sealed record SurveyRevised(Guid SurveyId, int Version, SurveyDefinitionSnapshot Definition, DateTimeOffset RevisedAt);

/// <summary>
/// The survey opened for answers at its opening time (Approved → Open): Membership draws the sample
/// and invites in the member's language if it is one of <paramref name="Languages"/> (else the first).
/// <paramref name="MinimumGroupSize"/> is the survey's k (added later, so null in older messages): Membership invites
/// nobody when fewer than k members would be invited.
/// </summary>
public sealed record SurveyOpened(
    Guid SurveyId,
    int Version,
    string Kind,
    string ServiceArea,
    IReadOnlyList<string> Languages,
    IReadOnlyDictionary<string, string> Title,
    IReadOnlyDictionary<string, string> Purpose,
    SurveyTargetGroupSnapshot? TargetGroup,
    DateTimeOffset ClosesAt,
    DateTimeOffset OpenedAt,
    int? MinimumGroupSize = null);

/// <summary>The survey stopped taking answers (Open → Closed): at its closing time, or early by a coordinator.</summary>
public sealed record SurveyClosed(Guid SurveyId, bool ClosedEarly, DateTimeOffset ClosedAt);

/// <summary>Results may be shown to the public (Closed → ResultsPublished), with the survey's purpose and how results are used.</summary>
public sealed record SurveyResultsPublished(
    Guid SurveyId,
    int Version,
    string ServiceArea,
    int MinimumGroupSize,
    IReadOnlyDictionary<string, string> Title,
    IReadOnlyDictionary<string, string> Purpose,
    IReadOnlyDictionary<string, string> ResultsUse,
    DateTimeOffset PublishedAt);

/// <summary>A survey's content: texts, pages and questions, and the minimum group size k of its results.</summary>
public sealed record SurveyDefinitionSnapshot(
    string Kind,
    string ServiceArea,
    int MinimumGroupSize,
    IReadOnlyList<string> Languages,
    IReadOnlyDictionary<string, string> Title,
    IReadOnlyDictionary<string, string> Purpose,
    IReadOnlyDictionary<string, string> ResultsUse,
    IReadOnlyList<SurveyPageSnapshot> Pages);

public sealed record SurveyPageSnapshot(
    string Id,
    IReadOnlyDictionary<string, string>? Title,
    SurveyConditionSnapshot? ShowIf,
    IReadOnlyList<SurveyQuestionSnapshot> Questions);

/// <summary>
/// One question, flattened: <paramref name="Type"/> says which settings are set.
/// single-choice, multiple-choice (MinPicks, MaxPicks), ranking (RankCount: how many are ranked), budget
/// (Vouchers; Options with Cap): <paramref name="Options"/>. matrix: <paramref name="Rows"/> and
/// <paramref name="Scale"/> (in scale order). likert: Min 1, Max = points, Scale "1".."N" with labels.
/// nps: Min 0, Max 10, Scale "0" and "10" with the end labels. number: Min, Max, Step, Unit.
/// free-text: MaxLength. Answers name options, rows and scale points by their ids.
/// </summary>
public sealed record SurveyQuestionSnapshot(
    string Id,
    string Type,
    IReadOnlyDictionary<string, string> Text,
    bool Required,
    SurveyConditionSnapshot? ShowIf,
    IReadOnlyList<SurveyChoiceSnapshot> Options,
    IReadOnlyList<SurveyChoiceSnapshot> Rows,
    IReadOnlyList<SurveyChoiceSnapshot> Scale,
    int? MinPicks,
    int? MaxPicks,
    int? RankCount,
    int? Vouchers,
    decimal? Min,
    decimal? Max,
    decimal? Step,
    IReadOnlyDictionary<string, string>? Unit,
    int? MaxLength);

public sealed record SurveyChoiceSnapshot(string Id, IReadOnlyDictionary<string, string> Label, int? Cap);

/// <summary>Shown only if question <paramref name="QuestionId"/>'s answer is one of <paramref name="AnyOf"/>, or within Min..Max.</summary>
public sealed record SurveyConditionSnapshot(string QuestionId, IReadOnlyList<string>? AnyOf, decimal? Min, decimal? Max);

/// <summary>
/// Who is invited: criteria over the coarse profile (an empty list means anyone), a sample size (null:
/// everyone who matches), quotas and reminders. Values: age bands "15-24" … "85+"; genders "woman", "man",
/// "other", "unspecified"; languages "fi", "sv", "en"; campaign codes in capitals.
/// </summary>
/// <param name="Mode">"panel": Membership draws the sample and invites; "open-link": nobody is invited, anyone
/// with the survey's public link answers (criteria, sample size, quotas and reminders are then empty).</param>
/// <param name="Reminders">For "panel": remind those who have not answered; null for "open-link".</param>
public sealed record SurveyTargetGroupSnapshot(
    IReadOnlyList<string> AgeBands,
    IReadOnlyList<string> Municipalities,
    IReadOnlyList<string> Genders,
    IReadOnlyList<string> Languages,
    bool? IsClient,
    IReadOnlyList<string> CampaignCodes,
    int? SampleSize,
    IReadOnlyList<SurveyQuotaSnapshot> Quotas,
    string Mode,
    SurveyRemindersSnapshot? Reminders);

/// <summary>Remind an invited member who has not answered <paramref name="AfterDays"/> days after the invitation (and after each reminder), at most <paramref name="Max"/> times (0: never).</summary>
public sealed record SurveyRemindersSnapshot(int AfterDays, int Max);

/// <summary>
/// At least <paramref name="MinimumShare"/> (0–1) of the sample have <paramref name="Attribute"/> in <paramref name="Values"/>
/// (e.g. ageBand 65-74, 75-84, 85+: 0.3). Attributes: "ageBand", "municipality", "gender", "language", "isClient" (values "true", "false").
/// </summary>
public sealed record SurveyQuotaSnapshot(string Attribute, IReadOnlyList<string> Values, decimal MinimumShare);
