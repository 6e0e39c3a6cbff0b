using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests.SurveyResults;

/// <summary>
/// A stand-in for Reporting's survey results API (and Surveys' GET /api/surveys/{id} for option labels), shaped like
/// the real one: the same paths, JSON, suppressed numbers as null with suppressed = true, 400 validation problems
/// naming the field, 404 for unknown ids, 403 for a survey not shared with the caller, and the same access rules
/// (Coordinator, ItAdmin and Communications all; DomainContact its areas; anyone granted by staff id). It records requests.
/// </summary>
public sealed partial class FakeReporting : IAsyncDisposable
{
    /// <summary>Closed survey of elderly services with every question type; k = 5.</summary>
    public static readonly Guid Closed = Guid.Parse("0a4f6a0e-1111-4c6e-9f1e-3c7a1a2b3c01");

    /// <summary>Published survey of family services.</summary>
    public static readonly Guid Published = Guid.Parse("0a4f6a0e-2222-4c6e-9f1e-3c7a1a2b3c02");

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    public ConcurrentDictionary<Guid, List<string>> Readers { get; } = new();

    public Uri Address { get; private set; } = default!;

    public IReadOnlyList<RecordedRequest> RequestsTo(string path) => [.. _requests.Where(r => r.Path == path)];

    private FakeReporting(WebApplication app) => _app = app;

    public static async Task<FakeReporting> StartAsync()
    {
        FakeReporting fake = null!;
        var app = RecordingServer.Create(r => fake._requests.Enqueue(r));
        fake = new FakeReporting(app);
        fake.Map();
        fake.Address = await RecordingServer.StartAsync(app);
        return fake;
    }

    private static readonly Dictionary<Guid, (string Area, string State)> Surveys = new()
    {
        [Closed] = ("elderly-services", "closed"),
        [Published] = ("family-services", "results-published"),
    };

    private void Map()
    {
        var app = _app;
        app.MapGet("/api/reporting/surveys", (HttpRequest r) =>
        {
            var caller = CallerOf(r);
            var list = new JsonArray();
            foreach (var (id, (area, state)) in Surveys)
            {
                if (MaySee(caller, id))
                {
                    list.Add(new JsonObject
                    {
                        ["surveyId"] = id.ToString(), ["state"] = state, ["serviceArea"] = area,
                        ["title"] = Texts(id == Closed ? "Kotihoidon kysely" : "Perhepalvelujen kysely", id == Closed ? "Hemvårdsenkät" : "Familjeservice", id == Closed ? "Home care survey" : "Family services survey"),
                        ["minimumGroupSize"] = 5, ["opensAt"] = "2026-10-01T06:00:00+00:00", ["closesAt"] = "2026-10-20T20:00:00+00:00",
                        ["publishedAt"] = id == Published ? "2026-11-02T08:00:00+00:00" : null,
                        ["respondents"] = id == Closed ? 412 : null,
                    });
                }
            }

            return Json(list);
        });

        app.MapGet("/api/reporting/surveys/{id}/results", (string id, HttpRequest r) =>
        {
            if (Check(r, id, out var surveyId) is { } problem) return problem;
            if (Filter(r.Query, null) is { } invalid) return invalid;
            var filtered = Attributes.Any(r.Query.ContainsKey);
            var json = JsonNode.Parse(surveyId == Closed ? (filtered ? FilteredResultsJson : ResultsJson) : PublishedResultsJson)!.AsObject();
            if (filtered)
            {
                var attribute = Attributes.First(r.Query.ContainsKey);
                json["filter"] = new JsonObject { ["attribute"] = attribute, ["values"] = new JsonArray([.. r.Query[attribute].Select(v => (JsonNode?)JsonValue.Create(v))]) };
            }

            return Json(json);
        });

        app.MapGet("/api/reporting/surveys/{id}/crosstab", (string id, string? question, string? by, HttpRequest r) =>
        {
            if (by is null || !Attributes.Contains(by))
            {
                return Validation("by", "Break down by one of: ageBand, municipality, gender, language, isClient, channel.");
            }

            if (string.IsNullOrWhiteSpace(question))
            {
                return Validation("question", "Name the question (its id).");
            }

            if (Filter(r.Query, by) is { } invalid) return invalid;
            if (Check(r, id, out _) is { } problem) return problem;
            if (question is not ("q-single" or "q-nps" or "q-matrix" or "q-budget" or "q-number" or "q-multi" or "q-likert" or "q-rank" or "q-text"))
            {
                return Validation("question", "The survey has no question with this id.");
            }

            return Json(JsonNode.Parse(question == "q-matrix" ? CrosstabMatrixJson.Replace("\"BY\"", $"\"{by}\"", StringComparison.Ordinal) : CrosstabJson.Replace("\"BY\"", $"\"{by}\"", StringComparison.Ordinal))!);
        });

        app.MapGet("/api/reporting/surveys/{id}/funnel", (string id, HttpRequest r) =>
            Check(r, id, out _) is { } problem ? problem : Json(JsonNode.Parse(FunnelJson)!));

        app.MapGet("/api/reporting/surveys/{id}/results.csv", (string id, HttpRequest r) =>
            Check(r, id, out _) is { } problem ? problem
            : Results.File(Encoding.UTF8.GetBytes("question,value,count\r\nq-single,a,120\r\n"), "text/csv; charset=utf-8", $"results-{id}.csv"));

        app.MapGet("/api/reporting/surveys/{id}/results.xlsx", (string id, HttpRequest r) =>
            Check(r, id, out _) is { } problem ? problem
            : Results.File(new byte[] { 0x50, 0x4b, 0x03, 0x04 }, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"results-{id}.xlsx"));

        app.MapGet("/api/reporting/surveys/{id}/readers", (string id, HttpRequest r) =>
        {
            if (!CallerOf(r).Roles.Contains(PanelRoles.Coordinator)) return Problem(403, "Forbidden.");
            if (!Guid.TryParse(id, out var surveyId) || !Surveys.ContainsKey(surveyId)) return Problem(404, "Not found.");
            return Json(new JsonObject { ["surveyId"] = id, ["readers"] = new JsonArray([.. Readers.GetOrAdd(surveyId, []).Order(StringComparer.Ordinal).Select(s => (JsonNode?)JsonValue.Create(s))]) });
        });

        app.MapPut("/api/reporting/surveys/{id}/readers", async (string id, HttpRequest r) =>
        {
            if (!CallerOf(r).Roles.Contains(PanelRoles.Coordinator)) return Problem(403, "Forbidden.");
            var body = (await JsonNode.ParseAsync(r.Body))?.AsObject();
            if (body?["readers"] is not JsonArray readers || readers.Any(x => string.IsNullOrWhiteSpace(x?.ToString())))
            {
                return Validation("readers", "Give the list of staff ids (an empty list removes everyone).");
            }

            if (!Guid.TryParse(id, out var surveyId) || !Surveys.ContainsKey(surveyId)) return Problem(404, "Not found.");
            Readers[surveyId] = [.. readers.Select(x => x!.ToString()).Distinct(StringComparer.Ordinal)];
            return Json(new JsonObject { ["surveyId"] = id, ["readers"] = readers.DeepClone() });
        });

        app.MapGet("/api/reporting/public/surveys", () => Json(new JsonArray(new JsonObject
        {
            ["surveyId"] = Published.ToString(),
            ["title"] = Texts("Perhepalvelujen kysely", "Familjeservice", "Family services survey"),
            ["purpose"] = Texts("Halusimme tietää, miten perhepalvelut toimivat.", "Vi ville veta hur familjeservicen fungerar.", "We wanted to know how family services work."),
            ["resultsUse"] = Texts("Tulokset ohjaavat neuvoloiden aukioloaikoja.", "Resultaten styr rådgivningarnas öppettider.", "The results guide the opening hours of child health clinics."),
            ["publishedAt"] = "2026-11-02T08:00:00+00:00",
        })));

        app.MapGet("/api/reporting/public/surveys/{id}", (string id) =>
            Guid.TryParse(id, out var surveyId) && surveyId == Published
                ? Json(JsonNode.Parse(PublicResultsJson)!)
                : Problem(404, "Not found.", "No survey with this id has results here."));
    }

    private static readonly string[] Attributes = ["ageBand", "municipality", "gender", "language", "isClient", "channel"];

    /// <summary>Reporting's filter rules: one attribute (only <paramref name="only"/> in a cross-tab), known values.</summary>
    private static IResult? Filter(IQueryCollection query, string? only)
    {
        string? seen = null;
        foreach (var attribute in Attributes.Where(query.ContainsKey))
        {
            if (only is not null && attribute != only) return Validation(attribute, $"A cross-tab by {only} can be filtered by {only} only.");
            if (seen is not null) return Validation(attribute, $"Results are filtered by one profile attribute at a time (here already {seen}).");
            seen = attribute;
            var values = query[attribute].SelectMany(v => (v ?? "").Split(',')).ToList();
            if (attribute == "ageBand" && values.Any(v => v != "unknown" && !AgeBand().IsMatch(v)))
            {
                return Validation(attribute, "Each value must be an age band such as 25-34 or 85+, or unknown.");
            }
        }

        return null;
    }

    [GeneratedRegex(@"^(\d{2}-\d{2}|\d{2}\+)$")]
    private static partial Regex AgeBand();

    private IResult? Check(HttpRequest r, string id, out Guid surveyId)
    {
        if (!Guid.TryParse(id, out surveyId) || !Surveys.ContainsKey(surveyId))
        {
            return Problem(404, "Not found.", "No survey with this id has results here.");
        }

        return MaySee(CallerOf(r), surveyId) ? null : Problem(403, "Forbidden.", "The results of this survey are not shared with you.");
    }

    private bool MaySee(Caller caller, Guid id) =>
        caller.Roles.Any(r => r is PanelRoles.Coordinator or PanelRoles.ItAdmin or PanelRoles.Communications)
        || (caller.Roles.Contains(PanelRoles.DomainContact) && caller.Areas.Contains(Surveys[id].Area))
        || Readers.GetOrAdd(id, []).Contains(caller.Subject);

    private sealed record Caller(string Subject, List<string> Roles, List<string> Areas);

    private static Caller CallerOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        var parts = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Split('.') : [];
        if (parts.Length != 3)
        {
            return new Caller("", [], []);
        }

        var payload = parts[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        using var json = JsonDocument.Parse(Convert.FromBase64String(payload));
        var root = json.RootElement;
        List<string> Values(string name) => !root.TryGetProperty(name, out var v) ? []
            : v.ValueKind == JsonValueKind.Array ? [.. v.EnumerateArray().Select(x => x.GetString() ?? "")] : [v.GetString() ?? ""];
        return new Caller(root.TryGetProperty("sub", out var sub) ? sub.GetString() ?? "" : "", Values("role"), Values("area"));
    }

    public static JsonObject Texts(string fi, string sv, string en) => new() { ["fi"] = fi, ["sv"] = sv, ["en"] = en };

    private static IResult Json(JsonNode node) => Results.Content(node.ToJsonString(), "application/json", Encoding.UTF8, 200);

    private static IResult Validation(string field, string message) => Results.Content(
        new JsonObject { ["title"] = "One or more validation errors occurred.", ["status"] = 400, ["errors"] = new JsonObject { [field] = new JsonArray(message) } }.ToJsonString(),
        "application/problem+json", Encoding.UTF8, 400);

    private static IResult Problem(int status, string title, string? detail = null) => Results.Content(
        new JsonObject { ["title"] = title, ["status"] = status, ["detail"] = detail }.ToJsonString(), "application/problem+json", Encoding.UTF8, status);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
