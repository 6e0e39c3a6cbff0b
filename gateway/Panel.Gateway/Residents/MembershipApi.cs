using Microsoft.AspNetCore.Localization;
using Panel.Gateway.Localization;

namespace Panel.Gateway.Residents;

/// <summary>What the resident pages do with Membership's answers beyond its generated client.</summary>
public static class MembershipApi
{
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
