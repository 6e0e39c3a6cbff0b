using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests.Support;

/// <summary>
/// What a resident session on the echo needs from Membership: POST /sessions signs anybody in (the PanelistId made
/// from the token), and GET /me answers one member's data to a resident token, so that tests reading the tokens the
/// gateway sends can open My panel. The real Membership signs in, and refuses, in the live tests.
/// </summary>
public sealed partial class EchoBackend
{
    /// <summary>The PanelistId the stand-in's POST /sessions answers for a sign-in token.</summary>
    public static Guid PanelistIdFor(string token) => new(MD5.HashData(Encoding.UTF8.GetBytes(token)));

    private static void MapMembershipResidentEndpoints(WebApplication app)
    {
        app.MapPost("/api/membership/sessions", async (HttpRequest request) =>
        {
            using var json = await JsonDocument.ParseAsync(request.Body);
            var token = json.RootElement.GetProperty("token").GetString()!;
            return Json(JsonSerializer.Serialize(new { panelistId = PanelistIdFor(token), language = "fi", consentRequired = false }), StatusCodes.Status200OK);
        });

        // Like the real service: only a resident token reaches /me.
        app.MapGet("/api/membership/me", (HttpRequest request) =>
            PayloadOf(request) is { } payload && payload.TryGetProperty("act_kind", out var kind) && kind.GetString() == PanelClaims.ActorResident
                ? Json(MeJson(payload.GetProperty("sub").GetString()!), StatusCodes.Status200OK)
                : Problem(StatusCodes.Status403Forbidden, "Forbidden"));
    }

    private static string MeJson(string id) => JsonSerializer.Serialize(new
    {
        email = $"member-{id[..8]}@example.fi",
        phone = (string?)null,
        birthYear = 1980,
        municipality = "Tampere",
        gender = "woman",
        language = "fi",
        isClient = true,
        contactChannel = "email",
        state = "Active",
        pausedUntil = (string?)null,
        joinedAt = "2026-01-15T08:00:00+00:00",
        verifiedAt = "2026-01-15T08:10:00+00:00",
        consentVersion = "1",
        consentRequired = false,
        campaignCode = (string?)null,
    });

    private static IResult Problem(int status, string title) =>
        Results.Content(JsonSerializer.Serialize(new { title, status }), "application/problem+json", Encoding.UTF8, status);
}
