using System.Text.Json.Nodes;

namespace Panel.Gateway.Backends;

/// <summary>
/// Paths and shapes of Reporting's survey results API the results pages call (see Reporting's OpenAPI document).
/// Every number may be null: Reporting suppressed it (it describes fewer than k people); the pages never fill one in.
/// </summary>
public static class ReportingApi
{
    public const string Surveys = "/api/reporting/surveys";
    public const string PublicSurveys = "/api/reporting/public/surveys";

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

    public static string Results(Guid id, string? query = null) => $"/api/reporting/surveys/{id}/results{query}";

    public static string Crosstab(Guid id, string question, string by, string? filter = null) =>
        $"/api/reporting/surveys/{id}/crosstab?question={Uri.EscapeDataString(question)}&by={Uri.EscapeDataString(by)}{filter}";

    public static string Funnel(Guid id) => $"/api/reporting/surveys/{id}/funnel";

    /// <summary>The export as the browser fetches it through the gateway's proxy (the staff cookie becomes the gateway's token).</summary>
    public static string Export(Guid id, string format, string language, string? filter = null) =>
        $"/api/reporting/surveys/{id}/results.{format}?lang={language}{filter}";

    public static string Readers(Guid id) => $"/api/reporting/surveys/{id}/readers";

    public static string PublicSurvey(Guid id) => $"{PublicSurveys}/{id}";

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

public sealed record ResultsSurveySummary(
    Guid SurveyId, string State, string ServiceArea, Dictionary<string, string> Title, int MinimumGroupSize,
    DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt, DateTimeOffset? PublishedAt, long? Respondents);

public sealed record ResultsFilterInfo(string Attribute, List<string> Values);

/// <param name="ResponseRate">Answered / invited (0..1).</param>
public sealed record FunnelTotalsInfo(long? Invited, long? Opened, long? Answered, double? ResponseRate);

public sealed record FunnelDayInfo(DateOnly Day, long? Invited, long? Opened, long? Answered);

public sealed record FunnelInfo(Guid SurveyId, int MinimumGroupSize, List<FunnelDayInfo> Days, FunnelTotalsInfo Totals);

/// <summary>A count that may be hidden: <see cref="Value"/> is null exactly when suppressed.</summary>
public sealed record CountInfo(string Id, long? Value, double? Percent, bool Suppressed);

public sealed record RowResultInfo(string Id, long? Respondents, List<CountInfo> Counts, bool Suppressed);

public sealed record OptionResultInfo(string Id, long? Total, double? Share, double? AverageRank, bool Suppressed);

public sealed record QuestionResultInfo(
    string QuestionId, string Type, Dictionary<string, string> Text, long? Respondents, bool Suppressed,
    List<CountInfo>? Counts, double? Mean, double? Median, double? Nps, List<RowResultInfo>? Rows, List<OptionResultInfo>? Options,
    List<string>? Texts, QuestionLabelsInfo? Labels = null);

/// <summary>A question's option, matrix row and scale point labels by id and language, as Reporting gives them.</summary>
public sealed record QuestionLabelsInfo(
    Dictionary<string, Dictionary<string, string>>? Options, Dictionary<string, Dictionary<string, string>>? Rows,
    Dictionary<string, Dictionary<string, string>>? Scale);

/// <param name="Audience">panel or open-link.</param>
public sealed record AudienceResultInfo(string Audience, long? Respondents, bool Suppressed, List<QuestionResultInfo> Questions);

public sealed record SurveyResultsInfo(
    Guid SurveyId, int MinimumGroupSize, string State, Dictionary<string, string> Title, Dictionary<string, string> Purpose,
    Dictionary<string, string> ResultsUse, ResultsFilterInfo? Filter, FunnelTotalsInfo Invitations, List<AudienceResultInfo> Audiences,
    bool BreakdownsFinal = true);

public sealed record CrosstabRowInfo(string Value, long? Respondents, bool Suppressed, QuestionResultInfo Result);

public sealed record CrosstabAudienceInfo(string Audience, List<CrosstabRowInfo> Rows, CrosstabRowInfo Total);

public sealed record CrosstabInfo(
    Guid SurveyId, int MinimumGroupSize, string QuestionId, string Type, Dictionary<string, string> Text, string By,
    ResultsFilterInfo? Filter, List<CrosstabAudienceInfo> Audiences, bool BreakdownsFinal = true);

public sealed record ReadersInfo(Guid SurveyId, List<string> Readers);

public sealed record PublicSurveySummaryInfo(
    Guid SurveyId, Dictionary<string, string> Title, Dictionary<string, string> Purpose, Dictionary<string, string> ResultsUse, DateTimeOffset? PublishedAt);

public sealed record PublicSurveyResultsInfo(
    Guid SurveyId, Dictionary<string, string> Title, Dictionary<string, string> Purpose, Dictionary<string, string> ResultsUse,
    DateTimeOffset? PublishedAt, int MinimumGroupSize, FunnelTotalsInfo Invitations, List<AudienceResultInfo> Audiences);

/// <summary>
/// The labels of a survey's options, matrix rows and scale points by question and id, from the labels Reporting
/// gives with each question's results (the same for staff and the public). A label missing in a language falls back
/// as the survey's texts do; an id without a label is shown as the id.
/// </summary>
public sealed class ChoiceLabels
{
    private readonly Dictionary<(string Question, string Id), Dictionary<string, string>> _labels = new();

    public static readonly ChoiceLabels None = new();

    public static ChoiceLabels From(IEnumerable<QuestionResultInfo> questions)
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
