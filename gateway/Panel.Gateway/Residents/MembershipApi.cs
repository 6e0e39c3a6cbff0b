using System.Text.Json;
using Microsoft.AspNetCore.Localization;
using Panel.Gateway.Localization;

namespace Panel.Gateway.Residents;

/// <summary>Paths and shapes of the Membership API the resident pages call (see the service's OpenAPI document).</summary>
public static class MembershipApi
{
    public const string Verifications = "/api/membership/verifications";
    public const string SignInLinks = "/api/membership/sign-in-links";
    public const string SignInSessions = "/api/membership/sessions";
    public const string Consent = "/api/membership/consent";
    public const string JoinOptions = "/api/membership/join-options";
    public const string Me = "/api/membership/me";
    public const string Pause = "/api/membership/me/pause";
    public const string Resume = "/api/membership/me/resume";
    public const string Withdraw = "/api/membership/me/withdraw";
    public const string AcceptConsent = "/api/membership/me/consent";
    public const string Erase = "/api/membership/me/erase";
    public const string Mailbox = "/api/membership/dev/mailbox";

    /// <summary>
    /// Remembers the member's language for the UI, unless the browser already chose one: the emails
    /// came in that language, so the pages they lead to should too.
    /// </summary>
    public static void RememberLanguage(HttpContext context, string? language)
    {
        if (language is null || !UiText.Languages.Contains(language)
            || context.Request.Cookies.ContainsKey(CookieRequestCultureProvider.DefaultCookieName))
        {
            return;
        }

        context.Response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language)),
            new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
    }
}

public sealed record VerificationResult(string? Status, string? Language);

public sealed record SessionResult(Guid PanelistId, string? Language, bool ConsentRequired);

public sealed record ConsentText(string Version, Dictionary<string, string> Texts);

public sealed record JoinOptions(List<string> Municipalities, List<string> Genders, List<string> Languages, int MinimumAge, string ConsentVersion);

public sealed record MailboxMessage(string? Id, string? To, string? Subject, DateTimeOffset? SentAt, string? Text);

/// <summary>GET /me: what Membership holds about the signed-in member.</summary>
public sealed record MemberDetails(
    string? Email, string? Phone, int? BirthYear, string? Municipality, string? Gender, string? Language,
    bool? IsClient, string? ContactChannel, JsonElement State, DateOnly? PausedUntil, DateTimeOffset? JoinedAt,
    DateTimeOffset? VerifiedAt, string? ConsentVersion, bool ConsentRequired, string? CampaignCode)
{
    private static readonly string[] States = ["pending", "active", "paused", "withdrawn"];

    /// <summary>pending, active, paused or withdrawn, whether the service writes the state as a name or a number.</summary>
    public string StateName => State.ValueKind switch
    {
        JsonValueKind.String => State.GetString()!.ToLowerInvariant(),
        JsonValueKind.Number when State.TryGetInt32(out var i) && i >= 0 && i < States.Length => States[i],
        _ => "unknown",
    };
}
