using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Panel.Gateway.Backends;
using Panel.Gateway.Localization;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Components.Pages.Staff.Surveys;

/// <summary>A survey as the staff pages hold it: what the API said about it, and its pages as JSON to change and send back.</summary>
public sealed record LoadedSurvey(SurveyInfo Info, JsonArray Pages)
{
    public IEnumerable<(int Page, int Index, JsonObject Question)> Questions =>
        Pages.OfType<JsonObject>().SelectMany((p, pi) => (p["questions"] as JsonArray ?? []).OfType<JsonObject>().Select((q, qi) => (pi, qi, q)));

    public (int Page, int Index, JsonObject Question)? Find(string questionId) =>
        Questions.Cast<(int, int, JsonObject)?>().FirstOrDefault(x => x!.Value.Item3["id"]?.GetValue<string>() == questionId);
}

/// <summary>Loading, changing and explaining surveys for the staff survey pages.</summary>
public static class SurveyPages
{
    public static async Task<(LoadedSurvey? Survey, HttpStatusCode Status)> LoadAsync(SurveysClient client, Guid id, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await client.GetAsync<JsonObject>(ServiceNames.Surveys, SurveysApi.Survey(id), user, ct);
        return result is { Ok: true, Value: { } doc } ? (Read(doc), result.Status) : (null, result.Status);
    }

    public static LoadedSurvey Read(JsonObject doc)
    {
        var info = doc.Deserialize<SurveyInfo>(SurveysClient.Json)!;
        var pages = doc["pages"]?.DeepClone() as JsonArray ?? [];
        return new LoadedSurvey(info, pages);
    }

    /// <summary>PATCH of the pages, with the version the user saw.</summary>
    public static Task<ApiResult<JsonObject>> SavePagesAsync(SurveysClient client, LoadedSurvey survey, int version, ClaimsPrincipal user, CancellationToken ct) =>
        client.PatchAsync<JsonObject>(ServiceNames.Surveys, SurveysApi.Survey(survey.Info.Id), new JsonObject { ["pages"] = survey.Pages.DeepClone() }, version, user, ct);

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

    public static string StateName(UiText t, string state) => t[$"surveys.state.{state}"] is var s && !s.StartsWith('[') ? s : state;

    public static string TypeName(UiText t, string type) => t[$"surveys.type.{type}"] is var s && !s.StartsWith('[') ? s : type;

    public static string AreaName(UiText t, string code) => t[$"area.{code}"] is var s && !s.StartsWith('[') ? s : code;

    /// <summary>What a refused call means for the person at the page: 403, 404, 409 (with the API's reasons), 412, unavailable.</summary>
    public static IReadOnlyList<string> Explain<T>(UiText t, ApiResult<T> result)
    {
        var lines = new List<string>();
        switch (result.Status)
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

        if (!string.IsNullOrWhiteSpace(result.Detail) && result.Status != HttpStatusCode.BadRequest)
        {
            lines.Add(result.Detail);
        }

        lines.AddRange(result.Reasons.Where(r => r != result.Detail));
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
