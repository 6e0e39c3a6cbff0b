using Panel.Gateway.Backends.Reporting;

namespace Panel.Gateway.Backends;

/// <summary>
/// What the results pages know of Reporting's survey results API beyond its client (generated from Reporting's OpenAPI document).
/// Every number may be null: Reporting suppressed it (it describes fewer than k people); the pages never fill one in.
/// </summary>
public static class ReportingApi
{
    /// <summary>The profile attributes Reporting filters and cross-tabulates by, in the order the forms offer them.</summary>
    public static readonly IReadOnlyList<string> Attributes = ["ageBand", "municipality", "gender", "language", "isClient", "channel"];

    /// <summary>The values the filter form offers per attribute (municipality is typed); "unknown" is a value of each but channel.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> AttributeValues = new Dictionary<string, IReadOnlyList<string>>
    {
        ["ageBand"] = [.. SurveysApi.AgeBands, "unknown"],
        ["gender"] = [.. SurveysApi.Genders, "unknown"],
        ["language"] = [.. SurveysApi.Languages, "unknown"],
        ["isClient"] = ["true", "false", "unknown"],
        ["channel"] = ["invitation", "signed-in", "open-link", "assisted", "paper"],
    };

    /// <summary>The export as the browser fetches it through the gateway's proxy (the staff cookie becomes the gateway's token).</summary>
    public static string Export(Guid id, string format, string language, string? filter = null) =>
        $"/api/reporting/surveys/{id}/results.{format}?lang={language}{filter}";

    /// <summary>A text of a survey in <paramref name="language"/>, else Finnish, Swedish, English, else any.</summary>
    public static string Localized(IReadOnlyDictionary<string, string>? texts, string language)
    {
        if (texts is null || texts.Count == 0)
        {
            return "";
        }

        foreach (var lang in new[] { language, "fi", "sv", "en" })
        {
            if (texts.TryGetValue(lang, out var text) && !string.IsNullOrWhiteSpace(text))
            {
                return text;
            }
        }

        return texts.Values.FirstOrDefault(t => !string.IsNullOrWhiteSpace(t)) ?? "";
    }
}

/// <summary>
/// The labels of a survey's options, matrix rows and scale points by question and id, from the labels Reporting
/// gives with each question's results (the same for staff and the public). A label missing in a language falls back
/// as the survey's texts do; an id without a label is shown as the id.
/// </summary>
public sealed class ChoiceLabels
{
    private readonly Dictionary<(string Question, string Id), Dictionary<string, string>> _labels = new();

    public static readonly ChoiceLabels None = new();

    public static ChoiceLabels From(IEnumerable<QuestionResult> questions)
    {
        var labels = new ChoiceLabels();
        foreach (var q in questions)
        {
            // Scale points first, so that an option or row with the same id wins.
            foreach (var list in new[] { q.Labels?.Scale, q.Labels?.Rows, q.Labels?.Options })
            {
                foreach (var (id, label) in list ?? [])
                {
                    labels._labels[(q.QuestionId, id)] = label;
                }
            }
        }

        return labels;
    }

    /// <summary>The label of choice <paramref name="id"/> of a question, or the id itself.</summary>
    public string Of(string question, string id, string language) =>
        _labels.TryGetValue((question, id), out var label) && ReportingApi.Localized(label, language) is { Length: > 0 } text ? text : id;
}
