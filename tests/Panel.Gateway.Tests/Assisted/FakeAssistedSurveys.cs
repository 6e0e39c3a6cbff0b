using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Panel.Gateway.Tests.Assisted;

/// <summary>
/// Surveys' staff endpoints the assisted answers page calls (<c>GET /api/surveys/{id}</c>, <c>/preview</c>,
/// <c>/assisted-profile-values</c>, <c>POST /assisted-responses</c>), with the JSON shapes written out here and the
/// real service's rules: a survey is seen by a coordinator or a domain contact of its area (else 404, as Surveys
/// hides it), answers are taken while it is open (409), the channel is assisted or paper, a profile is whole or
/// absent and takes only the accepted values (the county's municipalities <see cref="Municipalities"/>), and each
/// answer is judged with Surveys' problem codes (400 with <c>answerErrors</c>). Every request is recorded.
/// </summary>
public sealed class FakeAssistedSurveys : IAsyncDisposable
{
    public const string Area = "elderly-services";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private FakeAssistedSurveys(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = default!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>State by survey id ("open", "closed", …); all have the same questions and the service area <see cref="Area"/>.</summary>
    public ConcurrentDictionary<Guid, string> States { get; } = new();

    /// <summary>Answers accepted, as the bodies that were posted.</summary>
    public ConcurrentDictionary<Guid, ConcurrentQueue<JsonObject>> Accepted { get; } = new();

    /// <summary>The county's municipalities as Surveys' profile values give them.</summary>
    public static readonly IReadOnlyList<string> Municipalities = ["Tampere", "Nokia", "Pälkäne"];

    /// <summary>When set, GET assisted-profile-values answers 503: Surveys cannot say which values it accepts.</summary>
    public bool ProfileValuesUnavailable { get; set; }

    /// <summary>When set, POST assisted-responses answers 403 with this detail (the service decides again).</summary>
    public string? ForbidPosts { get; set; }

    public Guid AddSurvey(string state = "open")
    {
        var id = Guid.NewGuid();
        States[id] = state;
        Accepted[id] = new ConcurrentQueue<JsonObject>();
        return id;
    }

    public IReadOnlyList<RecordedRequest> PostsTo(Guid id) =>
        [.. _requests.Where(r => r.Method == "POST" && r.Path == $"/api/surveys/{id}/assisted-responses")];

    public static async Task<FakeAssistedSurveys> StartAsync()
    {
        FakeAssistedSurveys fake = null!;
        var app = RecordingServer.Create(r => fake._requests.Enqueue(r));
        fake = new FakeAssistedSurveys(app);

        app.MapGet("/api/surveys/{id:guid}", (Guid id, HttpRequest r) => fake.Details(id, r));
        app.MapGet("/api/surveys/{id:guid}/preview", (Guid id, string? language, HttpRequest r) => fake.Preview(id, language, r));
        app.MapPost("/api/surveys/{id:guid}/assisted-responses", (Guid id, HttpRequest r) => fake.SubmitAsync(id, r));
        app.MapGet("/api/surveys/assisted-profile-values", () => fake.ProfileValuesUnavailable
            ? Problem(503, "Not now.")
            : Json(new JsonObject
            {
                ["ageBands"] = new JsonArray("15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"),
                ["municipalities"] = new JsonArray([.. Municipalities.Select(m => (JsonNode)m)]),
                ["genders"] = new JsonArray("woman", "man", "other", "unspecified"),
                ["languages"] = new JsonArray("fi", "sv", "en"),
            }, 200));
        // Only for the join page, whose form gives a forged post its antiforgery token; the assisted page never asks Membership.
        app.MapGet("/api/membership/join-options", () => Json(JsonNode.Parse(EchoBackend.JoinOptionsJson)!, 200));
        app.MapFallback(() => Problem(404, "Not here."));
        fake.Address = await RecordingServer.StartAsync(app);
        return fake;
    }

    // ---- the survey: every question type, a condition on the same page and a page shown on a condition

    /// <summary>
    /// Page 1: uses (single, required: yes/no), why (free text ≤ 20, if uses=yes), visits (number 0–50 step 1, required),
    /// services (multiple 2–3 of 4). Page 2 (if uses=yes): satisfied (Likert 1–5), recommend (NPS), priorities (ranking
    /// top 2 of 3), rating (matrix 2 rows × 3 columns), budget (10 vouchers over 3 options, "lab" capped at 6).
    /// </summary>
    private static JsonObject Form(string lang)
    {
        string L(string fi, string sv, string en) => lang switch { "sv" => sv, "en" => en, _ => fi };
        JsonArray Options(params (string Id, string Fi)[] options) =>
            new([.. options.Select(o => (JsonNode)new JsonObject { ["id"] = o.Id, ["label"] = lang == "fi" ? o.Fi : $"{lang}-{o.Fi}" })]);
        var number = 0;
        JsonObject Q(string id, string type, string text, bool required, JsonObject? extra = null, JsonObject? showIf = null)
        {
            var q = new JsonObject { ["id"] = id, ["type"] = type, ["number"] = ++number, ["text"] = text, ["required"] = required };
            if (showIf is not null) q["showIf"] = showIf;
            foreach (var (key, value) in extra ?? []) q[key] = value?.DeepClone();
            return q;
        }

        var usesYes = new JsonObject { ["questionId"] = "uses", ["anyOf"] = new JsonArray("yes") };
        return new JsonObject
        {
            ["surveyId"] = Guid.Empty.ToString(), ["version"] = 3, ["language"] = lang,
            ["title"] = L("Terveysaseman palvelut", "Hälsostationens tjänster", "Health centre services"),
            ["purpose"] = L("Miksi", "Varför", "Why"), ["resultsUse"] = L("Käyttö", "Användning", "Use"),
            ["pages"] = new JsonArray(
                new JsonObject
                {
                    ["id"] = "p1", ["number"] = 1, ["title"] = L("Perustiedot", "Grunduppgifter", "Basics"),
                    ["questions"] = new JsonArray(
                        Q("uses", "single-choice", L("Käytätkö terveysasemaa?", "Använder du hälsostationen?", "Do you use the health centre?"), true,
                            new JsonObject { ["options"] = Options(("yes", "Kyllä"), ("no", "En")) }),
                        Q("why", "free-text", L("Miksi?", "Varför?", "Why?"), false, new JsonObject { ["maxLength"] = 20 }, usesYes.DeepClone().AsObject()),
                        Q("visits", "number", L("Montako käyntiä?", "Hur många besök?", "How many visits?"), true,
                            new JsonObject { ["min"] = 0, ["max"] = 50, ["step"] = 1, ["unit"] = "krt" }),
                        Q("services", "multiple-choice", L("Mitä palveluja?", "Vilka tjänster?", "Which services?"), false,
                            new JsonObject { ["options"] = Options(("doc", "Lääkäri"), ("nurse", "Hoitaja"), ("lab", "Laboratorio"), ("dental", "Hammashoito")), ["minPicks"] = 2, ["maxPicks"] = 3 })),
                },
                new JsonObject
                {
                    ["id"] = "p2", ["number"] = 2, ["showIf"] = usesYes.DeepClone(),
                    ["questions"] = new JsonArray(
                        Q("satisfied", "likert", L("Olen tyytyväinen.", "Jag är nöjd.", "I am satisfied."), false,
                            new JsonObject { ["points"] = new JsonArray([.. Enumerable.Range(1, 5).Select(v => (JsonNode)new JsonObject { ["value"] = v, ["label"] = $"L{v}" })]) }),
                        Q("recommend", "nps", L("Suosittelisitko?", "Rekommenderar du?", "Would you recommend?"), false,
                            new JsonObject { ["points"] = new JsonArray([.. Enumerable.Range(0, 11).Select(v => (JsonNode)new JsonObject { ["value"] = v })]) }),
                        Q("priorities", "ranking", L("Mikä tärkeintä?", "Vad är viktigast?", "What matters most?"), false,
                            new JsonObject { ["options"] = Options(("speed", "Nopeus"), ("kind", "Ystävällisyys"), ("near", "Läheisyys")), ["rankCount"] = 2 }),
                        Q("rating", "matrix", L("Arvioi", "Bedöm", "Rate"), false,
                            new JsonObject { ["rows"] = Options(("phone", "Puhelin"), ("desk", "Vastaanotto")), ["columns"] = Options(("bad", "Huono"), ("ok", "Kohtalainen"), ("good", "Hyvä")) }),
                        Q("budget", "budget", L("Jaa setelit", "Fördela sedlarna", "Share the vouchers"), false,
                            new JsonObject
                            {
                                ["options"] = new JsonArray(
                                    new JsonObject { ["id"] = "doc", ["label"] = "Lääkäri" },
                                    new JsonObject { ["id"] = "lab", ["label"] = "Laboratorio", ["cap"] = 6 },
                                    new JsonObject { ["id"] = "dental", ["label"] = "Hammashoito" }),
                                ["vouchers"] = 10,
                            })),
                }),
            ["missingTranslations"] = new JsonArray(),
        };
    }

    private IResult Details(Guid id, HttpRequest request)
    {
        if (!States.TryGetValue(id, out var state) || !CallerOf(request).Sees)
        {
            return Problem(404, "No such survey.");
        }

        return Json(new JsonObject
        {
            ["id"] = id.ToString(), ["kind"] = "questionnaire", ["serviceArea"] = Area, ["minimumGroupSize"] = 5,
            ["languages"] = new JsonArray("fi", "sv", "en"),
            ["title"] = new JsonObject { ["fi"] = "Terveysaseman palvelut", ["sv"] = "Hälsostationens tjänster", ["en"] = "Health centre services" },
            ["state"] = state, ["definitionVersion"] = 3, ["hasAnswers"] = true,
            ["missingTranslations"] = new JsonObject(), ["translationsComplete"] = true, ["allowedActions"] = new JsonArray(),
            ["createdBy"] = "author-1", ["createdAt"] = "2026-11-01T10:00:00+00:00", ["updatedAt"] = "2026-11-01T10:00:00+00:00",
            ["opensAt"] = "2026-11-10T06:00:00+00:00", ["closesAt"] = "2026-12-31T21:59:00+00:00",
        }, 200);
    }

    private IResult Preview(Guid id, string? language, HttpRequest request)
    {
        if (!States.ContainsKey(id) || !CallerOf(request).Sees)
        {
            return Problem(404, "No such survey.");
        }

        var form = Form(language is "fi" or "sv" or "en" ? language : "fi");
        form["surveyId"] = id.ToString();
        return Json(form, 200);
    }

    private async Task<IResult> SubmitAsync(Guid id, HttpRequest request)
    {
        var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
        if (!States.TryGetValue(id, out var state) || !CallerOf(request).Sees)
        {
            return Problem(404, "No such survey.");
        }

        if (ForbidPosts is { } why)
        {
            return Problem(403, "Forbidden", why);
        }

        var errors = new Dictionary<string, string[]>();
        if (body["channel"]?.ToString() is not ("assisted" or "paper"))
        {
            errors["channel"] = ["The channel is \"assisted\" or \"paper\"."];
        }

        if (body["profile"] is JsonObject profile)
        {
            if (profile["ageBand"]?.ToString() is not ("15-24" or "25-34" or "35-44" or "45-54" or "55-64" or "65-74" or "75-84" or "85+"))
                errors["profile.ageBand"] = ["The age band is one of …"];
            if (profile["municipality"]?.ToString() is not { } municipality || !Municipalities.Contains(municipality))
                errors["profile.municipality"] = ["The municipality is one of the county's municipalities."];
            if (profile["gender"] is JsonNode gender && gender.ToString() is not ("woman" or "man" or "other" or "unspecified"))
                errors["profile.gender"] = ["The gender is one of …"];
            if (profile["language"]?.ToString() is not ("fi" or "sv" or "en"))
                errors["profile.language"] = ["The language is fi, sv or en."];
        }

        if (body["answers"] is not JsonObject answers)
        {
            errors["answers"] = ["The answers are required."];
            answers = [];
        }

        if (errors.Count > 0)
        {
            return Validation(errors, []);
        }

        if (state != "open")
        {
            return Problem(409, "Not possible now.", "Answers are taken while the survey is open.");
        }

        var problems = Judge(answers);
        if (problems.Count > 0)
        {
            return Validation(problems.GroupBy(p => "answers." + p.Id).ToDictionary(g => g.Key, g => g.Select(p => p.Code).ToArray()), problems);
        }

        Accepted[id].Enqueue(body);
        return Json(new JsonObject { ["status"] = "received", ["language"] = "fi", ["title"] = "Terveysaseman palvelut", ["resultsUse"] = "Käyttö" }, 200);
    }

    /// <summary>The answers' problems with Surveys' codes (only what the tests need of its validation).</summary>
    private static List<(string Id, string Code)> Judge(JsonObject answers)
    {
        var problems = new List<(string, string)>();
        bool Answered(string id) => answers[id] is JsonNode n && !(n is JsonValue v && v.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(v.ToString()));
        if (!Answered("uses")) problems.Add(("uses", "required"));
        if (!Answered("visits")) problems.Add(("visits", "required"));
        if (answers["visits"] is JsonValue visits)
        {
            if (visits.GetValueKind() != JsonValueKind.Number) problems.Add(("visits", "wrong-type"));
            else if (visits.GetValue<decimal>() is < 0 or > 50) problems.Add(("visits", "out-of-range"));
        }

        if (answers["why"] is JsonValue why && why.ToString().Length > 20) problems.Add(("why", "too-long"));
        if (answers["services"] is JsonArray picks && picks.Count < 2) problems.Add(("services", "too-few-picks"));
        if (answers["budget"] is JsonObject budget)
        {
            if (budget["lab"] is JsonValue lab && lab.GetValueKind() == JsonValueKind.Number && lab.GetValue<int>() > 6) problems.Add(("budget", "cap-exceeded"));
            else if (budget.Sum(b => b.Value is JsonValue n && n.GetValueKind() == JsonValueKind.Number ? n.GetValue<int>() : 0) != 10) problems.Add(("budget", "voucher-total"));
        }

        return problems;
    }

    private sealed record Caller(string Subject, IReadOnlyList<string> Roles, IReadOnlyList<string> Areas)
    {
        public bool Sees => Roles.Contains(PanelRoles.Coordinator) || (Roles.Contains(PanelRoles.DomainContact) && Areas.Contains(Area));
    }

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
        List<string> All(string name) => !root.TryGetProperty(name, out var value) ? []
            : value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select(r => r.GetString() ?? "")] : [value.GetString() ?? ""];
        return new Caller(root.TryGetProperty("sub", out var sub) ? sub.GetString() ?? "" : "", All("role"), All(PanelClaims.ServiceArea));
    }

    private static IResult Json(JsonNode node, int status) => HttpResults.Content(node.ToJsonString(), "application/json", Encoding.UTF8, status);

    private static IResult Problem(int status, string title, string? detail = null)
    {
        var problem = new JsonObject { ["title"] = title, ["status"] = status };
        if (detail is not null) problem["detail"] = detail;
        return HttpResults.Content(problem.ToJsonString(), "application/problem+json", Encoding.UTF8, status);
    }

    private static IResult Validation(Dictionary<string, string[]> errors, List<(string Id, string Code)> problems)
    {
        var problem = new JsonObject
        {
            ["title"] = "Some answers need attention.", ["status"] = 400,
            ["errors"] = new JsonObject(errors.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)new JsonArray([.. e.Value.Select(v => (JsonNode?)JsonValue.Create(v))])))),
        };
        if (problems.Count > 0)
        {
            problem["answerErrors"] = new JsonArray([.. problems.Select(p => (JsonNode)new JsonObject
            {
                ["questionId"] = p.Id, ["page"] = p.Id is "uses" or "why" or "visits" or "services" ? "p1" : "p2", ["code"] = p.Code, ["message"] = "English text",
            })]);
        }

        return HttpResults.Content(problem.ToJsonString(), "application/problem+json", Encoding.UTF8, 400);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A gateway whose Surveys and Membership addresses point at one <see cref="FakeAssistedSurveys"/>.</summary>
public sealed class AssistedHost : GatewayHost, IAsyncLifetime
{
    public FakeAssistedSurveys Fake { get; private set; } = default!;

    protected override void Configure(IDictionary<string, string?> settings)
    {
        var address = Fake.Address.GetLeftPart(UriPartial.Authority);
        settings[$"services:{ServiceNames.Surveys}:http:0"] = address;
        settings[$"services:{ServiceNames.Membership}:http:0"] = address;
    }

    async Task IAsyncLifetime.InitializeAsync()
    {
        Fake = await FakeAssistedSurveys.StartAsync();
        await InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Fake.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AssistedCollection : ICollectionFixture<AssistedHost>
{
    public const string Name = "assisted";
}
