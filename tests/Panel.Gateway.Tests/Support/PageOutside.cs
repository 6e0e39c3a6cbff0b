using System.Text.RegularExpressions;

namespace Panel.Gateway.Tests.Support;

public sealed partial class Page
{
    /// <summary>
    /// What the answer shows from outside, to compare two answers that must not differ (an existing and an unknown
    /// account): status, header names, cookie names (but the antiforgery cookie), and the page with the address the
    /// person typed and the antiforgery token taken out.
    /// </summary>
    public string Outside(string typedEmail) =>
        string.Join("\n",
            $"status {(int)Status}",
            "headers " + string.Join(",", Response.Headers.Select(h => h.Key).Concat(Response.Content.Headers.Select(h => h.Key))
                .Where(h => h is not ("Date" or "Content-Length")).Order(StringComparer.OrdinalIgnoreCase)),
            "cookies " + string.Join(",", SetCookies.Select(c => c[..c.IndexOf('=', StringComparison.Ordinal)])
                .Where(n => !n.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal)).Order(StringComparer.Ordinal)),
            AntiforgeryTokenRegex().Replace(Html.Replace(typedEmail, "(email)", StringComparison.Ordinal), "$1(token)\""));

    [GeneratedRegex("(name=\"__RequestVerificationToken\" value=\")[^\"]*\"")]
    private static partial Regex AntiforgeryTokenRegex();
}
