using System.Collections.Concurrent;
using System.Net.Http.Headers;
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

namespace Panel.Gateway.Tests.Answering;

/// <summary>
/// Surveys' answering API and Membership's <c>GET /me/invitations</c>, standing in for the real services with
/// their JSON shapes written out here (not the gateway's records, so a mismatch shows): one survey with every
/// question type over three pages and conditions, drafts, page-by-page navigation as Surveys computes it,
/// the answers' problems, and the refusals chosen by the token or public id:
/// <list type="bullet">
/// <item>token <c>ok-…</c>: an open invitation (a new one per token); <c>answered-…</c> 410 answered;
/// <c>closed-…</c> 410 closed; <c>soon-…</c> 409 not open; anything else 404;</item>
/// <item>public id <see cref="OpenId"/>: an open-link survey; <see cref="ClosedId"/> 410; <see cref="BusyId"/> 429 on
/// new drafts and submits; anything else 404.</item>
/// </list>
/// Every other request is passed on to the <see cref="EchoBackend"/> (sign-in, /me, join options).
/// </summary>
public sealed class FakeAnswering : IAsyncDisposable
{
    public const string OpenId = "OpenSurvey_1";
    public const string ClosedId = "ClosedSurvey_1";
    public const string BusyId = "BusySurvey_1";
    public const string SurveyTitleFi = "Terveysaseman palvelut";
    public const string SurveyTitleSv = "Hälsostationens tjänster";
    public const string ResultsUseFi = "Tulokset ohjaavat aukioloaikojen suunnittelua.";
    public const string ResultsUseSv = "Resultaten styr planeringen av öppettiderna.";
    public const string PurposeFi = "Haluamme tietää, miten terveysaseman palvelut toimivat.";
    public static readonly Guid SurveyId = Guid.Parse("6a1f7a52-3c1e-4a34-9a55-0c2f8b7c1d10");

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests;
    private readonly HttpClient _forward = new();

    private FakeAnswering(WebApplication app, ConcurrentQueue<RecordedRequest> requests, Uri address)
    {
        _app = app;
        _requests = requests;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Where requests this fake does not answer go (the echo backend).</summary>
    public Uri? ForwardTo { get; set; }

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Answer sets submitted, with the channel's token kind (invitation token or open-link resume code).</summary>
    public ConcurrentBag<(string Key, Dictionary<string, JsonElement> Answers)> Submitted { get; } = [];

    /// <summary>Drafts by invitation token or resume code.</summary>
    public ConcurrentDictionary<string, Draft> Drafts { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, bool> Answered { get; } = new(StringComparer.Ordinal);

    /// <summary>What GET /me/invitations answers for a panelist: a JSON body, or a status without one.</summary>
    public ConcurrentDictionary<string, (int Status, string? Json)> Invitations { get; } = new(StringComparer.Ordinal);

    public sealed class Draft
    {
        public Dictionary<string, JsonElement> Answers { get; set; } = new(StringComparer.Ordinal);
        public string? Page { get; set; }
    }

    public static async Task<FakeAnswering> StartAsync()
    {
        var requests = new ConcurrentQueue<RecordedRequest>();
        var app = RecordingServer.Create(requests.Enqueue);
        FakeAnswering? fake = null;

        app.MapPost("/api/surveys/answering/invitation/form", (HttpRequest r) => fake!.Invitation(r, "form"));
        app.MapPut("/api/surveys/answering/invitation/draft", (HttpRequest r) => fake!.Invitation(r, "draft"));
        app.MapPost("/api/surveys/answering/invitation/submit", (HttpRequest r) => fake!.Invitation(r, "submit"));
        app.MapPost("/api/surveys/answering/open/{publicId}/form", (string publicId, HttpRequest r) => fake!.Open(publicId, r, "form"));
        app.MapPut("/api/surveys/answering/open/{publicId}/draft", (string publicId, HttpRequest r) => fake!.Open(publicId, r, "draft"));
        app.MapPost("/api/surveys/answering/open/{publicId}/submit", (string publicId, HttpRequest r) => fake!.Open(publicId, r, "submit"));
        app.MapGet("/api/membership/me/invitations", (HttpRequest r) => fake!.MyInvitations(r));
        app.MapFallback((HttpContext context) => fake!.ForwardAsync(context));

        var address = await RecordingServer.StartAsync(app);
        fake = new FakeAnswering(app, requests, address);
        return fake;
    }

    // ---- the survey

    private sealed record Q(string Id, string Type, string Fi, string Sv, bool Required, JsonObject? ShowIf, Func<string, JsonObject> Extra);

    private sealed record P(string Id, string? Fi, string? Sv, JsonObject? ShowIf, Q[] Questions);

    private static JsonObject Choices(string lang, params (string Id, string Fi, string Sv)[] choices) =>
        new() { ["list"] = new JsonArray([.. choices.Select(c => (JsonNode)new JsonObject { ["id"] = c.Id, ["label"] = lang == "sv" ? c.Sv : c.Fi })]) };

    private static JsonArray List(string lang, params (string Id, string Fi, string Sv)[] choices) => (JsonArray)Choices(lang, choices)["list"]!.DeepClone();

    private static JsonObject Condition(string questionId, string[]? anyOf = null, decimal? min = null, decimal? max = null)
    {
        var c = new JsonObject { ["questionId"] = questionId };
        if (anyOf is not null) c["anyOf"] = new JsonArray([.. anyOf.Select(a => (JsonNode)a)]);
        if (min is not null) c["min"] = min;
        if (max is not null) c["max"] = max;
        return c;
    }

    /// <summary>
    /// Page 1: uses (single, required), why (free text max 20, follows uses=yes on the same page), visits (number 0–50, required).
    /// Page 2, shown when uses=yes: services (multiple 2–3 of 4), satisfied (Likert 5), recommend (NPS).
    /// Page 3: priorities (ranking top 2 of 4), rating (matrix 2 rows × 3, required), budget (10 vouchers, "lab" capped at 6, required).
    /// </summary>
    private static readonly P[] Pages =
    [
        new("p1", "Perustiedot", "Grunduppgifter", null,
        [
            new("uses", "single-choice", "Käytätkö terveysaseman palveluja?", "Använder du hälsostationens tjänster?", true, null,
                l => new JsonObject { ["options"] = List(l, ("yes", "Kyllä", "Ja"), ("no", "En", "Nej")) }),
            new("why", "free-text", "Miksi?", "Varför?", false, Condition("uses", ["yes"]),
                _ => new JsonObject { ["maxLength"] = 20 }),
            new("visits", "number", "Montako käyntiä vuodessa?", "Hur många besök per år?", true, null,
                l => new JsonObject { ["min"] = 0, ["max"] = 50, ["step"] = 1, ["unit"] = l == "sv" ? "besök" : "käyntiä" }),
        ]),
        new("p2", null, null, Condition("uses", ["yes"]),
        [
            new("services", "multiple-choice", "Mitä palveluja käytät?", "Vilka tjänster använder du?", false, null,
                l => new JsonObject
                {
                    ["options"] = List(l, ("doc", "Lääkäri", "Läkare"), ("nurse", "Hoitaja", "Skötare"), ("lab", "Laboratorio", "Laboratorium"), ("dental", "Hammashoito", "Tandvård")),
                    ["minPicks"] = 2, ["maxPicks"] = 3,
                }),
            new("satisfied", "likert", "Olen tyytyväinen palveluun.", "Jag är nöjd med tjänsten.", false, null,
                l => new JsonObject
                {
                    ["points"] = new JsonArray([.. new[] { "Täysin eri mieltä", "Eri mieltä", "En osaa sanoa", "Samaa mieltä", "Täysin samaa mieltä" }
                        .Select((label, i) => (JsonNode)new JsonObject { ["value"] = i + 1, ["label"] = l == "sv" ? $"sv-{label}" : label })]),
                }),
            new("recommend", "nps", "Suosittelisitko terveysasemaa?", "Skulle du rekommendera hälsostationen?", false, null,
                _ => new JsonObject
                {
                    ["points"] = new JsonArray([.. Enumerable.Range(0, 11).Select(v => (JsonNode)(v is 0 or 10
                        ? new JsonObject { ["value"] = v, ["label"] = v == 0 ? "Ei lainkaan todennäköisesti" : "Erittäin todennäköisesti" }
                        : new JsonObject { ["value"] = v }))]),
                }),
        ]),
        new("p3", "Tärkeysjärjestys", "Prioriteringar", null,
        [
            new("priorities", "ranking", "Mitkä ovat tärkeimmät?", "Vilka är viktigast?", false, null,
                l => new JsonObject
                {
                    ["options"] = List(l, ("hours", "Aukioloajat", "Öppettider"), ("phone", "Puhelinpalvelu", "Telefontjänst"), ("online", "Verkkoasiointi", "E-tjänster"), ("access", "Esteettömyys", "Tillgänglighet")),
                    ["rankCount"] = 2,
                }),
            new("rating", "matrix", "Arvioi palvelut.", "Bedöm tjänsterna.", true, null,
                l => new JsonObject
                {
                    ["rows"] = List(l, ("reception", "Vastaanotto", "Mottagning"), ("waiting", "Odotus", "Väntan")),
                    ["columns"] = List(l, ("bad", "Huono", "Dålig"), ("ok", "Kohtalainen", "Okej"), ("good", "Hyvä", "Bra")),
                }),
            new("budget", "budget", "Jaa 10 seteliä.", "Fördela 10 sedlar.", true, null,
                l => new JsonObject
                {
                    ["options"] = new JsonArray(
                        new JsonObject { ["id"] = "lab", ["label"] = l == "sv" ? "Laboratorium" : "Laboratorio", ["cap"] = 6 },
                        new JsonObject { ["id"] = "hours", ["label"] = l == "sv" ? "Kvällsöppet" : "Iltavastaanotto" },
                        new JsonObject { ["id"] = "phone", ["label"] = l == "sv" ? "Telefon" : "Puhelin" }),
                    ["vouchers"] = 10,
                }),
        ]),
    ];

    private static readonly string[] Languages = ["fi", "sv"];

    private static IEnumerable<Q> AllQuestions => Pages.SelectMany(p => p.Questions);

    private static JsonObject FormJson(string lang)
    {
        var number = 0;
        var pages = new JsonArray();
        for (var i = 0; i < Pages.Length; i++)
        {
            var page = Pages[i];
            var questions = new JsonArray();
            foreach (var q in page.Questions)
            {
                var json = new JsonObject
                {
                    ["id"] = q.Id, ["type"] = q.Type, ["number"] = ++number, ["text"] = lang == "sv" ? q.Sv : q.Fi, ["required"] = q.Required,
                };
                if (q.ShowIf is not null) json["showIf"] = q.ShowIf.DeepClone();
                foreach (var (key, value) in q.Extra(lang))
                {
                    json[key] = value?.DeepClone();
                }

                questions.Add(json);
            }

            var p = new JsonObject { ["id"] = page.Id, ["number"] = i + 1, ["questions"] = questions };
            if (page.Fi is not null) p["title"] = lang == "sv" ? page.Sv : page.Fi;
            if (page.ShowIf is not null) p["showIf"] = page.ShowIf.DeepClone();
            pages.Add(p);
        }

        return new JsonObject
        {
            ["surveyId"] = SurveyId, ["version"] = 3, ["language"] = lang,
            ["title"] = lang == "sv" ? SurveyTitleSv : SurveyTitleFi,
            ["purpose"] = lang == "sv" ? "Vi vill veta hur hälsostationens tjänster fungerar." : PurposeFi,
            ["resultsUse"] = lang == "sv" ? ResultsUseSv : ResultsUseFi,
            ["pages"] = pages, ["missingTranslations"] = new JsonArray(),
        };
    }

    // ---- visibility and validation, as Surveys judges them

    private static bool? Evaluate(JsonObject? condition, HashSet<string> visible, IReadOnlyDictionary<string, JsonElement> answers)
    {
        if (condition is null) return true;
        var id = condition["questionId"]!.GetValue<string>();
        if (!visible.Contains(id) || !answers.TryGetValue(id, out var answer) || !IsAnswered(answer)) return false;
        if (condition["anyOf"] is JsonArray anyOf)
        {
            var set = anyOf.Select(a => a!.GetValue<string>()).ToHashSet();
            return answer.ValueKind == JsonValueKind.String ? set.Contains(answer.GetString()!)
                : answer.ValueKind == JsonValueKind.Array && answer.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && set.Contains(a.GetString()!));
        }

        return answer.ValueKind == JsonValueKind.Number
            && (condition["min"] is null || answer.GetDecimal() >= condition["min"]!.GetValue<decimal>())
            && (condition["max"] is null || answer.GetDecimal() <= condition["max"]!.GetValue<decimal>());
    }

    private static HashSet<string> Visible(IReadOnlyDictionary<string, JsonElement> answers)
    {
        var visible = new HashSet<string>();
        foreach (var page in Pages.Where(p => Evaluate(p.ShowIf, visible, answers) == true))
        {
            foreach (var q in page.Questions.Where(q => Evaluate(q.ShowIf, visible, answers) == true))
            {
                visible.Add(q.Id);
            }
        }

        return visible;
    }

    private static bool IsAnswered(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => false,
        JsonValueKind.String => !string.IsNullOrWhiteSpace(value.GetString()),
        JsonValueKind.Array => value.GetArrayLength() > 0,
        JsonValueKind.Object => value.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.Null),
        _ => true,
    };

    private static List<(string Id, string Code)> Validate(IReadOnlyDictionary<string, JsonElement> answers, bool complete)
    {
        var errors = new List<(string, string)>();
        var visible = Visible(answers);
        foreach (var q in AllQuestions.Where(q => visible.Contains(q.Id)))
        {
            if (!answers.TryGetValue(q.Id, out var a) || !IsAnswered(a))
            {
                if (q.Required && complete) errors.Add((q.Id, "required"));
                continue;
            }

            if (Check(q, a) is { } code) errors.Add((q.Id, code));
        }

        return errors;
    }

    private static string? Check(Q q, JsonElement a)
    {
        var extra = q.Extra("fi");
        string[] Ids(string list) => [.. extra[list]!.AsArray().Select(o => o!["id"]!.GetValue<string>())];
        switch (q.Type)
        {
            case "single-choice":
                return a.ValueKind != JsonValueKind.String ? "wrong-type" : Ids("options").Contains(a.GetString()) ? null : "not-an-option";
            case "multiple-choice":
            {
                if (a.ValueKind != JsonValueKind.Array || a.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String)) return "wrong-type";
                var picks = a.EnumerateArray().Select(x => x.GetString()!).ToList();
                if (picks.Any(p => !Ids("options").Contains(p))) return "not-an-option";
                if (picks.Count < extra["minPicks"]!.GetValue<int>()) return "too-few-picks";
                return picks.Count > extra["maxPicks"]!.GetValue<int>() ? "too-many-picks" : null;
            }

            case "likert" or "nps":
            {
                if (a.ValueKind != JsonValueKind.Number || !a.TryGetInt32(out var n)) return "wrong-type";
                var (low, high) = q.Type == "nps" ? (0, 10) : (1, 5);
                return n < low || n > high ? "out-of-range" : null;
            }

            case "number":
                if (a.ValueKind != JsonValueKind.Number) return "wrong-type";
                return a.GetDecimal() is < 0 or > 50 ? "out-of-range" : a.GetDecimal() % 1 != 0 ? "not-on-step" : null;
            case "free-text":
                return a.ValueKind != JsonValueKind.String ? "wrong-type" : a.GetString()!.Length > 20 ? "too-long" : null;
            case "ranking":
            {
                if (a.ValueKind != JsonValueKind.Array || a.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String)) return "wrong-type";
                var ranked = a.EnumerateArray().Select(x => x.GetString()!).ToList();
                if (ranked.Any(p => !Ids("options").Contains(p))) return "not-an-option";
                if (ranked.Distinct().Count() != ranked.Count) return "duplicate";
                return ranked.Count != 2 ? "rank-count" : null;
            }

            case "matrix":
            {
                if (a.ValueKind != JsonValueKind.Object) return "wrong-type";
                var rows = a.EnumerateObject().ToList();
                if (rows.Any(r => !Ids("rows").Contains(r.Name) || r.Value.ValueKind != JsonValueKind.String || !Ids("columns").Contains(r.Value.GetString()))) return "not-an-option";
                return q.Required && rows.Count < 2 ? "rows-missing" : null;
            }

            case "budget":
            {
                if (a.ValueKind != JsonValueKind.Object) return "wrong-type";
                var total = 0;
                foreach (var entry in a.EnumerateObject())
                {
                    if (!Ids("options").Contains(entry.Name)) return "not-an-option";
                    if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out var v) || v < 0) return "wrong-type";
                    if (entry.Name == "lab" && v > 6) return "cap-exceeded";
                    total += v;
                }

                return total != 10 ? "voucher-total" : null;
            }

            default:
                return "wrong-type";
        }
    }

    private static string? PageOf(string questionId) => Pages.FirstOrDefault(p => p.Questions.Any(q => q.Id == questionId))?.Id;

    private static JsonObject Navigation(IReadOnlyDictionary<string, JsonElement> answers, string? requested, string? saved)
    {
        var visible = Visible(answers);
        var pages = new JsonArray();
        var shownPages = new List<string>();
        var none = new HashSet<string>();
        for (var i = 0; i < Pages.Length; i++)
        {
            var page = Pages[i];
            var pageShown = Evaluate(page.ShowIf, visible, answers) == true;
            var shownHere = new Dictionary<string, bool>();
            var questions = new JsonArray();
            foreach (var q in page.Questions)
            {
                var source = q.ShowIf?["questionId"]?.GetValue<string>();
                var dependsOnPage = source is not null && PageOf(source) == page.Id;
                var shown = pageShown && (dependsOnPage ? shownHere.GetValueOrDefault(source!) : visible.Contains(q.Id));
                shownHere[q.Id] = shown;
                questions.Add(new JsonObject { ["id"] = q.Id, ["shown"] = shown, ["dependsOnPage"] = dependsOnPage });
            }

            var any = pageShown && questions.Any(q => q!["shown"]!.GetValue<bool>());
            if (any) shownPages.Add(page.Id);
            pages.Add(new JsonObject { ["id"] = page.Id, ["number"] = i + 1, ["shown"] = any, ["questions"] = questions });
        }

        var current = new[] { requested, saved }.FirstOrDefault(p => p is not null && shownPages.Contains(p)) ?? shownPages[0];
        var at = shownPages.IndexOf(current);
        return new JsonObject
        {
            ["page"] = current, ["position"] = at + 1, ["count"] = shownPages.Count,
            ["previous"] = at > 0 ? shownPages[at - 1] : null,
            ["next"] = at < shownPages.Count - 1 ? shownPages[at + 1] : null,
            ["pages"] = pages,
        };
    }

    private static string LanguageFor(string? requested) => requested is not null && Languages.Contains(requested) ? requested : "fi";

    private static IResult Session(string channel, string lang, Dictionary<string, JsonElement> answers, string? requested, string? saved, string? resumeCode)
    {
        var json = new JsonObject
        {
            ["channel"] = channel,
            ["languages"] = new JsonArray([.. Languages.Select(l => (JsonNode)l)]),
            ["form"] = FormJson(lang),
            ["answers"] = JsonNode.Parse(JsonSerializer.Serialize(answers)),
            ["navigation"] = Navigation(answers, requested, saved),
            ["closesAt"] = "2026-12-31T21:59:00+00:00",
        };
        if (resumeCode is not null) json["resumeCode"] = resumeCode;
        return Results.Content(json.ToJsonString(), "application/json", Encoding.UTF8, 200);
    }

    private static IResult Problem(int status, string title, string reason) =>
        Results.Content(new JsonObject { ["title"] = title, ["status"] = status, ["reason"] = reason }.ToJsonString(), "application/problem+json", Encoding.UTF8, status);

    private static IResult Invalid(string field, string message) =>
        Results.Content(new JsonObject { ["title"] = "One or more validation errors occurred.", ["status"] = 400, ["errors"] = new JsonObject { [field] = new JsonArray(message) } }.ToJsonString(),
            "application/problem+json", Encoding.UTF8, 400);

    private static IResult AnswerProblems(List<(string Id, string Code)> errors) =>
        Results.Content(new JsonObject
        {
            ["title"] = "Some answers need attention.", ["status"] = 400,
            ["errors"] = new JsonObject(errors.GroupBy(e => e.Id).Select(g => KeyValuePair.Create("answers." + g.Key, (JsonNode?)new JsonArray([.. g.Select(e => (JsonNode)e.Code)])))),
            ["answerErrors"] = new JsonArray([.. errors.Select(e => (JsonNode)new JsonObject { ["questionId"] = e.Id, ["page"] = PageOf(e.Id), ["code"] = e.Code, ["message"] = "English text" })]),
        }.ToJsonString(), "application/problem+json", Encoding.UTF8, 400);

    private sealed record Body(string? Token, string? ResumeCode, string? Language, string? Page, Dictionary<string, JsonElement>? Answers);

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>Merges a page's answers into the draft (or takes a whole set), drops hidden ones, judges them.</summary>
    private static (Dictionary<string, JsonElement> Merged, List<(string Id, string Code)> Errors) Prepare(Draft? draft, Body body, bool complete)
    {
        var merged = new Dictionary<string, JsonElement>(draft?.Answers ?? [], StringComparer.Ordinal);
        var errors = new List<(string, string)>();
        if (body.Page is { } pageId)
        {
            var onPage = Pages.First(p => p.Id == pageId).Questions.Select(q => q.Id).ToHashSet();
            foreach (var id in onPage) merged.Remove(id);
            foreach (var (id, value) in body.Answers ?? [])
            {
                if (!onPage.Contains(id)) errors.Add((id, AllQuestions.Any(q => q.Id == id) ? "not-on-page" : "unknown-question"));
                else if (IsAnswered(value)) merged[id] = value;
            }
        }
        else if (body.Answers is not null)
        {
            merged = new Dictionary<string, JsonElement>(body.Answers.Where(a => IsAnswered(a.Value)), StringComparer.Ordinal);
        }

        var visible = Visible(merged);
        foreach (var id in merged.Keys.Where(id => !visible.Contains(id)).ToList()) merged.Remove(id);
        errors.AddRange(Validate(merged, complete));
        return (merged, errors);
    }

    private async Task<IResult> Invitation(HttpRequest request, string call)
    {
        var body = await JsonSerializer.DeserializeAsync<Body>(request.Body, Web);
        if (string.IsNullOrWhiteSpace(body?.Token)) return Invalid("token", "The invitation's token is required.");
        if (body.Language is not null && !new[] { "fi", "sv", "en" }.Contains(body.Language)) return Invalid("language", "fi, sv or en.");
        var token = body.Token.Trim();
        if (token.StartsWith("answered-", StringComparison.Ordinal) || Answered.ContainsKey(token)) return Problem(410, "This invitation has been answered.", "answered");
        if (token.StartsWith("closed-", StringComparison.Ordinal)) return Problem(410, "The survey has closed.", "closed");
        if (token.StartsWith("soon-", StringComparison.Ordinal)) return Problem(409, "The survey is not open yet.", "not-open");
        if (token.StartsWith("down-", StringComparison.Ordinal)) return Results.Text("boom", "text/plain", Encoding.UTF8, 500);
        if (!token.StartsWith("ok-", StringComparison.Ordinal)) return Problem(404, "No such invitation.", "unknown-invitation");
        if (body.Page is not null && Pages.All(p => p.Id != body.Page)) return Invalid("page", "No such page.");

        var channel = request.Headers.Authorization.ToString().Length > 0 ? "invitation" : "none";
        var lang = LanguageFor(body.Language);
        Drafts.TryGetValue(token, out var draft);
        switch (call)
        {
            case "form":
                return Session(channel, lang, draft?.Answers ?? [], body.Page, draft?.Page, null);
            case "draft":
            {
                var (merged, errors) = Prepare(draft, body, complete: false);
                if (errors.Count > 0) return AnswerProblems(errors);
                Drafts[token] = new Draft { Answers = merged, Page = body.Page ?? draft?.Page };
                return Session(channel, lang, merged, body.Page, body.Page, null);
            }

            default:
            {
                var (merged, errors) = Prepare(draft, body, complete: true);
                if (errors.Count > 0) return AnswerProblems(errors);
                if (!Answered.TryAdd(token, true)) return Problem(410, "This invitation has been answered.", "answered");
                Drafts.TryRemove(token, out _);
                Submitted.Add((token, merged));
                return Received(lang);
            }
        }
    }

    private static IResult Received(string lang) =>
        Results.Content(new JsonObject
        {
            ["status"] = "received", ["language"] = lang, ["title"] = lang == "sv" ? SurveyTitleSv : SurveyTitleFi,
            ["resultsUse"] = lang == "sv" ? ResultsUseSv : ResultsUseFi,
        }.ToJsonString(), "application/json", Encoding.UTF8, 200);

    private int _codes;

    private async Task<IResult> Open(string publicId, HttpRequest request, string call)
    {
        var body = await JsonSerializer.DeserializeAsync<Body>(request.Body, Web) ?? new Body(null, null, null, null, null);
        if (publicId == ClosedId) return Problem(410, "The survey has closed.", "closed");
        if (publicId is not (OpenId or BusyId)) return Problem(404, "No such survey.", "unknown-survey");
        if (body.Page is not null && Pages.All(p => p.Id != body.Page)) return Invalid("page", "No such page.");
        var lang = LanguageFor(body.Language);
        Draft? draft = null;
        if (body.ResumeCode is { } code && !Drafts.TryGetValue("resume:" + code.Trim(), out draft))
        {
            return Problem(404, "No saved answers with this code.", "unknown-resume-code");
        }

        switch (call)
        {
            case "form":
                return Session("open-link", lang, draft?.Answers ?? [], body.Page, draft?.Page, draft is null ? null : body.ResumeCode!.Trim());
            case "draft":
            {
                var (merged, errors) = Prepare(draft, body, complete: false);
                if (errors.Count > 0) return AnswerProblems(errors);
                if (draft is null && publicId == BusyId) return Problem(429, "The survey is taking many answers just now.", "busy");
                var resume = body.ResumeCode?.Trim() ?? $"Code{Interlocked.Increment(ref _codes)}x{Guid.NewGuid():N}"[..32];
                Drafts["resume:" + resume] = new Draft { Answers = merged, Page = body.Page ?? draft?.Page };
                return Session("open-link", lang, merged, body.Page, body.Page, resume);
            }

            default:
            {
                var (merged, errors) = Prepare(draft, body, complete: true);
                if (errors.Count > 0) return AnswerProblems(errors);
                if (publicId == BusyId) return Problem(429, "The survey is taking many answers just now.", "busy");
                if (body.ResumeCode is { } used) Drafts.TryRemove("resume:" + used.Trim(), out _);
                Submitted.Add(("open:" + body.ResumeCode, merged));
                return Received(lang);
            }
        }
    }

    private IResult MyInvitations(HttpRequest request)
    {
        var sub = Subject(request);
        if (sub is null) return Problem(403, "Forbidden", "forbidden");
        if (!Invitations.TryGetValue(sub, out var answer)) return Results.Content("[]", "application/json", Encoding.UTF8, 200);
        return answer.Json is null
            ? Results.StatusCode(answer.Status)
            : Results.Content(answer.Json, "application/json", Encoding.UTF8, answer.Status);
    }

    /// <summary>The resident token's subject (the PanelistId), read without validation.</summary>
    private static string? Subject(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        var parts = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Split('.') : [];
        if (parts.Length != 3) return null;
        var payload = parts[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        using var json = JsonDocument.Parse(Convert.FromBase64String(payload));
        return json.RootElement.TryGetProperty("act_kind", out var kind) && kind.GetString() == "resident" ? json.RootElement.GetProperty("sub").GetString() : null;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var target = new Uri(ForwardTo ?? throw new InvalidOperationException("No forward address."), context.Request.Path + context.Request.QueryString);
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target);
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
        if (body.Length > 0)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            if (context.Request.ContentType is { } type) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        }

        if (context.Request.Headers.Authorization.Count > 0)
        {
            request.Headers.TryAddWithoutValidation("Authorization", context.Request.Headers.Authorization.ToString());
        }

        using var response = await _forward.SendAsync(request, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is { } contentType) context.Response.ContentType = contentType.ToString();
        if (response.Content.Headers.ContentDisposition is { } disposition) context.Response.Headers.ContentDisposition = disposition.ToString();
        await context.Response.Body.WriteAsync(await response.Content.ReadAsByteArrayAsync(context.RequestAborted), context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        _forward.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
