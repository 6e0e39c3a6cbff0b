using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Panel.Gateway.Backends;
using Panel.Gateway.Backends.Surveys;
using Panel.Gateway.Localization;

namespace Panel.Gateway.Components.Pages.Staff.Surveys;

/// <summary>A survey as the staff pages hold it: what the API said about it, and its pages as JSON to change and send back.</summary>
public sealed record LoadedSurvey(SurveyDetails Info, JsonArray Pages)
{
    public IEnumerable<(int Page, int Index, JsonObject Question)> Questions =>
        Pages.OfType<JsonObject>().SelectMany((p, pi) => (p["questions"] as JsonArray ?? []).OfType<JsonObject>().Select((q, qi) => (pi, qi, q)));

    public (int Page, int Index, JsonObject Question)? Find(string questionId) =>
        Questions.Cast<(int, int, JsonObject)?>().FirstOrDefault(x => x!.Value.Item3["id"]?.GetValue<string>() == questionId);
}

/// <summary>Loading, changing and explaining surveys for the staff survey pages.</summary>
public static class SurveyPages
{
    public static async Task<(LoadedSurvey? Survey, HttpStatusCode Status)> LoadAsync(ISurveysClient client, Guid id, CancellationToken ct)
    {
        var (details, failure) = await ServiceCall.TryAsync(() => client.GetSurveyAsync(id, ct));
        return details is null ? (null, failure!.Status) : (Read(details), HttpStatusCode.OK);
    }

    /// <summary>The survey, with its pages as the JSON the builder changes and sends back.</summary>
    public static LoadedSurvey Read(SurveyDetails details) =>
        new(details, JsonSerializer.SerializeToNode(details.Pages, ServiceClientSettings.Json) as JsonArray ?? []);

    /// <summary>A request body the pages build as JSON, read as the generated request type it must be.</summary>
    public static T Body<T>(JsonObject json) => json.Deserialize<T>(ServiceClientSettings.Json)!;

    /// <summary>PATCH of the pages, with the version the user saw (If-Match); the problem, or null when saved.</summary>
    public static async Task<ServiceException?> SavePagesAsync(ISurveysClient client, LoadedSurvey survey, int version, CancellationToken ct)
    {
        var body = Body<SurveyContent>(new JsonObject { ["pages"] = survey.Pages.DeepClone() });
        return (await ServiceCall.TryAsync(() => client.PatchSurveyAsync(survey.Info.Id, IfMatch(version), body, ct))).Problem;
    }

    /// <summary>The If-Match header value of a definition version.</summary>
    public static string IfMatch(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>"draft", "in-review", … as the API writes a state.</summary>
    public static string Wire(SurveyState state) => ServiceClientSettings.Wire(state);

    /// <summary>A survey text in the reader's language, else in the first language that has it.</summary>
    public static string Text(IReadOnlyDictionary<string, string>? text, IEnumerable<string>? languages = null)
    {
        if (text is null || text.Count == 0)
        {
            return "";
        }

        if (text.TryGetValue(UiText.CurrentLanguage, out var mine) && !string.IsNullOrWhiteSpace(mine))
        {
            return mine;
        }

        return (languages ?? SurveysApi.Languages).Select(l => text.GetValueOrDefault(l)).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t))
            ?? text.Values.FirstOrDefault() ?? "";
    }

    public static string Text(JsonNode? text)
    {
        if (text is not JsonObject o)
        {
            return "";
        }

        var dict = o.Where(kv => kv.Value is JsonValue).ToDictionary(kv => kv.Key, kv => kv.Value!.ToString());
        return Text(dict);
    }

    public static string? Lang(JsonNode? text, string language) =>
        text is JsonObject o && o[language] is JsonValue v ? v.ToString() : null;

    /// <summary>A localized text object from the three inputs; null when all are empty.</summary>
    public static JsonObject? Localized(string? fi, string? sv, string? en)
    {
        var o = new JsonObject();
        foreach (var (lang, value) in new[] { ("fi", fi), ("sv", sv), ("en", en) })
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                o[lang] = value.Trim();
            }
        }

        return o.Count == 0 ? null : o;
    }

    public static string StateName(UiText t, SurveyState state) => StateName(t, Wire(state));

    public static string StateName(UiText t, string state) => t[$"surveys.state.{state}"] is var s && !s.StartsWith('[') ? s : state;

    public static string TypeName(UiText t, string type) => t[$"surveys.type.{type}"] is var s && !s.StartsWith('[') ? s : type;

    public static string AreaName(UiText t, string code) => t[$"area.{code}"] is var s && !s.StartsWith('[') ? s : code;

    /// <summary>What a refused call means for the person at the page: 403, 404, 409 (with the API's reasons), 412, unavailable.</summary>
    public static IReadOnlyList<string> Explain(UiText t, ServiceException result)
    {
        var (status, detail, reasons) = (result.Status, result.Detail, result.Reasons);
        var lines = new List<string>();
        switch (status)
        {
            case HttpStatusCode.Forbidden:
                lines.Add(t["surveys.problem.forbidden"]);
                break;
            case HttpStatusCode.NotFound:
                lines.Add(t["surveys.problem.notFound"]);
                break;
            case HttpStatusCode.Conflict:
                lines.Add(t["surveys.problem.conflict"]);
                break;
            case HttpStatusCode.PreconditionFailed:
                lines.Add(t["surveys.problem.stale"]);
                return lines;
            case HttpStatusCode.BadRequest:
                lines.Add(t["surveys.problem.invalid"]);
                break;
            default:
                lines.Add(t["service.unavailable"]);
                return lines;
        }

        if (!string.IsNullOrWhiteSpace(detail) && status != HttpStatusCode.BadRequest)
        {
            lines.Add(detail);
        }

        lines.AddRange(reasons.Where(r => r != detail));
        return lines;
    }

    /// <summary>The field errors under <paramref name="prefix"/> (the field itself, its languages, its items).</summary>
    public static List<string> ErrorsUnder(IReadOnlyDictionary<string, string[]> errors, string prefix) =>
        [.. errors.Where(e => e.Key.Equals(prefix, StringComparison.OrdinalIgnoreCase)
                || e.Key.StartsWith(prefix + ".", StringComparison.OrdinalIgnoreCase)
                || e.Key.StartsWith(prefix + "[", StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => e.Value.Select(m => e.Key.Length > prefix.Length ? $"{e.Key[(prefix.Length + 1)..].TrimStart('.')}: {m}" : m))];

    public static string Num(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    public static decimal? ParseDecimal(string? value) =>
        decimal.TryParse(value?.Trim().Replace(',', '.'), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null;

    public static int? ParseInt(string? value) =>
        int.TryParse(value?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null;

    /// <summary>A new id not yet used: prefix + the first free number.</summary>
    public static string FreeId(IEnumerable<string> used, string prefix)
    {
        var set = used.ToHashSet(StringComparer.Ordinal);
        for (var n = 1; ; n++)
        {
            if (!set.Contains(prefix + n.ToString(CultureInfo.InvariantCulture)))
            {
                return prefix + n.ToString(CultureInfo.InvariantCulture);
            }
        }
    }
}
