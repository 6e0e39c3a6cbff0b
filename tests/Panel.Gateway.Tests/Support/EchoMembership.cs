using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests.Support;

/// <summary>
/// Membership's sign-in, verification, resident (/me) and mailbox endpoints, shaped like the real
/// ones: refusals chosen by the input (<see cref="BadToken"/>, an unknown municipality, a past pause
/// date, a missing confirmation, ...), and each member's state kept per PanelistId (the token's sub).
/// </summary>
public sealed partial class EchoBackend
{
    /// <summary>A verification or sign-in token the stand-in refuses (400 errors.token).</summary>
    public const string BadToken = "bad";

    /// <summary>A sign-in token whose session answers consentRequired = true.</summary>
    public const string ConsentRequiredToken = "needs-consent";

    public const string ConsentVersion = "2";

    public const string ConsentJson =
        """{"version":"2","texts":{"fi":"Suostun tietojeni käyttöön.\nVoin perua suostumuksen.","sv":"Jag samtycker till att mina uppgifter används.\nJag kan återkalla samtycket.","en":"I agree to the use of my data.\nI may withdraw my consent."}}""";

    public const string MailboxLink = "http://127.0.0.1:8080/sign-in/link?token=abc123";

    public const string MailboxJson =
        """[{"id":"2","to":"newest@example.fi","subject":"Kirjautumislinkki","sentAt":"2026-03-02T10:15:00+00:00","text":"Hei!\n\nKirjaudu: http://127.0.0.1:8080/sign-in/link?token=abc123.\n\nAsukaspaneeli <script>alert(1)</script>"},{"id":"1","to":"older@example.fi","subject":"Vahvista sähköpostiosoitteesi","sentAt":"2026-03-01T09:00:00+00:00","text":"Vahvista: http://127.0.0.1:8080/verify?token=def456"}]""";

    /// <summary>Municipalities PUT /me accepts (those the join options offer).</summary>
    private static readonly string[] KnownMunicipalities = ["Tampere", "Nokia"];

    /// <summary>Whether GET /dev/mailbox answers (development without SMTP) or 404s.</summary>
    public static bool MailboxAvailable { get; set; } = true;

    /// <summary>The PanelistId the stand-in's POST /sessions answers for a sign-in token.</summary>
    public static Guid PanelistIdFor(string token) => new(MD5.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>The email GET /me answers for a member.</summary>
    public static string EmailOf(string panelistId) => $"member-{panelistId[..8]}@example.fi";

    /// <summary>The body of GET /me/export for a member.</summary>
    public static string ExportJsonFor(string panelistId) =>
        JsonSerializer.Serialize(new { panelistId, email = EmailOf(panelistId), state = "Active" });

    /// <summary>The bodies of the requests sent to <paramref name="path"/> with <paramref name="method"/>, parsed.</summary>
    public IReadOnlyList<JsonElement> BodiesSentTo(string path, string method = "POST") =>
        [.. RequestsTo(path).Where(r => r.Method == method).Select(r => JsonDocument.Parse(r.Body).RootElement.Clone())];

    private static void MapMembershipResidentEndpoints(WebApplication app)
    {
        var members = new ConcurrentDictionary<string, Member>(StringComparer.Ordinal);

        app.MapPost("/api/membership/verifications", async (HttpRequest request) =>
            await StringProperty(request, "token") is null or BadToken
                ? Invalid("token", "The link is not valid.")
                : Json("""{"status":"verified","language":"fi"}""", StatusCodes.Status200OK));

        app.MapPost("/api/membership/sign-in-links", async (HttpRequest request) =>
            (await StringProperty(request, "email") ?? "").Contains(RejectedEmailMarker, StringComparison.OrdinalIgnoreCase)
                ? Invalid("email", "The email address is not valid.")
                : Json("""{"status":"received"}""", StatusCodes.Status202Accepted));

        app.MapPost("/api/membership/sessions", async (HttpRequest request) =>
        {
            var token = await StringProperty(request, "token");
            if (token is null or BadToken)
            {
                return Invalid("token", "The link is not valid.");
            }

            var id = PanelistIdFor(token).ToString();
            members.TryAdd(id, new Member { ConsentVersion = token == ConsentRequiredToken ? "1" : ConsentVersion });
            return Json(JsonSerializer.Serialize(new { panelistId = id, language = "fi", consentRequired = token == ConsentRequiredToken }), StatusCodes.Status200OK);
        });

        app.MapGet("/api/membership/consent", () => Json(ConsentJson, StatusCodes.Status200OK));

        app.MapGet("/api/membership/me", (HttpRequest request) =>
            WithMember(request, members, (id, member) => Json(MeJson(id, member), StatusCodes.Status200OK)));

        app.MapPut("/api/membership/me", async (HttpRequest request) =>
        {
            using var json = await JsonDocument.ParseAsync(request.Body);
            var body = json.RootElement.Clone();
            return WithMember(request, members, (id, member) =>
            {
                var municipality = body.TryGetProperty("municipality", out var m) ? m.GetString() : null;
                if (municipality is null || !KnownMunicipalities.Contains(municipality))
                {
                    return Invalid("municipality", "Unknown municipality.");
                }

                var phone = body.TryGetProperty("phone", out var p) ? p.GetString() : null;
                if (phone is not null && phone.Any(char.IsLetter))
                {
                    return Invalid("phone", "Not a phone number.");
                }

                member.Phone = phone;
                member.BirthYear = body.GetProperty("birthYear").GetInt32();
                member.Municipality = municipality;
                member.Language = body.GetProperty("language").GetString()!;
                return Json(MeJson(id, member), StatusCodes.Status200OK);
            });
        });

        app.MapPost("/api/membership/me/pause", async (HttpRequest request) =>
        {
            var until = await StringProperty(request, "until");
            return WithMember(request, members, (id, member) =>
            {
                if (!DateOnly.TryParseExact(until, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    || date <= DateOnly.FromDateTime(DateTime.UtcNow))
                {
                    return Invalid("until", "Choose a date from tomorrow up to one year ahead.");
                }

                if (member.State != "Active")
                {
                    return Conflict();
                }

                member.State = "Paused";
                member.PausedUntil = date;
                return Json(MeJson(id, member), StatusCodes.Status200OK);
            });
        });

        app.MapPost("/api/membership/me/resume", (HttpRequest request) => WithMember(request, members, (id, member) =>
        {
            if (member.State != "Paused")
            {
                return Conflict();
            }

            member.State = "Active";
            member.PausedUntil = null;
            return Json(MeJson(id, member), StatusCodes.Status200OK);
        }));

        app.MapPost("/api/membership/me/withdraw", (HttpRequest request) => WithMember(request, members, (id, member) =>
        {
            if (member.State == "Withdrawn")
            {
                return Conflict();
            }

            member.State = "Withdrawn";
            return Json(MeJson(id, member), StatusCodes.Status200OK);
        }));

        app.MapPost("/api/membership/me/consent", async (HttpRequest request) =>
        {
            var version = await StringProperty(request, "version");
            return WithMember(request, members, (id, member) =>
            {
                if (version != ConsentVersion)
                {
                    return Invalid("version", "Not the current consent version.");
                }

                member.ConsentVersion = version;
                return Json(MeJson(id, member), StatusCodes.Status200OK);
            });
        });

        app.MapGet("/api/membership/me/export", (HttpRequest request, HttpResponse response) => WithMember(request, members, (id, _) =>
        {
            response.Headers.ContentDisposition = "attachment; filename=panel-my-data.json; filename*=UTF-8''panel-my-data.json";
            return Json(ExportJsonFor(id), StatusCodes.Status200OK);
        }));

        app.MapPost("/api/membership/me/erase", async (HttpRequest request) =>
        {
            using var json = await JsonDocument.ParseAsync(request.Body);
            var confirmed = json.RootElement.TryGetProperty("confirm", out var c) && c.ValueKind == JsonValueKind.True;
            return WithMember(request, members, (id, _) =>
            {
                if (!confirmed)
                {
                    return Invalid("confirm", "Confirm the erasure.");
                }

                members.TryRemove(id, out Member? _);
                return Json("""{"status":"erased"}""", StatusCodes.Status200OK);
            });
        });

        app.MapGet("/api/membership/dev/mailbox", (HttpRequest request) =>
        {
            if (!MailboxAvailable)
            {
                return Problem(StatusCodes.Status404NotFound, "Not Found");
            }

            return RolesOf(request).Any(r => r is PanelRoles.Coordinator or PanelRoles.ItAdmin)
                ? Json(MailboxJson, StatusCodes.Status200OK)
                : Problem(StatusCodes.Status403Forbidden, "Forbidden");
        });
    }

    private sealed class Member
    {
        public string State { get; set; } = "Active";
        public DateOnly? PausedUntil { get; set; }
        public string? Phone { get; set; }
        public int BirthYear { get; set; } = 1980;
        public string Municipality { get; set; } = "Tampere";
        public string Language { get; set; } = "fi";
        public string? ConsentVersion { get; set; } = EchoBackend.ConsentVersion;
    }

    private static string MeJson(string id, Member m) => JsonSerializer.Serialize(new
    {
        email = EmailOf(id),
        phone = m.Phone,
        birthYear = m.BirthYear,
        municipality = m.Municipality,
        gender = "woman",
        language = m.Language,
        isClient = true,
        contactChannel = "email",
        state = m.State,
        pausedUntil = m.PausedUntil?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        joinedAt = "2026-01-15T08:00:00+00:00",
        verifiedAt = "2026-01-15T08:10:00+00:00",
        consentVersion = m.ConsentVersion,
        consentRequired = m.ConsentVersion != ConsentVersion,
        campaignCode = (string?)null,
    });

    /// <summary>Like the real service: only a resident token reaches /me, and a member who is gone is a 404.</summary>
    private static IResult WithMember(HttpRequest request, ConcurrentDictionary<string, Member> members, Func<string, Member, IResult> action)
    {
        if (PayloadOf(request) is not { } payload
            || !payload.TryGetProperty("act_kind", out var kind) || kind.GetString() != PanelClaims.ActorResident)
        {
            return Problem(StatusCodes.Status403Forbidden, "Forbidden");
        }

        var id = payload.GetProperty("sub").GetString()!;
        return members.TryGetValue(id, out var member) ? action(id, member) : Problem(StatusCodes.Status404NotFound, "Not Found");
    }

    private static async Task<string?> StringProperty(HttpRequest request, string name)
    {
        using var json = await JsonDocument.ParseAsync(request.Body);
        return json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    private static IResult Invalid(string field, string message) =>
        Results.Content(
            JsonSerializer.Serialize(new
            {
                type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
                title = "One or more validation errors occurred.",
                status = 400,
                errors = new Dictionary<string, string[]> { [field] = [message] },
            }),
            "application/problem+json", Encoding.UTF8, StatusCodes.Status400BadRequest);

    private static IResult Conflict() => Problem(StatusCodes.Status409Conflict, "Conflict");

    private static IResult Problem(int status, string title) =>
        Results.Content(JsonSerializer.Serialize(new { title, status }), "application/problem+json", Encoding.UTF8, status);
}
