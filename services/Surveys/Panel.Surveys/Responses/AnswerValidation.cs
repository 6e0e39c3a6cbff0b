using System.Text.Json;
using Panel.Surveys.Definitions;

namespace Panel.Surveys.Responses;

/// <summary>Whether every required visible question must be answered (a submit) or not yet (saving a page to resume later).</summary>
public enum AnswerCompleteness
{
    Complete,
    Partial,
}

/// <summary>One problem with one answer: <see cref="Code"/> for the resident UI to word in fi/sv/en, <see cref="Message"/> in English.</summary>
public sealed record AnswerError(string QuestionId, string Code, string Message);

public static class AnswerErrorCodes
{
    /// <summary>The answer set names a question the survey does not have.</summary>
    public const string UnknownQuestion = "unknown-question";
    /// <summary>An answer to a question its conditions hide.</summary>
    public const string Hidden = "hidden";
    /// <summary>A required, visible question is unanswered.</summary>
    public const string Required = "required";
    /// <summary>The JSON value has the wrong shape for the question type.</summary>
    public const string WrongType = "wrong-type";
    /// <summary>An option, row or scale point id the question does not have.</summary>
    public const string NotAnOption = "not-an-option";
    public const string Duplicate = "duplicate";
    public const string OutOfRange = "out-of-range";
    /// <summary>A number between the allowed values (e.g. 2.5 where the step is 1).</summary>
    public const string NotOnStep = "not-on-step";
    public const string TooFewPicks = "too-few-picks";
    public const string TooManyPicks = "too-many-picks";
    public const string TooLong = "too-long";
    /// <summary>A ranking with another number of options than the question ranks.</summary>
    public const string RankCount = "rank-count";
    /// <summary>A required matrix with rows left unrated.</summary>
    public const string RowsMissing = "rows-missing";
    /// <summary>The vouchers given do not add up to the question's total.</summary>
    public const string VoucherTotal = "voucher-total";
    public const string CapExceeded = "cap-exceeded";
}

/// <summary>
/// Checks a submitted answer set (question id → JSON value) against a definition, without side effects.
/// Answer shapes: single-choice "optionId"; multiple-choice ["optionId", …]; likert 1..points; nps 0..10;
/// number a JSON number; free-text "text"; ranking ["optionId", …] best first; matrix {"rowId": "scaleId"};
/// budget {"optionId": vouchers}. null, "", [] and {} mean unanswered.
/// </summary>
public static class AnswerValidation
{
    public static IReadOnlyList<AnswerError> Validate(
        SurveyDefinition definition,
        IReadOnlyDictionary<string, JsonElement> answers,
        AnswerCompleteness completeness = AnswerCompleteness.Complete)
    {
        var errors = new List<AnswerError>();
        var questions = definition.Questions.ToDictionary(q => q.Id, StringComparer.Ordinal);
        foreach (var id in answers.Keys.Where(id => !questions.ContainsKey(id)).Order(StringComparer.Ordinal))
        {
            errors.Add(new AnswerError(id, AnswerErrorCodes.UnknownQuestion, "The survey has no such question."));
        }

        // Questions are judged in order, as conditions look only backwards. A condition on a question
        // whose answer is wrong cannot be decided: what depends on it is judged once that answer is fixed.
        var visible = new HashSet<string>(StringComparer.Ordinal);
        var undecided = new HashSet<string>(StringComparer.Ordinal);
        foreach (var page in definition.Pages)
        {
            var pageShown = Visibility.Evaluate(page.ShowIf, visible, undecided, answers);
            foreach (var question in page.Questions)
            {
                // Three-valued "and": hidden if either hides it, undecided if either is undecided.
                var own = Visibility.Evaluate(question.ShowIf, visible, undecided, answers);
                bool? shown = pageShown == false || own == false ? false : pageShown is null || own is null ? null : true;

                var answered = answers.TryGetValue(question.Id, out var value) && Visibility.IsAnswered(value);
                if (shown is null)
                {
                    undecided.Add(question.Id);
                    continue;
                }

                if (shown == false)
                {
                    if (answered)
                    {
                        errors.Add(new AnswerError(question.Id, AnswerErrorCodes.Hidden, "The question is not shown with these answers, so it takes no answer."));
                    }

                    continue;
                }

                visible.Add(question.Id);
                if (!answered)
                {
                    if (question.Required && completeness == AnswerCompleteness.Complete)
                    {
                        errors.Add(new AnswerError(question.Id, AnswerErrorCodes.Required, "An answer is required."));
                    }

                    continue;
                }

                if (Check(question, value) is { } error)
                {
                    errors.Add(error);
                    visible.Remove(question.Id);
                    undecided.Add(question.Id);
                }
            }
        }

        return errors;
    }

    /// <summary>The errors as a ValidationProblem's fields: <c>answers.{questionId}</c>.</summary>
    public static Dictionary<string, string[]> ToValidationErrors(IEnumerable<AnswerError> errors, string prefix = "answers") =>
        errors.GroupBy(e => $"{prefix}.{e.QuestionId}").ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());

    private static AnswerError? Check(Question question, JsonElement value)
    {
        AnswerError Error(string code, string message) => new(question.Id, code, message);

        switch (question)
        {
            case SingleChoiceQuestion s:
                if (value.ValueKind != JsonValueKind.String)
                {
                    return Error(AnswerErrorCodes.WrongType, "The answer is one option id (a string).");
                }

                return s.Options.Any(o => o.Id == value.GetString()) ? null : Error(AnswerErrorCodes.NotAnOption, "That is not one of the options.");

            case MultipleChoiceQuestion m:
            {
                if (Ids(value) is not { } picks)
                {
                    return Error(AnswerErrorCodes.WrongType, "The answer is an array of option ids.");
                }

                if (picks.Any(p => m.Options.All(o => o.Id != p)))
                {
                    return Error(AnswerErrorCodes.NotAnOption, "Some of those are not options of the question.");
                }

                if (picks.Distinct().Count() != picks.Count)
                {
                    return Error(AnswerErrorCodes.Duplicate, "An option is picked more than once.");
                }

                if (picks.Count < m.MinPicks)
                {
                    return Error(AnswerErrorCodes.TooFewPicks, $"Pick at least {m.MinPicks}.");
                }

                return picks.Count > m.MaxPicks ? Error(AnswerErrorCodes.TooManyPicks, $"Pick at most {m.MaxPicks}.") : null;
            }

            case LikertQuestion l:
                return WholeNumber(value, 1, l.Points, Error);

            case NpsQuestion:
                return WholeNumber(value, 0, 10, Error);

            case NumberQuestion n:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number))
                {
                    return Error(AnswerErrorCodes.WrongType, "The answer is a number.");
                }

                if (number < n.Min || number > n.Max)
                {
                    return Error(AnswerErrorCodes.OutOfRange, $"The number is {n.Min} to {n.Max}.");
                }

                return (number - n.Min) % n.Step == 0 ? null : Error(AnswerErrorCodes.NotOnStep, $"The number goes in steps of {n.Step} from {n.Min}.");

            case FreeTextQuestion f:
                if (value.ValueKind != JsonValueKind.String)
                {
                    return Error(AnswerErrorCodes.WrongType, "The answer is text (a string).");
                }

                return value.GetString()!.Length > f.MaxLength ? Error(AnswerErrorCodes.TooLong, $"At most {f.MaxLength} characters.") : null;

            case RankingQuestion r:
            {
                if (Ids(value) is not { } ranked)
                {
                    return Error(AnswerErrorCodes.WrongType, "The answer is an array of option ids, best first.");
                }

                if (ranked.Any(p => r.Options.All(o => o.Id != p)))
                {
                    return Error(AnswerErrorCodes.NotAnOption, "Some of those are not options of the question.");
                }

                if (ranked.Distinct().Count() != ranked.Count)
                {
                    return Error(AnswerErrorCodes.Duplicate, "An option is ranked more than once.");
                }

                return ranked.Count != r.Ranked ? Error(AnswerErrorCodes.RankCount, $"Rank exactly {r.Ranked} options.") : null;
            }

            case MatrixQuestion m:
            {
                if (value.ValueKind != JsonValueKind.Object)
                {
                    return Error(AnswerErrorCodes.WrongType, "The answer is an object of row id → scale point id.");
                }

                var rated = new HashSet<string>(StringComparer.Ordinal);
                foreach (var row in value.EnumerateObject())
                {
                    if (m.Rows.All(r => r.Id != row.Name))
                    {
                        return Error(AnswerErrorCodes.NotAnOption, $"'{row.Name}' is not a row of the question.");
                    }

                    if (!rated.Add(row.Name))
                    {
                        return Error(AnswerErrorCodes.Duplicate, $"Row '{row.Name}' is rated more than once.");
                    }

                    if (row.Value.ValueKind == JsonValueKind.Null)
                    {
                        rated.Remove(row.Name);
                        continue;
                    }

                    if (row.Value.ValueKind != JsonValueKind.String)
                    {
                        return Error(AnswerErrorCodes.WrongType, "Each row's rating is a scale point id (a string).");
                    }

                    if (m.Scale.All(s => s.Id != row.Value.GetString()))
                    {
                        return Error(AnswerErrorCodes.NotAnOption, $"The rating of row '{row.Name}' is not a point of the scale.");
                    }
                }

                return question.Required && rated.Count < m.Rows.Count
                    ? Error(AnswerErrorCodes.RowsMissing, "Rate every row.")
                    : null;
            }

            case BudgetQuestion b:
            {
                if (value.ValueKind != JsonValueKind.Object)
                {
                    return Error(AnswerErrorCodes.WrongType, "The answer is an object of option id → vouchers.");
                }

                var given = new HashSet<string>(StringComparer.Ordinal);
                long total = 0;
                foreach (var entry in value.EnumerateObject())
                {
                    var option = b.Options.FirstOrDefault(o => o.Id == entry.Name);
                    if (option is null)
                    {
                        return Error(AnswerErrorCodes.NotAnOption, $"'{entry.Name}' is not an option of the question.");
                    }

                    if (!given.Add(entry.Name))
                    {
                        return Error(AnswerErrorCodes.Duplicate, $"Option '{entry.Name}' appears more than once.");
                    }

                    if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out var vouchers) || vouchers < 0)
                    {
                        return Error(AnswerErrorCodes.WrongType, "Each option gets a whole number of vouchers, 0 or more.");
                    }

                    if (option.Cap is { } cap && vouchers > cap)
                    {
                        return Error(AnswerErrorCodes.CapExceeded, $"Option '{option.Id}' takes at most {cap} vouchers.");
                    }

                    total += vouchers;
                }

                return total != b.Vouchers ? Error(AnswerErrorCodes.VoucherTotal, $"Give exactly {b.Vouchers} vouchers; these add up to {total}.") : null;
            }

            default:
                return Error(AnswerErrorCodes.WrongType, "The question type takes no answers.");
        }
    }

    private static AnswerError? WholeNumber(JsonElement value, int min, int max, Func<string, string, AnswerError> error)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var n))
        {
            return error(AnswerErrorCodes.WrongType, $"The answer is a whole number {min} to {max}.");
        }

        return n < min || n > max ? error(AnswerErrorCodes.OutOfRange, $"The answer is {min} to {max}.") : null;
    }

    /// <summary>An array of strings, or null when the value is anything else.</summary>
    private static List<string>? Ids(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var ids = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            ids.Add(item.GetString()!);
        }

        return ids;
    }
}

/// <summary>Which questions a resident is shown, given their answers so far (conditions look only backwards).</summary>
public static class Visibility
{
    /// <summary>The ids of the questions shown, evaluating page and question conditions in order.</summary>
    public static IReadOnlySet<string> VisibleQuestions(SurveyDefinition definition, IReadOnlyDictionary<string, JsonElement> answers)
    {
        var visible = new HashSet<string>(StringComparer.Ordinal);
        var none = new HashSet<string>();
        foreach (var page in definition.Pages)
        {
            if (Evaluate(page.ShowIf, visible, none, answers) != true)
            {
                continue;
            }

            foreach (var question in page.Questions.Where(q => Evaluate(q.ShowIf, visible, none, answers) == true))
            {
                visible.Add(question.Id);
            }
        }

        return visible;
    }

    /// <summary>Whether a page is shown, given the answers to the questions before it.</summary>
    public static bool IsPageVisible(SurveyDefinition definition, string pageId, IReadOnlyDictionary<string, JsonElement> answers)
    {
        var page = definition.Pages.FirstOrDefault(p => p.Id == pageId);
        return page is not null && Evaluate(page.ShowIf, VisibleQuestions(definition, answers), new HashSet<string>(), answers) == true;
    }

    /// <summary>null, whitespace-only text, [] and {} are no answer.</summary>
    public static bool IsAnswered(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => false,
        JsonValueKind.String => !string.IsNullOrWhiteSpace(value.GetString()),
        JsonValueKind.Array => value.GetArrayLength() > 0,
        JsonValueKind.Object => value.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.Null),
        _ => true,
    };

    /// <summary>Whether a condition holds; null when it looks at a question in <paramref name="undecided"/>.</summary>
    internal static bool? Evaluate(Condition? condition, IReadOnlySet<string> visible, IReadOnlySet<string> undecided, IReadOnlyDictionary<string, JsonElement> answers)
    {
        if (condition is null)
        {
            return true;
        }

        if (undecided.Contains(condition.QuestionId))
        {
            return null;
        }

        if (!visible.Contains(condition.QuestionId) || !answers.TryGetValue(condition.QuestionId, out var answer) || !IsAnswered(answer))
        {
            return false;
        }

        if (condition.AnyOf is { } anyOf)
        {
            return answer.ValueKind switch
            {
                JsonValueKind.String => anyOf.Contains(answer.GetString()!),
                JsonValueKind.Array => answer.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && anyOf.Contains(a.GetString()!)),
                _ => false,
            };
        }

        return answer.ValueKind == JsonValueKind.Number && answer.TryGetDecimal(out var n)
            && (condition.Min is null || n >= condition.Min) && (condition.Max is null || n <= condition.Max);
    }
}
