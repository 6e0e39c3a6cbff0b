using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Panel.Gateway.Backends.Surveys;

namespace Panel.Gateway.Answering;

/// <summary>
/// The answers of one page as plain HTML form fields, both ways. A question's fields are named after its id
/// (ids are letters, digits, '-' and '_', so a '.' separates): <c>q.{id}</c> for single and multiple choice,
/// Likert, NPS, number and free text; <c>q.{id}.{place}</c> for a ranking's places 1..n; <c>q.{id}.{rowId}</c>
/// for a matrix row; <c>q.{id}.{optionId}</c> for a budget option. Each rendered question also posts its type in
/// <c>qt.{id}</c>, so a post can be turned into answers without asking Surveys for the form first; Surveys checks
/// every answer anyway, so a forged type gains nothing.
/// </summary>
public static class AnswerFields
{
    public const string TypePrefix = "qt.";

    /// <summary>Raw field values by field name, as the page renders them and a browser posts them.</summary>
    public sealed class Values : Dictionary<string, IReadOnlyList<string>>
    {
        public Values() : base(StringComparer.Ordinal)
        {
        }

        public string First(string name) => TryGetValue(name, out var values) && values.Count > 0 ? values[0] : "";

        public bool Has(string name, string value) => TryGetValue(name, out var values) && values.Contains(value, StringComparer.Ordinal);
    }

    private static readonly HashSet<string> Types =
    [
        QuestionTypes.SingleChoice, QuestionTypes.MultipleChoice, QuestionTypes.Likert, QuestionTypes.Nps, QuestionTypes.Number,
        QuestionTypes.FreeText, QuestionTypes.Ranking, QuestionTypes.Matrix, QuestionTypes.Budget,
    ];

    public static string Field(string questionId) => "q." + questionId;

    public static string Field(string questionId, string part) => "q." + questionId + "." + part;

    /// <summary>The posted fields of the questions the post names (by their <c>qt.{id}</c> fields), and those types.</summary>
    public static (Values Values, IReadOnlyList<(string Id, string Type)> Questions) FromPost(IFormCollection form)
    {
        var questions = new List<(string, string)>();
        foreach (var key in form.Keys.Where(k => k.StartsWith(TypePrefix, StringComparison.Ordinal)).Take(200))
        {
            if (Types.Contains(form[key].ToString()))
            {
                questions.Add((key[TypePrefix.Length..], form[key].ToString()));
            }
        }

        var values = new Values();
        foreach (var (key, value) in form)
        {
            if (key.StartsWith("q.", StringComparison.Ordinal))
            {
                values[key] = Strings(value);
            }
        }

        return (values, questions);
    }

    private static List<string> Strings(StringValues values) => [.. values.Select(v => v ?? "")];

    /// <summary>The JSON answers of posted fields: an unanswered question is null, which clears it on the page.</summary>
    public static Dictionary<string, JsonElement> ToAnswers(IEnumerable<(string Id, string Type)> questions, Values values)
    {
        var answers = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (id, type) in questions)
        {
            answers[id] = ToAnswer(id, type, values);
        }

        return answers;
    }

    private static readonly JsonElement Null = JsonSerializer.SerializeToElement<object?>(null);

    private static JsonElement ToAnswer(string id, string type, Values values)
    {
        var single = values.First(Field(id)).Trim();
        switch (type)
        {
            case QuestionTypes.SingleChoice:
                return single.Length == 0 ? Null : JsonSerializer.SerializeToElement(single);

            case QuestionTypes.MultipleChoice:
            {
                var picks = (values.GetValueOrDefault(Field(id)) ?? []).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();
                return picks.Count == 0 ? Null : JsonSerializer.SerializeToElement(picks);
            }

            case QuestionTypes.Likert or QuestionTypes.Nps or QuestionTypes.Number:
                return single.Length == 0 ? Null
                    : ParseNumber(single) is { } number ? JsonSerializer.SerializeToElement(number)
                    // Not a number: passed on as text, so Surveys names it (wrong type) next to the question.
                    : JsonSerializer.SerializeToElement(single);

            case QuestionTypes.FreeText:
            {
                var text = values.First(Field(id)).Replace("\r\n", "\n", StringComparison.Ordinal);
                return string.IsNullOrWhiteSpace(text) ? Null : JsonSerializer.SerializeToElement(text);
            }

            case QuestionTypes.Ranking:
            {
                var places = Parts(id, values)
                    .Select(p => (Place: int.TryParse(p.Part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0, p.Value))
                    .Where(p => p.Place > 0 && p.Value.Length > 0)
                    .OrderBy(p => p.Place)
                    .Select(p => p.Value)
                    .ToList();
                return places.Count == 0 ? Null : JsonSerializer.SerializeToElement(places);
            }

            case QuestionTypes.Matrix:
            {
                var rows = Parts(id, values).Where(p => p.Value.Length > 0).ToDictionary(p => p.Part, p => p.Value, StringComparer.Ordinal);
                return rows.Count == 0 ? Null : JsonSerializer.SerializeToElement(rows);
            }

            case QuestionTypes.Budget:
            {
                var given = Parts(id, values).Where(p => p.Value.Length > 0).ToList();
                if (given.Count == 0)
                {
                    return Null;
                }

                var allocation = new Dictionary<string, object>(StringComparer.Ordinal);
                foreach (var (part, value) in given)
                {
                    allocation[part] = int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var vouchers) ? vouchers : value;
                }

                return JsonSerializer.SerializeToElement(allocation);
            }

            default:
                return Null;
        }
    }

    /// <summary>The sub-fields <c>q.{id}.{part}</c>, each with its first value trimmed.</summary>
    private static IEnumerable<(string Part, string Value)> Parts(string id, Values values)
    {
        var prefix = Field(id) + ".";
        return values.Where(v => v.Key.StartsWith(prefix, StringComparison.Ordinal) && v.Key.Length > prefix.Length)
            .Select(v => (v.Key[prefix.Length..], v.Value.Count > 0 ? v.Value[0].Trim() : ""));
    }

    /// <summary>A number as typed: a browser's number field sends "2.5"; a Finnish hand may type "2,5" or "1 000".</summary>
    public static decimal? ParseNumber(string text)
    {
        var cleaned = new string([.. text.Where(c => !char.IsWhiteSpace(c) && c != '\u00A0' && c != '\u202F')]).Replace(',', '.');
        return decimal.TryParse(cleaned, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    /// <summary>The fields that show saved answers of <paramref name="questions"/>.</summary>
    public static Values FromAnswers(IEnumerable<FormQuestion> questions, IReadOnlyDictionary<string, JsonElement> answers)
    {
        var values = new Values();
        foreach (var question in questions)
        {
            if (!answers.TryGetValue(question.Id, out var answer))
            {
                continue;
            }

            var id = question.Id;
            switch (answer.ValueKind)
            {
                case JsonValueKind.String:
                    values[Field(id)] = [answer.GetString()!];
                    break;
                case JsonValueKind.Number:
                    values[Field(id)] = [answer.GetRawText()];
                    break;
                case JsonValueKind.Array when question.Type == QuestionTypes.Ranking:
                {
                    var place = 0;
                    foreach (var item in answer.EnumerateArray())
                    {
                        values[Field(id, (++place).ToString(CultureInfo.InvariantCulture))] = [Text(item)];
                    }

                    break;
                }

                case JsonValueKind.Array:
                    values[Field(id)] = [.. answer.EnumerateArray().Select(Text)];
                    break;
                case JsonValueKind.Object:
                    foreach (var part in answer.EnumerateObject())
                    {
                        values[Field(id, part.Name)] = [Text(part.Value)];
                    }

                    break;
            }
        }

        return values;
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        _ => "",
    };

    /// <summary>Null, blank text, [] and {} (or an object of nulls) are no answer, as Surveys counts them.</summary>
    public static bool IsAnswered(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => false,
        JsonValueKind.String => !string.IsNullOrWhiteSpace(value.GetString()),
        JsonValueKind.Array => value.GetArrayLength() > 0,
        JsonValueKind.Object => value.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.Null),
        _ => true,
    };
}
