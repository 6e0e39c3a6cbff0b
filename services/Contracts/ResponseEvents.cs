namespace Panel.Contracts;

/// <summary>
/// An anonymous answer set (Surveys → Reporting). Sent by Surveys' mixer in shuffled batches, apart from the
/// invitation it came from, so it carries no member, invitation or token and only the day it was submitted.
/// </summary>
/// <param name="DefinitionVersion">The survey version answered (SurveyApproved / SurveyRevised name versions).</param>
/// <param name="Channel">"invitation", "signed-in", "open-link", "assisted" or "paper".</param>
/// <param name="Profile">The invited member's coarse profile, or the one staff gave for an assisted or paper answer; null for an open link.</param>
/// <param name="Answers">One entry per answered question, in the survey's order; unanswered and hidden questions are left out.</param>
public sealed record ResponseSubmitted(
    Guid SurveyId,
    int DefinitionVersion,
    DateOnly SubmittedOn,
    string Channel,
    ProfileSnapshot? Profile,
    IReadOnlyList<AnswerSnapshot> Answers);

/// <summary>
/// Anonymous answer sets of one survey, as the mixer moved them (Surveys → Reporting): one message per at most
/// <see cref="MaxResponses"/> of a shuffled batch rather than one per answer set. Replaces single
/// <see cref="ResponseSubmitted"/> messages, which are still consumed (sent before an upgrade).
/// </summary>
public sealed record ResponsesSubmitted(Guid SurveyId, IReadOnlyList<ResponseSubmitted> Responses)
{
    /// <summary>Most answer sets in one message.</summary>
    public const int MaxResponses = 100;
}

/// <summary>
/// Every answer of a closed survey is in its results (Surveys → Reporting): sent once, by the response mixer, after the
/// closing release, when nothing more of the survey will ever be released; <paramref name="Responses"/> is how many
/// answer sets were released in all. Reporting shows results broken down by profile or audience only once it holds
/// exactly that many: breakdowns taken while answers still arrive could be subtracted from each other over time, and a
/// group's change between two of them can be fewer than k people even when every release adds k or more in all.
/// </summary>
public sealed record SurveyAnswersFinalized(Guid SurveyId, int Responses, DateTimeOffset At);

/// <summary>
/// One answer, by the question's <paramref name="Type"/> (as in SurveyQuestionSnapshot); exactly one value is set:
/// single-choice: <paramref name="Options"/> with the one option id; multiple-choice: <paramref name="Options"/> (ids picked);
/// ranking: <paramref name="Options"/> best first; likert (1..points), nps (0..10), number: <paramref name="Number"/>;
/// free-text: <paramref name="Text"/>, masked for personal identity codes, phone numbers and email addresses;
/// matrix: <paramref name="Matrix"/> row id → scale point id (rows rated); budget: <paramref name="Allocation"/>
/// option id → vouchers, every option of the question (0 where none given), adding up to the question's total.
/// </summary>
public sealed record AnswerSnapshot(
    string QuestionId,
    string Type,
    IReadOnlyList<string>? Options,
    decimal? Number,
    string? Text,
    IReadOnlyDictionary<string, string>? Matrix,
    IReadOnlyDictionary<string, int>? Allocation);
