using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Panel.Gateway.Answering;

/// <summary>
/// Keeps an invitation's token (or an open link's resume code) out of the address bar while the resident answers.
/// The link's <c>/answer?t=TOKEN</c> is read once: the gateway checks the token with Surveys, puts it, protected
/// with ASP.NET Data Protection and limited in time, into a cookie of its own (HttpOnly, SameSite=Lax, path
/// /answer) and redirects to plain <c>/answer</c>. Every form of the page carries the same protected value in a
/// hidden field, so each tab posts the invitation it shows; the cookie serves the GETs (reload, language switch).
/// The cookie goes when the answer is submitted or saved for later (the email's link resumes), and by itself
/// after <see cref="Lifetime"/>. The raw token is never in a page, a URL after the first, or a log.
/// </summary>
public sealed class AnswerSecrets(IDataProtectionProvider provider, TimeProvider time)
{
    public const string InvitationCookie = "panel.answer";
    public const string OpenLinkCookie = "panel.answer.open";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(4);

    private readonly ITimeLimitedDataProtector _invitations =
        provider.CreateProtector("Panel.Gateway.Answering.InvitationToken.v1").ToTimeLimitedDataProtector();

    private readonly ITimeLimitedDataProtector _resumeCodes =
        provider.CreateProtector("Panel.Gateway.Answering.ResumeCode.v1").ToTimeLimitedDataProtector();

    public string ProtectToken(string token) => _invitations.Protect(token, time.GetUtcNow() + Lifetime);

    public string? UnprotectToken(string? value) => Unprotect(_invitations, value);

    /// <summary>The resume code protected for one open survey: a code posted with another survey's page is no code.</summary>
    public string ProtectResumeCode(string publicId, string code) =>
        _resumeCodes.Protect(publicId + "\n" + code, time.GetUtcNow() + Lifetime);

    public string? UnprotectResumeCode(string publicId, string? value) =>
        Unprotect(_resumeCodes, value) is { } plain && plain.StartsWith(publicId + "\n", StringComparison.Ordinal)
            ? plain[(publicId.Length + 1)..]
            : null;

    private static string? Unprotect(ITimeLimitedDataProtector protector, string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 2048)
        {
            return null;
        }

        try
        {
            return protector.Unprotect(value, out _);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public static string OpenLinkPath(string publicId) => "/answer/open/" + publicId;

    public void RememberToken(HttpContext http, string protectedToken) =>
        http.Response.Cookies.Append(InvitationCookie, protectedToken, Options(http, "/answer"));

    public static void ForgetToken(HttpContext http) =>
        http.Response.Cookies.Delete(InvitationCookie, Options(http, "/answer"));

    public static string? RememberedToken(HttpContext http) => http.Request.Cookies[InvitationCookie];

    public void RememberResumeCode(HttpContext http, string publicId, string protectedCode) =>
        http.Response.Cookies.Append(OpenLinkCookie, protectedCode, Options(http, OpenLinkPath(publicId)));

    public static void ForgetResumeCode(HttpContext http, string publicId) =>
        http.Response.Cookies.Delete(OpenLinkCookie, Options(http, OpenLinkPath(publicId)));

    public static string? RememberedResumeCode(HttpContext http) => http.Request.Cookies[OpenLinkCookie];

    // No Expires: a session cookie, gone when the browser closes; the protected value ends after Lifetime anyway.
    private static CookieOptions Options(HttpContext http, string path) => new()
    {
        HttpOnly = true,
        IsEssential = true,
        SameSite = SameSiteMode.Lax,
        Secure = http.Request.IsHttps,
        Path = path,
    };
}
