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

namespace Panel.Gateway.Tests.StaffSurveys;

/// <summary>
/// A stand-in for the Surveys API and Membership's targeting and progress endpoints, shaped like the real ones
/// (the same paths, bodies, statuses, problem details with field paths, ETag and If-Match → 412, the same role
/// rules for the transitions the pages offer). It records every request.
/// </summary>
public sealed class FakeSurveys : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests;

    private FakeSurveys(WebApplication app, ConcurrentQueue<RecordedRequest> requests)
    {
        _app = app;
        _requests = requests;
    }

    public Uri Address { get; private set; } = default!;

    public ConcurrentDictionary<Guid, JsonObject> Surveys { get; } = new();

    public ConcurrentDictionary<Guid, List<JsonObject>> Reviews { get; } = new();

    /// <summary>Surveys whose progress says nobody was invited (fewer than k matched).</summary>
    public HashSet<Guid> NotIssued { get; } = [];

    /// <summary>What POST /targeting/matches answers: a count, null (fewer than k), or a failure (status 500).</summary>
    public int? Matches { get; set; } = 120;

    public bool MatchesFail { get; set; }

    /// <summary>A path the stand-in refuses with 403 and this reason (the service decides again whatever the page offered).</summary>
    public (string Path, string Reason)? Forbid { get; set; }

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public IReadOnlyList<RecordedRequest> RequestsTo(string method, string path) =>
        [.. _requests.Where(r => r.Method == method && r.Path == path)];

    /// <summary>A draft with one page and one single-choice question (q1: options a1, a2), created by <paramref name="createdBy"/>.</summary>
    public Guid AddSurvey(string state = "draft", string area = "elderly-services", string createdBy = "someone", bool complete = true)
    {
        var id = Guid.NewGuid();
        var texts = complete ? Texts("Palvelukysely", "Serviceenkät", "Service survey") : new JsonObject { ["fi"] = "Palvelukysely" };
        Surveys[id] = new JsonObject
        {
            ["id"] = id.ToString(),
            ["kind"] = "questionnaire",
            ["serviceArea"] = area,
            ["minimumGroupSize"] = 5,
            ["languages"] = new JsonArray("fi", "sv", "en"),
            ["title"] = texts,
            ["purpose"] = complete ? Texts("Miksi", "Varför", "Why") : null,
            ["resultsUse"] = complete ? Texts("Käyttö", "Användning", "Use") : null,
            ["pages"] = new JsonArray(new JsonObject
            {
                ["id"] = "p1",
                ["questions"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "single-choice", ["id"] = "q1", ["text"] = Texts("Kumpi?", "Vilken?", "Which?"), ["required"] = true,
                        ["options"] = new JsonArray(
                            new JsonObject { ["id"] = "a1", ["label"] = Texts("Yksi", "Ett", "One") },
                            new JsonObject { ["id"] = "a2", ["label"] = Texts("Kaksi", "Två", "Two") }),
                    },
                    new JsonObject
                    {
                        ["type"] = "nps", ["id"] = "q2", ["text"] = Texts("Suosittelisitko?", "Rekommenderar du?", "Recommend?"), ["required"] = false,
                        ["lowLabel"] = Texts("Ei", "Nej", "No"), ["highLabel"] = Texts("Kyllä", "Ja", "Yes"),
                    }),
            }),
            ["state"] = state,
            ["definitionVersion"] = 1,
            ["hasAnswers"] = false,
            ["createdBy"] = createdBy,
            ["createdAt"] = "2026-11-01T10:00:00+00:00",
            ["updatedAt"] = "2026-11-01T10:00:00+00:00",
        };
        Reviews[id] = [];
        return id;
    }

    public static JsonObject Texts(string fi, string sv, string en) => new() { ["fi"] = fi, ["sv"] = sv, ["en"] = en };

    public static async Task<FakeSurveys> StartAsync()
    {
        var requests = new ConcurrentQueue<RecordedRequest>();
        var app = RecordingServer.Create(requests.Enqueue);
        FakeSurveys? fake = null;
        app.Use(async (context, next) =>
        {
            if (fake!.Forbid is { } forbid && forbid.Path == context.Request.Path.Value)
            {
                await Problem(403, "Not allowed.", forbid.Reason).ExecuteAsync(context);
                return;
            }

            await next(context);
        });

        fake = new FakeSurveys(app, requests);
        fake.Map();
        fake.Address = await RecordingServer.StartAsync(app);
        return fake;
    }

    private void Map()
    {
        var app = _app;
        app.MapGet("/api/surveys", (HttpRequest r) =>
        {
            if (!CallerOf(r).CanRead)
            {
                return Problem(403, "Not allowed.");
            }

            var list = new JsonArray([.. Surveys.Values.Select(s => (JsonNode?)new JsonObject
            {
                ["id"] = s["id"]!.DeepClone(), ["kind"] = s["kind"]!.DeepClone(), ["serviceArea"] = s["serviceArea"]!.DeepClone(),
                ["state"] = s["state"]!.DeepClone(), ["title"] = s["title"]!.DeepClone(), ["definitionVersion"] = s["definitionVersion"]!.DeepClone(),
                ["createdBy"] = s["createdBy"]!.DeepClone(), ["createdAt"] = s["createdAt"]!.DeepClone(), ["updatedAt"] = s["updatedAt"]!.DeepClone(),
            })]);
            return Json(list, 200);
        });

        app.MapPost("/api/surveys", async (HttpRequest r) =>
        {
            var caller = CallerOf(r);
            if (!caller.CanAuthor)
            {
                return Problem(403, "Not allowed.");
            }

            var body = (await JsonNode.ParseAsync(r.Body))!.AsObject();
            var errors = new Dictionary<string, string[]>();
            if (body["title"] is not JsonObject { Count: > 0 })
            {
                errors["title"] = ["The text is required in at least one language."];
            }

            if (string.IsNullOrEmpty(body["serviceArea"]?.ToString()))
            {
                errors["serviceArea"] = ["The service area is required."];
            }

            if (errors.Count > 0)
            {
                return Validation(errors);
            }

            var id = AddSurvey(area: body["serviceArea"]!.ToString(), createdBy: caller.Subject);
            Surveys[id]["title"] = body["title"]!.DeepClone();
            Surveys[id]["pages"] = body["pages"]?.DeepClone() ?? new JsonArray();
            return Json(Details(id, caller), 201);
        });

        app.MapGet("/api/surveys/templates", () => Json(new JsonArray(
            new JsonObject { ["id"] = "customer-experience", ["builtIn"] = true, ["title"] = Texts("Asiakaskokemus", "Kundupplevelse", "Customer experience"), ["kind"] = "questionnaire", ["questionCount"] = 3 },
            new JsonObject { ["id"] = "digital-skills", ["builtIn"] = true, ["title"] = Texts("Digitaidot", "Digitala färdigheter", "Digital skills"), ["kind"] = "questionnaire", ["questionCount"] = 6 }), 200));

        app.MapPost("/api/surveys/from-template", async (HttpRequest r) =>
        {
            var caller = CallerOf(r);
            var body = (await JsonNode.ParseAsync(r.Body))!.AsObject();
            if (body["templateId"]?.ToString() is not ("customer-experience" or "digital-skills"))
            {
                return Validation(new() { ["templateId"] = ["There is no such template."] });
            }

            if (string.IsNullOrEmpty(body["serviceArea"]?.ToString()))
            {
                return Validation(new() { ["serviceArea"] = ["The service area is required."] });
            }

            var id = AddSurvey(area: body["serviceArea"]!.ToString(), createdBy: caller.Subject);
            return Json(Details(id, caller), 201);
        });

        app.MapGet("/api/surveys/{id:guid}", (Guid id, HttpRequest r, HttpResponse response) =>
        {
            if (!Surveys.ContainsKey(id) || !CallerOf(r).CanRead)
            {
                return Problem(404, "No such survey.");
            }

            response.Headers.ETag = $"\"{Surveys[id]["definitionVersion"]}\"";
            return Json(Details(id, CallerOf(r)), 200);
        });

        app.MapMethods("/api/surveys/{id:guid}", ["PATCH"], async (Guid id, HttpRequest r, HttpResponse response) =>
        {
            if (!Surveys.TryGetValue(id, out var survey))
            {
                return Problem(404, "No such survey.");
            }

            var caller = CallerOf(r);
            if (!caller.CanAuthor)
            {
                return Problem(403, "Not allowed.", "A draft is changed by its author, a domain contact of its service area or a coordinator.");
            }

            if (survey["state"]!.ToString() == "in-review")
            {
                return Problem(409, "Not possible now.", "The survey is in review; a reviewer returns it to draft for changes.");
            }

            var version = survey["definitionVersion"]!.GetValue<int>();
            if (r.Headers.IfMatch.ToString() is { Length: > 0 } ifMatch && ifMatch != $"\"{version}\"")
            {
                return Problem(412, "The survey changed since it was read.");
            }

            var body = (await JsonNode.ParseAsync(r.Body))!.AsObject();
            var errors = new Dictionary<string, string[]>();
            if (body["pages"] is JsonArray pages)
            {
                for (var p = 0; p < pages.Count; p++)
                {
                    var questions = pages[p]?["questions"] as JsonArray ?? [];
                    for (var q = 0; q < questions.Count; q++)
                    {
                        if (questions[q]?["text"] is not JsonObject { Count: > 0 })
                        {
                            errors[$"pages[{p}].questions[{q}].text"] = ["The text is required in at least one language."];
                        }

                        if (questions[q]?["type"]?.ToString() == "multiple-choice"
                            && questions[q]?["maxPicks"] is JsonValue max && questions[q]?["minPicks"] is JsonValue min && max.GetValue<int>() < min.GetValue<int>())
                        {
                            errors[$"pages[{p}].questions[{q}].maxPicks"] = ["maxPicks cannot be below minPicks."];
                        }
                    }
                }
            }

            if (body["title"] is JsonObject { Count: 0 })
            {
                errors["title"] = ["The text is required in at least one language."];
            }

            if (errors.Count > 0)
            {
                return Validation(errors);
            }

            foreach (var (key, value) in body)
            {
                survey[key] = value?.DeepClone();
            }

            survey["definitionVersion"] = version + 1;
            response.Headers.ETag = $"\"{version + 1}\"";
            return Json(Details(id, caller), 200);
        });

        app.MapGet("/api/surveys/{id:guid}/preview", (Guid id, string? language) =>
        {
            if (!Surveys.TryGetValue(id, out var survey))
            {
                return Problem(404, "No such survey.");
            }

            var lang = language ?? "fi";
            string Text(JsonNode? t) => t?[lang]?.ToString() ?? t?["fi"]?.ToString() ?? "";
            var number = 0;
            var pages = new JsonArray([.. (survey["pages"] as JsonArray ?? []).Select((page, pi) => (JsonNode?)new JsonObject
            {
                ["id"] = page!["id"]!.DeepClone(),
                ["number"] = pi + 1,
                ["questions"] = new JsonArray([.. (page["questions"] as JsonArray ?? []).Select(q => (JsonNode?)new JsonObject
                {
                    ["id"] = q!["id"]!.DeepClone(), ["type"] = q["type"]!.DeepClone(), ["number"] = ++number, ["text"] = Text(q["text"]),
                    ["required"] = q["required"]?.DeepClone() ?? false,
                    ["options"] = q["options"] is JsonArray options
                        ? new JsonArray([.. options.Select(o => (JsonNode?)new JsonObject { ["id"] = o!["id"]!.DeepClone(), ["label"] = Text(o["label"]) })])
                        : null,
                    ["points"] = q["type"]!.ToString() == "nps"
                        ? new JsonArray([.. Enumerable.Range(0, 11).Select(v => (JsonNode?)new JsonObject { ["value"] = v })])
                        : null,
                })]),
            })]);
            return Json(new JsonObject
            {
                ["surveyId"] = id.ToString(), ["version"] = survey["definitionVersion"]!.DeepClone(), ["language"] = lang,
                ["title"] = Text(survey["title"]), ["purpose"] = Text(survey["purpose"]), ["resultsUse"] = Text(survey["resultsUse"]),
                ["pages"] = pages, ["missingTranslations"] = new JsonArray(),
            }, 200);
        });

        app.MapPost("/api/surveys/{id:guid}/submit", (Guid id, HttpRequest r) => Transition(id, r, "draft", "in-review",
            c => c.CanAuthor, "A survey is submitted by its author, a domain contact of its service area or a coordinator.",
            s => (s["pages"] as JsonArray ?? []).Sum(p => (p?["questions"] as JsonArray)?.Count ?? 0) == 0 ? ["The survey has no questions."] : []));

        app.MapPost("/api/surveys/{id:guid}/approve", async (Guid id, HttpRequest r) =>
        {
            var body = (await JsonNode.ParseAsync(r.Body))!.AsObject();
            if (!CallerOf(r).Roles.Contains(PanelRoles.Coordinator))
            {
                return Problem(403, "Forbidden");
            }

            var errors = new Dictionary<string, string[]>();
            if (body["opensAt"] is null)
            {
                errors["opensAt"] = ["The opening time is required (ISO 8601 with an offset)."];
            }

            if (body["closesAt"] is null)
            {
                errors["closesAt"] = ["The closing time is required (ISO 8601 with an offset)."];
            }
            else if (body["opensAt"] is not null && DateTimeOffset.Parse(body["closesAt"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture)
                     <= DateTimeOffset.Parse(body["opensAt"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture))
            {
                errors["closesAt"] = ["The closing time is after the opening time."];
            }

            if (errors.Count > 0)
            {
                return Validation(errors);
            }

            var result = Transition(id, r, "in-review", "approved", _ => true, "", _ => []);
            if (Surveys.TryGetValue(id, out var s) && s["state"]!.ToString() == "approved")
            {
                s["opensAt"] = body["opensAt"]!.DeepClone();
                s["closesAt"] = body["closesAt"]!.DeepClone();
            }

            return result;
        });

        app.MapPost("/api/surveys/{id:guid}/close", (Guid id, HttpRequest r) => CallerOf(r).Roles.Contains(PanelRoles.Coordinator)
            ? Transition(id, r, "open", "closed", _ => true, "", _ => [])
            : Problem(403, "Forbidden"));

        app.MapPost("/api/surveys/{id:guid}/publish-results", (Guid id, HttpRequest r) =>
            CallerOf(r).Roles.Any(x => x is PanelRoles.Coordinator or PanelRoles.Communications)
                ? Transition(id, r, "closed", "results-published", _ => true, "", _ => [])
                : Problem(403, "Forbidden"));

        app.MapGet("/api/surveys/{id:guid}/reviews", (Guid id) =>
            Reviews.TryGetValue(id, out var list) ? Json(new JsonArray([.. list.Select(x => (JsonNode?)x.DeepClone())]), 200) : Problem(404, "No such survey."));

        app.MapPost("/api/surveys/{id:guid}/reviews", async (Guid id, HttpRequest r) =>
        {
            var caller = CallerOf(r);
            if (!Surveys.TryGetValue(id, out var survey))
            {
                return Problem(404, "No such survey.");
            }

            if (!caller.Roles.Any(x => x is PanelRoles.Coordinator or PanelRoles.DomainContact))
            {
                return Problem(403, "Forbidden");
            }

            if (survey["state"]!.ToString() != "in-review")
            {
                return Problem(409, "Not possible now.", "Only a survey in review takes review comments.");
            }

            var body = (await JsonNode.ParseAsync(r.Body))!.AsObject();
            var comment = body["comment"]?.ToString()?.Trim();
            if (string.IsNullOrEmpty(comment))
            {
                return Validation(new() { ["comment"] = ["The comment is required, at most 4000 characters."] });
            }

            var returned = body["returnToDraft"]?.GetValue<bool>() == true;
            var review = new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(), ["authorId"] = caller.Subject,
                ["authorRole"] = caller.Roles.Contains(PanelRoles.Coordinator) ? PanelRoles.Coordinator : PanelRoles.DomainContact,
                ["decision"] = returned ? "returned-to-draft" : "comment", ["comment"] = comment,
                ["definitionVersion"] = survey["definitionVersion"]!.DeepClone(), ["createdAt"] = DateTimeOffset.UtcNow.ToString("O"),
            };
            Reviews[id].Add(review);
            if (returned)
            {
                survey["state"] = "draft";
            }

            return Json(review.DeepClone(), 201);
        });

        app.MapPut("/api/surveys/{id:guid}/target-group", async (Guid id, HttpRequest r) =>
        {
            if (!Surveys.TryGetValue(id, out var survey))
            {
                return Problem(404, "No such survey.");
            }

            var body = (await JsonNode.ParseAsync(r.Body))!.AsObject();
            if (body["sampleSize"] is JsonValue size && size.GetValue<int>() < 1)
            {
                return Validation(new() { ["sampleSize"] = ["The sample size is 1 to 50000 (leave it out to invite everyone who matches)."] });
            }

            survey["targetGroup"] = body.DeepClone();
            var publicId = body["mode"]?.ToString() == "open-link" ? "PUBLIC1234567890" : null;
            survey["publicId"] = publicId;
            return Json(new JsonObject { ["targetGroup"] = body.DeepClone(), ["publicId"] = publicId }, 200);
        });

        app.MapPost("/api/surveys/{id:guid}/template", (Guid id) => Json(new JsonObject { ["id"] = Guid.NewGuid().ToString() }, 201));

        app.MapPost("/api/membership/targeting/matches", () =>
            MatchesFail ? Problem(500, "Boom") : Json(new JsonObject { ["matches"] = Matches, ["minimumGroupSize"] = 5 }, 200));

        app.MapGet("/api/membership/surveys/{id:guid}/invitations/progress", (Guid id) => NotIssued.Contains(id) ? Json(new JsonObject
        {
            // As Membership answers when fewer than k matched: nobody invited, every count hidden.
            ["surveyId"] = id.ToString(), ["issued"] = null, ["waiting"] = null, ["sent"] = null, ["failed"] = null, ["opened"] = null, ["answered"] = null,
            ["reminders"] = new JsonObject { ["sent"] = null, ["failed"] = null }, ["notIssued"] = "too-few-members", ["minimumGroupSize"] = 5,
        }, 200) : Json(new JsonObject
        {
            ["surveyId"] = id.ToString(), ["issued"] = 500, ["waiting"] = 42, ["sent"] = 455, ["failed"] = 3, ["opened"] = 260, ["answered"] = 211,
            ["reminders"] = new JsonObject { ["sent"] = 180, ["failed"] = 0 }, ["lastSentAt"] = "2026-11-20T08:00:00+00:00",
        }, 200));

        app.MapGet("/api/membership/join-options", () => Json(JsonNode.Parse(EchoBackend.JoinOptionsJson)!, 200));
        app.MapFallback(() => Problem(404, "Not here."));
    }

    private IResult Transition(Guid id, HttpRequest r, string from, string to, Func<Caller, bool> allowed, string forbidden, Func<JsonObject, string[]> reasons)
    {
        if (!Surveys.TryGetValue(id, out var survey))
        {
            return Problem(404, "No such survey.");
        }

        var caller = CallerOf(r);
        if (!allowed(caller))
        {
            return Problem(403, "Not allowed.", forbidden);
        }

        if (survey["state"]!.ToString() != from)
        {
            return Problem(409, "Not possible now.", $"Only a {from} survey can do this.");
        }

        if (reasons(survey) is { Length: > 0 } why)
        {
            return Problem(409, "Not possible now.", string.Join(" ", why), why);
        }

        survey["state"] = to;
        return Json(Details(id, caller), 200);
    }

    private JsonObject Details(Guid id, Caller caller)
    {
        var survey = (JsonObject)Surveys[id].DeepClone();
        var state = survey["state"]!.ToString();
        var actions = new List<string>();
        if (state == "draft" && caller.CanAuthor)
        {
            actions.AddRange(["edit", "submit"]);
        }

        if (state == "in-review" && caller.Roles.Any(x => x is PanelRoles.Coordinator or PanelRoles.DomainContact))
        {
            actions.Add("review");
        }

        if (state == "in-review" && caller.Roles.Contains(PanelRoles.Coordinator))
        {
            actions.Add("approve");
        }

        if (state == "open" && caller.Roles.Contains(PanelRoles.Coordinator))
        {
            actions.Add("close");
        }

        if (state == "closed" && caller.Roles.Any(x => x is PanelRoles.Coordinator or PanelRoles.Communications))
        {
            actions.Add("publish-results");
        }

        if (caller.CanAuthor)
        {
            actions.Add("save-as-template");
        }

        var missing = new JsonObject();
        var complete = true;
        foreach (var lang in new[] { "fi", "sv", "en" })
        {
            var paths = new JsonArray();
            foreach (var field in new[] { "title", "purpose", "resultsUse" })
            {
                if (survey[field]?[lang] is null)
                {
                    paths.Add(field);
                }
            }

            complete &= paths.Count == 0;
            missing[lang] = paths;
        }

        survey["missingTranslations"] = missing;
        survey["translationsComplete"] = complete;
        survey["allowedActions"] = new JsonArray([.. actions.Select(a => (JsonNode?)JsonValue.Create(a))]);
        return survey;
    }

    public sealed record Caller(string Subject, IReadOnlyList<string> Roles)
    {
        public bool CanRead => Roles.Any(r => r is PanelRoles.SurveyAuthor or PanelRoles.DomainContact or PanelRoles.Coordinator or PanelRoles.Communications or PanelRoles.ItAdmin);
        public bool CanAuthor => Roles.Any(r => r is PanelRoles.SurveyAuthor or PanelRoles.DomainContact or PanelRoles.Coordinator);
    }

    private static Caller CallerOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        var parts = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Split('.') : [];
        if (parts.Length != 3)
        {
            return new Caller("", []);
        }

        var payload = parts[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        using var json = JsonDocument.Parse(Convert.FromBase64String(payload));
        var root = json.RootElement;
        var roles = !root.TryGetProperty("role", out var role) ? []
            : role.ValueKind == JsonValueKind.Array ? role.EnumerateArray().Select(r => r.GetString() ?? "").ToList() : [role.GetString() ?? ""];
        return new Caller(root.TryGetProperty("sub", out var sub) ? sub.GetString() ?? "" : "", roles);
    }

    private static IResult Json(JsonNode node, int status) => Results.Content(node.ToJsonString(), "application/json", Encoding.UTF8, status);

    private static IResult Problem(int status, string title, string? detail = null, string[]? reasons = null)
    {
        var problem = new JsonObject { ["title"] = title, ["status"] = status };
        if (detail is not null)
        {
            problem["detail"] = detail;
        }

        if (reasons is not null)
        {
            problem["reasons"] = new JsonArray([.. reasons.Select(r => (JsonNode?)JsonValue.Create(r))]);
        }

        return Results.Content(problem.ToJsonString(), "application/problem+json", Encoding.UTF8, status);
    }

    private static IResult Validation(Dictionary<string, string[]> errors)
    {
        var problem = new JsonObject
        {
            ["title"] = "One or more validation errors occurred.",
            ["status"] = 400,
            ["errors"] = new JsonObject(errors.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)new JsonArray([.. e.Value.Select(v => (JsonNode?)JsonValue.Create(v))])))),
        };
        return Results.Content(problem.ToJsonString(), "application/problem+json", Encoding.UTF8, 400);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A gateway whose Surveys and Membership addresses point at one <see cref="FakeSurveys"/>.</summary>
public sealed class SurveysGatewayHost : GatewayHost, IAsyncLifetime
{
    public FakeSurveys Fake { get; private set; } = default!;

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings[$"services:{ServiceNames.Surveys}:http:0"] = Fake.Address.GetLeftPart(UriPartial.Authority);
        settings[$"services:{ServiceNames.Membership}:http:0"] = Fake.Address.GetLeftPart(UriPartial.Authority);
    }

    async Task IAsyncLifetime.InitializeAsync()
    {
        Fake = await FakeSurveys.StartAsync();
        await InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Fake.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SurveysGatewayCollection : ICollectionFixture<SurveysGatewayHost>
{
    public const string Name = "surveys-gateway";
}
