using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Panel.Gateway.Tests.Support;
using Panel.TestSupport;

namespace Panel.Gateway.Tests.Answering;

/// <summary>Residents who really are members: they join through the gateway, confirm their email and sign in with the emailed link.</summary>
public static class AnsweringResidents
{
    public const int BirthYear = 1990;

    private static readonly TimeSpan MailTimeout = TimeSpan.FromSeconds(60);

    /// <summary>A new member of <paramref name="municipality"/> who has confirmed their email; returns the address.</summary>
    public static async Task<string> MemberAsync(this LiveGatewayHost host, string municipality = "Tampere")
    {
        var email = $"resident-{Guid.NewGuid():N}@example.fi";
        var http = host.NewBrowser().Http;
        var joined = await http.PostAsJsonAsync("/api/membership/members", new { email, birthYear = BirthYear, municipality, language = "fi", consent = true });
        Assert.True(joined.StatusCode == HttpStatusCode.Accepted, $"join: {(int)joined.StatusCode} {await joined.Content.ReadAsStringAsync()}");
        var verification = await host.Membership.Smtp.WaitForMessageToAsync(email, MailTimeout);
        var verified = await http.PostAsJsonAsync("/api/membership/verifications", new { token = SmtpSink.TokenIn(verification) });
        Assert.True(verified.IsSuccessStatusCode, $"verification: {(int)verified.StatusCode} {await verified.Content.ReadAsStringAsync()}");
        return email;
    }

    /// <summary>
    /// Signs <paramref name="browser"/> (a new one unless given) in as a new member (or <paramref name="email"/>'s) with the
    /// emailed sign-in link, as the sign-in link page does it; the PanelistId is the one Membership's session answered.
    /// </summary>
    public static async Task<(Browser Browser, Guid PanelistId)> LiveResidentSignedInAsync(this AnsweringHost host, Browser? browser = null, string? email = null)
    {
        browser ??= host.NewBrowser();
        email ??= await host.MemberAsync();
        var before = host.Membership.Smtp.MessagesTo(email).Count;
        var asked = await browser.Http.PostAsJsonAsync("/api/membership/sign-in-links", new { email });
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var mails = await host.Membership.Smtp.WaitForMessagesToAsync(email, before + 1, MailTimeout);
        var page = await browser.GetAsync(SmtpSink.LinkIn(mails[before]).PathAndQuery);
        var signedIn = await browser.SubmitAsync(page, "sign-in-link", new Dictionary<string, string>());
        Assert.True(signedIn.Status == HttpStatusCode.Redirect && signedIn.SetsCookie("panel.resident"),
            $"Resident sign-in failed: {(int)signedIn.Status}\n{signedIn.Html}");
        var session = host.Calls.Last(c => c.Path == "/api/membership/sessions" && c.ResponseBody is not null);
        return (browser, JsonNode.Parse(session.ResponseBody!)!["panelistId"]!.GetValue<Guid>());
    }
}
