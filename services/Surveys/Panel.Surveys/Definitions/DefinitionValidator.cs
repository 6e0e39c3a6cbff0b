using System.Text.RegularExpressions;
using Panel.Privacy;

namespace Panel.Surveys.Definitions;

/// <summary>A survey's content after validation: what is stored.</summary>
public sealed record ValidSurvey(SurveyKind Kind, string ServiceArea, int MinimumGroupSize, SurveyDefinition Definition);

public static class SurveyLanguages
{
    public static readonly IReadOnlyList<string> All = ["fi", "sv", "en"];
}

/// <summary>
/// Turns <see cref="SurveyContent"/> into a <see cref="ValidSurvey"/>, or names every bad field with its
/// JSON path (<c>pages[0].questions[2].maxPicks</c>). Missing translations are not errors here: a draft
/// may lack them (see <see cref="Translations"/>); a text missing in every language is.
/// </summary>
public static partial class DefinitionValidator
{
    public const int DefaultMinimumGroupSize = MinimumGroup.DefaultK;
    public const int LowestMinimumGroupSize = MinimumGroup.LowestK;
    public const int MaxPages = 50;
    public const int MaxQuestions = 200;
    public const int MaxFreeTextLength = 4000;
    public const int DefaultFreeTextLength = 1000;
    public const int MaxVouchers = 1000;
    public const int TitleLength = 200;
    public const int LongTextLength = 4000;
    public const int QuestionTextLength = 1000;
    public const int HelpLength = 2000;
    public const int LabelLength = 200;

    private const decimal NumberLimit = 1_000_000_000m;

    /// <summary>Which settings each type takes; any other setting given is refused.</summary>
    private static readonly Dictionary<string, string[]> Settings = new()
    {
        [QuestionTypes.SingleChoice] = ["options"],
        [QuestionTypes.MultipleChoice] = ["options", "minPicks", "maxPicks"],
        [QuestionTypes.Likert] = ["points", "labels"],
        [QuestionTypes.Nps] = ["lowLabel", "highLabel"],
        [QuestionTypes.Number] = ["min", "max", "step", "unit"],
        [QuestionTypes.FreeText] = ["maxLength"],
        [QuestionTypes.Ranking] = ["options", "rankCount"],
        [QuestionTypes.Matrix] = ["rows", "scale"],
        [QuestionTypes.Budget] = ["options", "vouchers"],
    };

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")]
    private static partial Regex IdPattern();

    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    public static ValidSurvey? Validate(SurveyContent input, IReadOnlyCollection<string> serviceAreas, out Dictionary<string, string[]> errors)
    {
        var e = new Errors();
        var kind = Kind(e, input.Kind);

        if (string.IsNullOrWhiteSpace(input.ServiceArea))
        {
            e.Add("serviceArea", "The service area is required.");
        }
        else if (!serviceAreas.Contains(input.ServiceArea))
        {
            e.Add("serviceArea", $"The service area is one of: {string.Join(", ", serviceAreas)}.");
        }

        var k = input.MinimumGroupSize ?? DefaultMinimumGroupSize;
        if (k < LowestMinimumGroupSize || k > 1000)
        {
            e.Add("minimumGroupSize", $"The minimum group size is {LowestMinimumGroupSize} to 1000 (default {DefaultMinimumGroupSize}).");
        }

        var languages = Languages(e, input.Languages);
        var title = Text(e, "title", input.Title, required: true, TitleLength);
        var purpose = Text(e, "purpose", input.Purpose, required: false, LongTextLength);
        var resultsUse = Text(e, "resultsUse", input.ResultsUse, required: false, LongTextLength);
        var pages = Pages(e, input.Pages ?? []);

        errors = e.ToDictionary();
        return errors.Count > 0
            ? null
            : new ValidSurvey(kind!.Value, input.ServiceArea!, k, new SurveyDefinition(languages, title!, purpose, resultsUse, pages));
    }

    private static SurveyKind? Kind(Errors e, string? value)
    {
        switch (value)
        {
            case "questionnaire":
                return SurveyKind.Questionnaire;
            case "participatory-budget":
                return SurveyKind.ParticipatoryBudget;
            case "pilot-recruitment":
                e.Add("kind", "Pilot recruitment surveys are not available yet.");
                return null;
            case null:
                e.Add("kind", "The kind is required: questionnaire or participatory-budget.");
                return null;
            default:
                e.Add("kind", "The kind is questionnaire or participatory-budget.");
                return null;
        }
    }

    private static List<string> Languages(Errors e, IReadOnlyList<string>? languages)
    {
        if (languages is null || languages.Count == 0)
        {
            e.Add("languages", "At least one language is required (fi, sv, en).");
            return [];
        }

        if (languages.Any(l => !SurveyLanguages.All.Contains(l)) || languages.Distinct().Count() != languages.Count)
        {
            e.Add("languages", "Languages are fi, sv and en, each at most once.");
        }

        return [.. languages];
    }

    /// <summary>Trims the texts and drops empty ones; a required text needs at least one language.</summary>
    internal static LocalizedText? Text(Errors e, string path, LocalizedText? text, bool required, int maxLength)
    {
        if (text is null)
        {
            if (required)
            {
                e.Add(path, "The text is required in at least one language.");
            }

            return null;
        }

        var result = new Dictionary<string, string>();
        foreach (var (language, value) in text)
        {
            if (!SurveyLanguages.All.Contains(language))
            {
                e.Add(path, $"'{language}' is not a language of Panel (fi, sv, en).");
                continue;
            }

            var trimmed = value?.Trim() ?? "";
            if (trimmed.Length > maxLength)
            {
                e.Add($"{path}.{language}", $"At most {maxLength} characters.");
            }
            else if (trimmed.Length > 0)
            {
                result[language] = trimmed;
            }
        }

        if (result.Count == 0)
        {
            if (required)
            {
                e.Add(path, "The text is required in at least one language.");
            }

            return null;
        }

        return result;
    }

    private static List<SurveyPage> Pages(Errors e, IReadOnlyList<PageInput?> input)
    {
        if (input.Count > MaxPages)
        {
            e.Add("pages", $"At most {MaxPages} pages.");
            return [];
        }

        if (input.Sum(p => p?.Questions?.Count ?? 0) > MaxQuestions)
        {
            e.Add("pages", $"At most {MaxQuestions} questions in a survey.");
            return [];
        }

        var pageIds = new HashSet<string>(StringComparer.Ordinal);
        var questionIds = new HashSet<string>(StringComparer.Ordinal);
        var pages = new List<(SurveyPage Page, PageInput Input)>();
        for (var p = 0; p < input.Count; p++)
        {
            var path = $"pages[{p}]";
            if (input[p] is not { } page)
            {
                e.Add(path, "A page cannot be null.");
                continue;
            }

            if (!IsValidId(page.Id))
            {
                e.Add($"{path}.id", "The id is 1 to 40 letters, digits, '-' or '_', starting with a letter or digit.");
            }
            else if (!pageIds.Add(page.Id!))
            {
                e.Add($"{path}.id", $"Another page has the id '{page.Id}'.");
            }

            var title = Text(e, $"{path}.title", page.Title, required: false, TitleLength);
            var questions = new List<Question>();
            var inputs = page.Questions ?? [];
            for (var q = 0; q < inputs.Count; q++)
            {
                var qPath = $"{path}.questions[{q}]";
                if (inputs[q] is not { } question)
                {
                    e.Add(qPath, "A question cannot be null.");
                    continue;
                }

                if (IsValidId(question.Id) && !questionIds.Add(question.Id!))
                {
                    e.Add($"{qPath}.id", $"Another question has the id '{question.Id}'.");
                }

                if (QuestionOf(e, qPath, question) is { } valid)
                {
                    questions.Add(valid);
                }
            }

            pages.Add((new SurveyPage(page.Id ?? "", title, null, questions), page));
        }

        return Conditions(e, pages);
    }

    /// <summary>
    /// Conditions refer only to earlier questions: a page's to questions of earlier pages, a question's to
    /// any question before it. Backward references alone can never form a cycle.
    /// </summary>
    private static List<SurveyPage> Conditions(Errors e, List<(SurveyPage Page, PageInput Input)> pages)
    {
        // Where every question id of the input stands (first occurrence), valid or not.
        var position = new Dictionary<string, (int Page, int Index)>(StringComparer.Ordinal);
        var index = 0;
        for (var p = 0; p < pages.Count; p++)
        {
            foreach (var qi in pages[p].Input.Questions ?? [])
            {
                if (qi?.Id is { } id)
                {
                    position.TryAdd(id, (p, index));
                }

                index++;
            }
        }

        var earlier = new Dictionary<string, Question>(StringComparer.Ordinal);
        var result = new List<SurveyPage>();
        index = 0;
        for (var p = 0; p < pages.Count; p++)
        {
            var (page, input) = pages[p];
            var pageCondition = Condition(e, $"pages[{p}].showIf", input.ShowIf, earlier, other => position.TryGetValue(other, out var at) ? at.Page >= p : null, selfId: null);
            var questions = new List<Question>();
            var inputs = input.Questions ?? [];
            for (var q = 0; q < inputs.Count; q++, index++)
            {
                var match = inputs[q] is { } qi ? page.Questions.FirstOrDefault(x => x.Id == qi.Id) : null;
                if (match is null)
                {
                    continue;
                }

                var here = index;
                var condition = Condition(e, $"pages[{p}].questions[{q}].showIf", inputs[q]!.ShowIf, earlier,
                    other => position.TryGetValue(other, out var at) ? at.Index >= here : null, selfId: match.Id);
                var question = condition is null ? match : match with { ShowIf = condition };
                questions.Add(question);
                earlier.TryAdd(question.Id, question);
            }

            result.Add(page with { ShowIf = pageCondition, Questions = questions });
        }

        return result;
    }

    /// <param name="isLater">Whether a question id of the survey comes at or after the condition's place; null for an unknown id.</param>
    private static Condition? Condition(Errors e, string path, ConditionInput? input, Dictionary<string, Question> earlier,
        Func<string, bool?> isLater, string? selfId)
    {
        if (input is null)
        {
            return null;
        }

        if (string.IsNullOrEmpty(input.QuestionId))
        {
            e.Add($"{path}.questionId", "The question the condition looks at is required.");
            return null;
        }

        if (input.QuestionId == selfId)
        {
            e.Add($"{path}.questionId", "A question cannot depend on its own answer.");
            return null;
        }

        switch (isLater(input.QuestionId))
        {
            case null:
                e.Add($"{path}.questionId", $"There is no question '{input.QuestionId}'.");
                return null;
            case true:
                e.Add($"{path}.questionId", selfId is null
                    ? $"Question '{input.QuestionId}' is on this page or a later one; a page's condition can only look at questions of earlier pages."
                    : $"Question '{input.QuestionId}' comes later; a condition can only look at earlier questions.");
                return null;
        }

        if (!earlier.TryGetValue(input.QuestionId, out var target))
        {
            // The earlier question has errors of its own, reported at its place.
            return null;
        }

        var hasRange = input.Min is not null || input.Max is not null;
        if (input.AnyOf is not null && hasRange)
        {
            e.Add(path, "Give either anyOf (options) or min/max (a range), not both.");
            return null;
        }

        if (input.AnyOf is not null)
        {
            var options = target switch
            {
                SingleChoiceQuestion s => s.Options,
                MultipleChoiceQuestion m => m.Options,
                _ => null,
            };
            if (options is null)
            {
                e.Add($"{path}.anyOf", $"anyOf needs a single or multiple choice question; '{target.Id}' is {target.Type}.");
                return null;
            }

            if (input.AnyOf.Count == 0 || input.AnyOf.Distinct().Count() != input.AnyOf.Count)
            {
                e.Add($"{path}.anyOf", "anyOf lists one or more distinct option ids.");
                return null;
            }

            var unknown = input.AnyOf.Where(id => options.All(o => o.Id != id)).ToList();
            if (unknown.Count > 0)
            {
                e.Add($"{path}.anyOf", $"Question '{target.Id}' has no option {string.Join(", ", unknown.Select(u => $"'{u}'"))}.");
                return null;
            }

            return new Condition(target.Id, [.. input.AnyOf], null, null);
        }

        if (!hasRange)
        {
            e.Add(path, "Give anyOf (options) or min/max (a range).");
            return null;
        }

        (decimal Low, decimal High)? range = target switch
        {
            LikertQuestion l => (1, l.Points),
            NpsQuestion => (0, 10),
            NumberQuestion n => (n.Min, n.Max),
            _ => null,
        };
        if (range is not { } r)
        {
            e.Add(path, $"A range needs a Likert, NPS or number question; '{target.Id}' is {target.Type}.");
            return null;
        }

        if (input.Min > input.Max)
        {
            e.Add($"{path}.min", "min cannot be above max.");
            return null;
        }

        if ((input.Min ?? r.Low) > r.High || (input.Max ?? r.High) < r.Low)
        {
            e.Add(path, $"The range never holds: answers to '{target.Id}' are {r.Low} to {r.High}.");
            return null;
        }

        return new Condition(target.Id, null, input.Min, input.Max);
    }

    private static Question? QuestionOf(Errors e, string path, QuestionInput q)
    {
        var before = e.Count;
        if (!IsValidId(q.Id))
        {
            e.Add($"{path}.id", "The id is 1 to 40 letters, digits, '-' or '_', starting with a letter or digit.");
        }

        if (q.Type is null || !Settings.TryGetValue(q.Type, out var allowed))
        {
            e.Add($"{path}.type", $"The type is one of: {string.Join(", ", QuestionTypes.All)}.");
            return null;
        }

        foreach (var (setting, given) in GivenSettings(q))
        {
            if (given && !allowed.Contains(setting))
            {
                e.Add($"{path}.{setting}", $"{setting} does not apply to a {q.Type} question.");
            }
        }

        var text = Text(e, $"{path}.text", q.Text, required: true, QuestionTextLength);
        var help = Text(e, $"{path}.help", q.Help, required: false, HelpLength);
        var id = q.Id ?? "";
        var required = q.Required ?? false;

        Question? question = q.Type switch
        {
            QuestionTypes.SingleChoice => Choices(e, $"{path}.options", q.Options, 2, 50) is { } options
                ? new SingleChoiceQuestion(id, text!, help, required, null, options)
                : null,
            QuestionTypes.MultipleChoice => MultipleChoice(e, path, q, id, text, help, required),
            QuestionTypes.Likert => Likert(e, path, q, id, text, help, required),
            QuestionTypes.Nps => Nps(e, path, q, id, text, help, required),
            QuestionTypes.Number => Number(e, path, q, id, text, help, required),
            QuestionTypes.FreeText => FreeText(e, path, q, id, text, help, required),
            QuestionTypes.Ranking => Ranking(e, path, q, id, text, help, required),
            QuestionTypes.Matrix => Matrix(e, path, q, id, text, help, required),
            QuestionTypes.Budget => Budget(e, path, q, id, text, help, required),
            _ => null,
        };
        return e.Count == before ? question : null;
    }

    private static IEnumerable<(string Setting, bool Given)> GivenSettings(QuestionInput q) =>
    [
        ("options", q.Options is not null), ("minPicks", q.MinPicks is not null), ("maxPicks", q.MaxPicks is not null),
        ("points", q.Points is not null), ("labels", q.Labels is not null), ("lowLabel", q.LowLabel is not null),
        ("highLabel", q.HighLabel is not null), ("min", q.Min is not null), ("max", q.Max is not null),
        ("step", q.Step is not null), ("unit", q.Unit is not null), ("maxLength", q.MaxLength is not null),
        ("rankCount", q.RankCount is not null), ("rows", q.Rows is not null), ("scale", q.Scale is not null),
        ("vouchers", q.Vouchers is not null),
    ];

    private static List<Choice>? Choices(Errors e, string path, IReadOnlyList<OptionInput?>? input, int min, int max)
    {
        if (input is null || input.Count < min || input.Count > max)
        {
            e.Add(path, $"{min} to {max} are required.");
            return null;
        }

        var before = e.Count;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<Choice>();
        for (var i = 0; i < input.Count; i++)
        {
            if (input[i] is not { } option)
            {
                e.Add($"{path}[{i}]", "An option cannot be null.");
                continue;
            }

            if (!IsValidId(option.Id))
            {
                e.Add($"{path}[{i}].id", "The id is 1 to 40 letters, digits, '-' or '_', starting with a letter or digit.");
            }
            else if (!ids.Add(option.Id!))
            {
                e.Add($"{path}[{i}].id", $"Another one has the id '{option.Id}'.");
            }

            if (option.Cap is not null)
            {
                e.Add($"{path}[{i}].cap", "Only budget options have a cap.");
            }

            var label = Text(e, $"{path}[{i}].label", option.Label, required: true, LabelLength);
            result.Add(new Choice(option.Id ?? "", label ?? new Dictionary<string, string>()));
        }

        return e.Count == before ? result : null;
    }

    private static MultipleChoiceQuestion? MultipleChoice(Errors e, string path, QuestionInput q, string id, LocalizedText? text, LocalizedText? help, bool required)
    {
        if (Choices(e, $"{path}.options", q.Options, 2, 50) is not { } options)
        {
            return null;
        }

        var minPicks = q.MinPicks ?? 0;
        var maxPicks = q.MaxPicks ?? options.Count;
        var ok = true;
        if (minPicks < 0 || minPicks > options.Count)
        {
            e.Add($"{path}.minPicks", $"minPicks is 0 to the number of options ({options.Count}).");
            ok = false;
        }

        if (maxPicks < 1 || maxPicks > options.Count)
        {
            e.Add($"{path}.maxPicks", $"maxPicks is 1 to the number of options ({options.Count}).");
            ok = false;
        }
        else if (minPicks > maxPicks)
        {
            e.Add($"{path}.maxPicks", "maxPicks cannot be below minPicks.");
            ok = false;
        }

        return ok ? new MultipleChoiceQuestion(id, text!, help, required, null, options, minPicks, maxPicks) : null;
    }

    private static LikertQuestion? Likert(Errors e, string path, QuestionInput q, string id, LocalizedText? text, LocalizedText? help, bool required)
    {
        if (q.Points is not (5 or 7))
        {
            e.Add($"{path}.points", "A Likert scale has 5 or 7 points.");
            return null;
        }

        if (q.Labels is null || q.Labels.Count != q.Points)
        {
            e.Add($"{path}.labels", $"Each of the {q.Points} points needs a label.");
            return null;
        }

        var labels = new List<LocalizedText>();
        for (var i = 0; i < q.Labels.Count; i++)
        {
            if (Text(e, $"{path}.labels[{i}]", q.Labels[i], required: true, LabelLength) is { } label)
            {
                labels.Add(label);
            }
        }

        return labels.Count == q.Points ? new LikertQuestion(id, text!, help, required, null, q.Points.Value, labels) : null;
    }

    private static NpsQuestion? Nps(Errors e, string path, QuestionInput q, string id, LocalizedText? text, LocalizedText? help, bool required)
    {
        var low = Text(e, $"{path}.lowLabel", q.LowLabel, required: true, LabelLength);
        var high = Text(e, $"{path}.highLabel", q.HighLabel, required: true, LabelLength);
        return low is null || high is null ? null : new NpsQuestion(id, text!, help, required, null, low, high);
    }

    private static NumberQuestion? Number(Errors e, string path, QuestionInput q, string id, LocalizedText? text, LocalizedText? help, bool required)
    {
        var ok = true;
        foreach (var (name, value) in new[] { ("min", q.Min), ("max", q.Max), ("step", q.Step) })
        {
            if (value is { } v && (Math.Abs(v) > NumberLimit || v.Scale > 4 && decimal.Round(v, 4) != v))
            {
                e.Add($"{path}.{name}", $"At most 4 decimals and ±{NumberLimit:0}.");
                ok = false;
            }
        }

        if (q.Min is null)
        {
            e.Add($"{path}.min", "min is required.");
            ok = false;
        }

        if (q.Max is null)
        {
            e.Add($"{path}.max", "max is required.");
            ok = false;
        }

        if (!ok)
        {
            return null;
        }

        if (q.Min >= q.Max)
        {
            e.Add($"{path}.max", "max must be above min.");
            return null;
        }

        var step = q.Step ?? 1;
        if (step <= 0 || step > q.Max - q.Min)
        {
            e.Add($"{path}.step", "step is above 0 and at most max − min (1 for whole numbers).");
            return null;
        }

        var unit = Text(e, $"{path}.unit", q.Unit, required: false, 40);
        return new NumberQuestion(id, text!, help, required, null, q.Min!.Value, q.Max!.Value, step, unit);
    }

    private static FreeTextQuestion? FreeText(Errors e, string path, QuestionInput q, string id, LocalizedText? text, LocalizedText? help, bool required)
    {
        var maxLength = q.MaxLength ?? DefaultFreeTextLength;
        if (maxLength < 1 || maxLength > MaxFreeTextLength)
        {
            e.Add($"{path}.maxLength", $"maxLength is 1 to {MaxFreeTextLength}.");
            return null;
        }

        return new FreeTextQuestion(id, text!, help, required, null, maxLength);
    }

    private static RankingQuestion? Ranking(Errors e, string path, QuestionInput q, string id, LocalizedText? text, LocalizedText? help, bool required)
    {
        if (Choices(e, $"{path}.options", q.Options, 2, 20) is not { } options)
        {
            return null;
        }

        if (q.RankCount is { } n && (n < 1 || n > options.Count))
        {
            e.Add($"{path}.rankCount", $"rankCount (rank the top N) is 1 to the number of options ({options.Count}); leave it out to rank all.");
            return null;
        }

        return new RankingQuestion(id, text!, help, required, null, options, q.RankCount);
    }

    private static MatrixQuestion? Matrix(Errors e, string path, QuestionInput q, string id, LocalizedText? text, LocalizedText? help, bool required)
    {
        var rows = Choices(e, $"{path}.rows", q.Rows, 1, 30);
        var scale = Choices(e, $"{path}.scale", q.Scale, 2, 11);
        return rows is null || scale is null ? null : new MatrixQuestion(id, text!, help, required, null, rows, scale);
    }

    private static BudgetQuestion? Budget(Errors e, string path, QuestionInput q, string id, LocalizedText? text, LocalizedText? help, bool required)
    {
        if (q.Vouchers is not { } vouchers || vouchers < 1 || vouchers > MaxVouchers)
        {
            e.Add($"{path}.vouchers", $"vouchers (how many each resident distributes) is 1 to {MaxVouchers}.");
            return null;
        }

        var input = q.Options;
        if (input is null || input.Count < 2 || input.Count > 30)
        {
            e.Add($"{path}.options", "2 to 30 are required.");
            return null;
        }

        var before = e.Count;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var options = new List<BudgetOption>();
        for (var i = 0; i < input.Count; i++)
        {
            if (input[i] is not { } option)
            {
                e.Add($"{path}.options[{i}]", "An option cannot be null.");
                continue;
            }

            if (!IsValidId(option.Id))
            {
                e.Add($"{path}.options[{i}].id", "The id is 1 to 40 letters, digits, '-' or '_', starting with a letter or digit.");
            }
            else if (!ids.Add(option.Id!))
            {
                e.Add($"{path}.options[{i}].id", $"Another one has the id '{option.Id}'.");
            }

            if (option.Cap is { } cap && (cap < 1 || cap > vouchers))
            {
                e.Add($"{path}.options[{i}].cap", $"A cap is 1 to the number of vouchers ({vouchers}).");
            }

            var label = Text(e, $"{path}.options[{i}].label", option.Label, required: true, LabelLength);
            options.Add(new BudgetOption(option.Id ?? "", label ?? new Dictionary<string, string>(), option.Cap));
        }

        if (e.Count != before)
        {
            return null;
        }

        var reachable = options.Sum(o => (long)(o.Cap ?? vouchers));
        if (reachable < vouchers)
        {
            e.Add($"{path}.options", $"The caps let a resident give at most {reachable} of the {vouchers} vouchers; raise them or remove some.");
            return null;
        }

        return new BudgetQuestion(id, text!, help, required, null, vouchers, options);
    }

    /// <summary>Field errors gathered in order, several per field.</summary>
    internal sealed class Errors
    {
        private readonly Dictionary<string, List<string>> _errors = [];

        public int Count { get; private set; }

        public void Add(string field, string message)
        {
            if (!_errors.TryGetValue(field, out var list))
            {
                _errors[field] = list = [];
            }

            list.Add(message);
            Count++;
        }

        public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
    }
}
