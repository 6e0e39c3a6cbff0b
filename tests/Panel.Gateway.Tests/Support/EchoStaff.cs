using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests.Support;

/// <summary>
/// What the staff pages' stand-in services hold and answer; one per <see cref="EchoBackend"/>, so a test
/// that changes it changes nothing in another gateway's tests.
/// </summary>
public sealed class EchoStaffState
{
    /// <summary>Campaigns by code; KINO and MALL exist from the start (the campaign report has both).</summary>
    public ConcurrentDictionary<string, JsonElement> Campaigns { get; } = new(StringComparer.Ordinal);

    /// <summary>Published consent versions, oldest first; version 2 (the current one of <see cref="EchoBackend.ConsentJson"/>) exists.</summary>
    public ConcurrentQueue<JsonElement> ConsentVersions { get; } = new();

    /// <summary>The audit entries the stand-in answers, newest first.</summary>
    public List<JsonElement> AuditEntries { get; } = [];

    /// <summary>What GET /panel/representativeness answers (see <see cref="EchoBackend.RepresentativenessJson"/>).</summary>
    public string Representativeness { get; set; } = EchoBackend.RepresentativenessJson;

    public int ReferenceVersion { get; set; }
}

/// <summary>
/// Membership's campaign, consent-version, member-support, audit and population-reference endpoints
/// and Reporting's representativeness, shaped like the real ones: the same field names in their
/// ValidationProblems, the same statuses, the same roles.
/// </summary>
public sealed partial class EchoBackend
{
    /// <summary>The email of a member waiting for verification (lookup answers Pending).</summary>
    public const string PendingMemberEmail = "pending.member@example.fi";

    /// <summary>The email of an active member (resend answers 409).</summary>
    public const string ActiveMemberEmail = "active.member@example.fi";

    public static readonly Guid PendingMemberId = new("0194f5d2-0000-7000-8000-000000000001");
    public static readonly Guid ActiveMemberId = new("0194f5d2-0000-7000-8000-000000000002");

    /// <summary>A member id whose resend the stand-in refuses as rate-limited (429).</summary>
    public static readonly Guid RateLimitedMemberId = new("0194f5d2-0000-7000-8000-000000000003");

    /// <summary>A subject that no staff account of the gateway has (an account removed since).</summary>
    public const string RemovedStaffSubject = "0b0b0b0b-removed-staff";

    /// <summary>A population CSV line the stand-in refuses (its count is not a number).</summary>
    public const string BadCountLine = "Nokia,25-34,woman,many";

    /// <summary>
    /// Two municipalities and three of the age bands, with the reference; Nokia's 75-84 are hidden
    /// (fewer than five in the panel, or hidden with them); Ruovesi's 75-84 and Nokia's 25-34 are the
    /// groups to recruit.
    /// </summary>
    public const string RepresentativenessJson =
        """
        {"minimumGroupSize":5,"reference":{"version":3,"publishedAt":"2026-02-10T09:30:00+00:00","population":245810},"panelMembers":412,
        "attributes":[
          {"attribute":"municipality","values":[
            {"value":"Nokia","panelMembers":152,"panelShare":0.369,"population":35210,"populationShare":0.1432,"ratio":2.58},
            {"value":"Ruovesi","panelMembers":260,"panelShare":0.631,"population":210600,"populationShare":0.8568,"ratio":0.74}]},
          {"attribute":"ageBand","values":[
            {"value":"25-34","panelMembers":200,"panelShare":0.4854,"population":100000,"populationShare":0.4068,"ratio":1.19},
            {"value":"45-54","panelMembers":208,"panelShare":0.5049,"population":120000,"populationShare":0.4882,"ratio":1.03},
            {"value":"75-84","panelMembers":null,"panelShare":null,"population":25810,"populationShare":0.105,"ratio":null}]},
          {"attribute":"gender","values":[
            {"value":"woman","panelMembers":230,"panelShare":0.5583,"population":125000,"populationShare":0.5085,"ratio":1.1},
            {"value":"man","panelMembers":182,"panelShare":0.4417,"population":120810,"populationShare":0.4915,"ratio":0.9}]}],
        "groups":[
          {"municipality":"Nokia","ageBand":"25-34","panelMembers":7,"panelShare":0.017,"population":9100,"populationShare":0.037,"ratio":0.46,"shortfall":8},
          {"municipality":"Nokia","ageBand":"75-84","panelMembers":null,"panelShare":null,"population":1300,"populationShare":0.0053,"ratio":null,"shortfall":null},
          {"municipality":"Ruovesi","ageBand":"45-54","panelMembers":110,"panelShare":0.267,"population":40000,"populationShare":0.1627,"ratio":1.64,"shortfall":0},
          {"municipality":"Ruovesi","ageBand":"75-84","panelMembers":6,"panelShare":0.0146,"population":12000,"populationShare":0.0488,"ratio":0.3,"shortfall":14}],
        "underRepresented":[
          {"municipality":"Ruovesi","ageBand":"75-84","panelMembers":6,"panelShare":0.0146,"population":12000,"populationShare":0.0488,"ratio":0.3,"shortfall":14},
          {"municipality":"Nokia","ageBand":"25-34","panelMembers":7,"panelShare":0.017,"population":9100,"populationShare":0.037,"ratio":0.46,"shortfall":8}]}
        """;

    /// <summary>No reference uploaded yet: nothing to compare with.</summary>
    public const string NoReferenceJson =
        """{"minimumGroupSize":5,"reference":null,"panelMembers":412,"attributes":[],"groups":[],"underRepresented":[]}""";

    public EchoStaffState Staff => _staff;

    private static readonly string[] Channels = ["poster", "cinema", "mall-screen", "social-media", "event", "other"];

    private static void MapStaffEndpoints(WebApplication app, EchoStaffState state)
    {
        Seed(state);

        app.MapGet("/api/membership/campaigns", (HttpRequest request) =>
            !IsPanelManager(request)
                ? Problem(StatusCodes.Status403Forbidden, "Forbidden")
                : Json(JsonSerializer.Serialize(state.Campaigns.Values.OrderByDescending(c => c.GetProperty("startsOn").GetString(), StringComparer.Ordinal)), StatusCodes.Status200OK));

        app.MapPost("/api/membership/campaigns", async (HttpRequest request) =>
        {
            if (!RolesOf(request).Contains(PanelRoles.Coordinator))
            {
                return Problem(StatusCodes.Status403Forbidden, "Forbidden");
            }

            using var json = await JsonDocument.ParseAsync(request.Body);
            var body = json.RootElement;
            var errors = new Dictionary<string, string[]>();
            var code = Str(body, "code")?.Trim().ToUpperInvariant();
            if (code is null || !Regex.IsMatch(code, "^[A-Z0-9-]{2,40}$"))
            {
                errors["code"] = ["The code is 2 to 40 characters: letters A-Z, digits and '-'."];
            }

            var name = Str(body, "name")?.Trim();
            if (string.IsNullOrEmpty(name) || name.Length > 200)
            {
                errors["name"] = ["The name is required, at most 200 characters."];
            }

            var channel = Str(body, "channel");
            if (channel is null || !Channels.Contains(channel))
            {
                errors["channel"] = ["The channel is one of the list."];
            }

            var startsOn = Str(body, "startsOn");
            var endsOn = Str(body, "endsOn");
            if (startsOn is null)
            {
                errors["startsOn"] = ["The start date is required (YYYY-MM-DD)."];
            }
            else if (endsOn is not null && string.CompareOrdinal(endsOn, startsOn) < 0)
            {
                errors["endsOn"] = ["The end date cannot be before the start date."];
            }

            if (errors.Count > 0)
            {
                return ValidationProblem(errors);
            }

            var campaign = JsonSerializer.SerializeToElement(new { code, name, channel, startsOn, endsOn, createdAt = DateTimeOffset.UtcNow });
            return state.Campaigns.TryAdd(code!, campaign)
                ? Results.Content(campaign.GetRawText(), "application/json", Encoding.UTF8, StatusCodes.Status201Created)
                : Problem(StatusCodes.Status409Conflict, "A campaign with this code exists already.");
        });

        app.MapGet("/api/membership/consents", (HttpRequest request) =>
            !IsPanelManager(request)
                ? Problem(StatusCodes.Status403Forbidden, "Forbidden")
                : Json(JsonSerializer.Serialize(state.ConsentVersions.Reverse()), StatusCodes.Status200OK));

        app.MapPost("/api/membership/consents", async (HttpRequest request) =>
        {
            if (!RolesOf(request).Contains(PanelRoles.Coordinator))
            {
                return Problem(StatusCodes.Status403Forbidden, "Forbidden");
            }

            using var json = await JsonDocument.ParseAsync(request.Body);
            var texts = json.RootElement.TryGetProperty("texts", out var t) && t.ValueKind == JsonValueKind.Object ? t : default;
            var errors = new Dictionary<string, string[]>();
            var values = new Dictionary<string, string>();
            foreach (var language in new[] { "fi", "sv", "en" })
            {
                var text = texts.ValueKind == JsonValueKind.Object ? Str(texts, language)?.Trim() : null;
                if (text is null || text.Length is < 20 or > 20000)
                {
                    errors[$"texts.{language}"] = ["The consent text is required in this language, 20 to 20000 characters."];
                }
                else
                {
                    values[language] = text;
                }
            }

            if (errors.Count > 0)
            {
                return ValidationProblem(errors);
            }

            var version = (state.ConsentVersions.Count + 2).ToString(CultureInfo.InvariantCulture);
            var published = JsonSerializer.SerializeToElement(new
            {
                version, texts = values, publishedAt = DateTimeOffset.UtcNow, publishedBy = SubjectOf(request),
            });
            state.ConsentVersions.Enqueue(published);
            return Results.Content(published.GetRawText(), "application/json", Encoding.UTF8, StatusCodes.Status201Created);
        });

        app.MapPost("/api/membership/support/lookup", async (HttpRequest request) =>
        {
            if (!IsPanelManager(request))
            {
                return Problem(StatusCodes.Status403Forbidden, "Forbidden");
            }

            using var json = await JsonDocument.ParseAsync(request.Body);
            var email = Str(json.RootElement, "email");
            var reason = Str(json.RootElement, "reason");
            var errors = new Dictionary<string, string[]>();
            if (string.IsNullOrWhiteSpace(email) || email.Contains(RejectedEmailMarker, StringComparison.OrdinalIgnoreCase))
            {
                errors["email"] = ["The member's exact email address is required."];
            }

            if ((reason?.Trim().Length ?? 0) is < 5 or > 500)
            {
                errors["reason"] = ["A reason of 5 to 500 characters is required."];
            }

            if (errors.Count > 0)
            {
                return ValidationProblem(errors);
            }

            Guid? found = email!.Trim().ToLowerInvariant() switch
            {
                PendingMemberEmail => PendingMemberId,
                ActiveMemberEmail => ActiveMemberId,
                _ => null,
            };
            Audit(state, request, "member.lookup", found is null ? "not-found" : "found", reason!, found);
            return found switch
            {
                null => Problem(StatusCodes.Status404NotFound, "No such member."),
                var id when id == PendingMemberId => Json(
                    $$"""{"panelistId":"{{id}}","state":"Pending","joinedAt":"2026-03-01T08:00:00+00:00","verifiedAt":null,"pausedUntil":null}""",
                    StatusCodes.Status200OK),
                var id => Json(
                    $$"""{"panelistId":"{{id}}","state":"Active","joinedAt":"2026-01-15T08:00:00+00:00","verifiedAt":"2026-01-15T08:10:00+00:00","pausedUntil":null}""",
                    StatusCodes.Status200OK),
            };
        });

        app.MapPost("/api/membership/support/{id:guid}/resend-verification", async (Guid id, HttpRequest request) =>
        {
            if (!IsPanelManager(request))
            {
                return Problem(StatusCodes.Status403Forbidden, "Forbidden");
            }

            var reason = await StringProperty(request, "reason");
            if ((reason?.Trim().Length ?? 0) is < 5 or > 500)
            {
                return ValidationProblem(new() { ["reason"] = ["A reason of 5 to 500 characters is required."] });
            }

            if (id == RateLimitedMemberId)
            {
                return Problem(StatusCodes.Status429TooManyRequests, "Not yet.");
            }

            if (id == ActiveMemberId)
            {
                return Problem(StatusCodes.Status409Conflict, "The member is not waiting for verification.");
            }

            return id == PendingMemberId
                ? Json("""{"status":"queued"}""", StatusCodes.Status202Accepted)
                : Problem(StatusCodes.Status404NotFound, "No such member.");
        });

        app.MapPost("/api/membership/support/{id:guid}/erase", async (Guid id, HttpRequest request) =>
        {
            if (!IsPanelManager(request))
            {
                return Problem(StatusCodes.Status403Forbidden, "Forbidden");
            }

            using var json = await JsonDocument.ParseAsync(request.Body);
            var reason = Str(json.RootElement, "reason");
            var errors = new Dictionary<string, string[]>();
            if ((reason?.Trim().Length ?? 0) is < 5 or > 500)
            {
                errors["reason"] = ["A reason of 5 to 500 characters is required."];
            }

            if (!json.RootElement.TryGetProperty("confirm", out var confirm) || confirm.ValueKind != JsonValueKind.True)
            {
                errors["confirm"] = ["Erasing must be confirmed with confirm: true."];
            }

            if (errors.Count > 0)
            {
                return ValidationProblem(errors);
            }

            return id == PendingMemberId || id == ActiveMemberId
                ? Json("""{"status":"erased"}""", StatusCodes.Status200OK)
                : Problem(StatusCodes.Status404NotFound, "No such member.");
        });

        app.MapGet("/api/membership/audit", (HttpRequest request, string? from, string? to) =>
        {
            if (!RolesOf(request).Contains(PanelRoles.ItAdmin))
            {
                return Problem(StatusCodes.Status403Forbidden, "Forbidden");
            }

            var errors = new Dictionary<string, string[]>();
            var fromAt = ParseInstant(from, "from", errors);
            var toAt = ParseInstant(to, "to", errors);
            if (errors.Count > 0)
            {
                return ValidationProblem(errors);
            }

            List<JsonElement> entries;
            lock (state.AuditEntries)
            {
                entries = [.. state.AuditEntries.Where(e =>
                {
                    var at = e.GetProperty("at").GetDateTimeOffset();
                    return (fromAt is null || at >= fromAt) && (toAt is null || at <= toAt);
                })];
            }

            return Json(JsonSerializer.Serialize(new { entries = entries.Take(1000), truncated = entries.Count > 1000 }), StatusCodes.Status200OK);
        });

        app.MapGet("/api/reporting/panel/representativeness", (HttpRequest request) =>
            IsPanelManager(request) ? Json(state.Representativeness, StatusCodes.Status200OK) : Problem(StatusCodes.Status403Forbidden, "Forbidden"));
    }

    private static void Seed(EchoStaffState state)
    {
        state.Campaigns["KINO"] = JsonSerializer.SerializeToElement(new
        {
            code = "KINO", name = "Elokuvamainos kevät 2026", channel = "cinema", startsOn = "2026-01-05", endsOn = "2026-03-29", createdAt = "2025-12-20T10:00:00+00:00",
        });
        state.Campaigns["MALL"] = JsonSerializer.SerializeToElement(new
        {
            code = "MALL", name = "Kauppakeskus Ratina", channel = "mall-screen", startsOn = "2026-01-20", endsOn = (string?)null, createdAt = "2026-01-10T10:00:00+00:00",
        });
        state.ConsentVersions.Enqueue(JsonSerializer.SerializeToElement(new
        {
            version = ConsentVersion,
            texts = JsonDocument.Parse(ConsentJson).RootElement.GetProperty("texts"),
            publishedAt = "2026-01-02T09:00:00+00:00",
            publishedBy = RemovedStaffSubject,
        }));

        // 120 older entries, newest first, so the log has three pages of 50.
        var start = new DateTimeOffset(2026, 2, 27, 12, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 120; i++)
        {
            state.AuditEntries.Add(JsonSerializer.SerializeToElement(new
            {
                at = start.AddHours(-i),
                staffSubject = RemovedStaffSubject,
                staffRoles = new[] { PanelRoles.Coordinator },
                action = "member.lookup",
                outcome = i % 2 == 0 ? "found" : "not-found",
                reason = $"Seeded reason {i:000}",
                memberId = i % 2 == 0 ? (Guid?)ActiveMemberId : null,
            }));
        }
    }

    private static void Audit(EchoStaffState state, HttpRequest request, string action, string outcome, string reason, Guid? memberId)
    {
        var entry = JsonSerializer.SerializeToElement(new
        {
            at = DateTimeOffset.UtcNow,
            staffSubject = SubjectOf(request),
            staffRoles = RolesOf(request).Order(StringComparer.Ordinal).ToArray(),
            action,
            outcome,
            reason = reason.Trim(),
            memberId,
        });
        lock (state.AuditEntries)
        {
            state.AuditEntries.Insert(0, entry);
        }
    }

    private static bool IsPanelManager(HttpRequest request) =>
        RolesOf(request).Any(r => r is PanelRoles.Coordinator or PanelRoles.ItAdmin);

    private static string SubjectOf(HttpRequest request) =>
        PayloadOf(request) is { } payload && payload.TryGetProperty("sub", out var sub) ? sub.GetString() ?? "" : "";

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? ParseInstant(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }

        errors[field] = [$"'{field}' is not a date or time."];
        return null;
    }

    private static IResult ValidationProblem(Dictionary<string, string[]> errors) =>
        Results.Content(
            JsonSerializer.Serialize(new
            {
                type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
                title = "One or more validation errors occurred.",
                status = 400,
                errors,
            }),
            "application/problem+json", Encoding.UTF8, StatusCodes.Status400BadRequest);
}
