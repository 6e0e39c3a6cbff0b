using System.Net;
using System.Net.Http.Json;
using MimeKit;
using Panel.Gateway.Tests.Support;
using Panel.TestSupport;

namespace Panel.Gateway.Tests.Residents;

/// <summary>A resident signed in through the gateway: the browser holding the session, the member's id and email.</summary>
public sealed record LiveResident(Browser Browser, Guid PanelistId, string Email);

/// <summary>
/// Residents of the real Membership behind a <see cref="LiveGatewayHost"/>: they join and confirm through the gateway's
/// proxy as a resident's browser would, the emails arrive in Membership's SMTP sink, and the sign-in link from the email
/// is opened and pressed on the gateway's page.
/// </summary>
public static class LiveResidents
{
    public static readonly TimeSpan MailTimeout = TimeSpan.FromSeconds(60);

    public static string NewEmail(string prefix = "resident") => $"{prefix}-{Guid.NewGuid():N}@example.fi";

    /// <summary>Joins through the proxy (a public caller) and returns the verification email that then arrives.</summary>
    public static async Task<MimeMessage> JoinAsync(this LiveGatewayHost host, string email, string municipality = "Tampere", int birthYear = 1980)
    {
        var response = await host.NewBrowser().Http.PostAsJsonAsync("/api/membership/members", new
        {
            email,
            phone = (string?)null,
            birthYear,
            municipality,
            gender = "woman",
            language = "fi",
            isClient = true,
            consent = true,
            campaignCode = (string?)null,
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await host.Membership.Smtp.WaitForMessageToAsync(email, MailTimeout);
    }

    /// <summary>A member who joined and confirmed the email with the link it got (Active); returns the PanelistId.</summary>
    public static async Task<Guid> VerifiedMemberAsync(this LiveGatewayHost host, string email, string municipality = "Tampere", int birthYear = 1980)
    {
        var verification = await host.JoinAsync(email, municipality, birthYear);
        var verified = await host.NewBrowser().Http.PostAsJsonAsync("/api/membership/verifications", new { token = SmtpSink.TokenIn(verification) });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        return await host.MemberIdAsync(email);
    }

    public static async Task<Guid> MemberIdAsync(this LiveGatewayHost host, string email) =>
        Guid.Parse(await host.Membership.Database.ScalarAsync<string>("SELECT id::text FROM members WHERE email = @p0", email));

    /// <summary>Asks for a sign-in link through the proxy and returns the token of the <paramref name="nth"/> email to the address.</summary>
    public static async Task<string> SignInTokenAsync(this LiveGatewayHost host, string email, int nth)
    {
        var response = await host.NewBrowser().Http.PostAsJsonAsync("/api/membership/sign-in-links", new { email });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var messages = await host.Membership.Smtp.WaitForMessagesToAsync(email, nth, MailTimeout);
        return SmtpSink.TokenIn(messages[nth - 1]);
    }

    /// <summary>Opens the sign-in link's page and presses its button, as the resident does.</summary>
    public static async Task<Page> PressSignInLinkAsync(this Browser browser, string token)
    {
        var page = await browser.GetAsync("/sign-in/link?token=" + Uri.EscapeDataString(token));
        return await browser.SubmitAsync(page, "sign-in-link", new Dictionary<string, string>());
    }

    /// <summary>
    /// A new member who joined, confirmed the email and signed in with the emailed link, in <paramref name="browser"/>
    /// (a new one unless given).
    /// </summary>
    public static async Task<LiveResident> SignedInResidentAsync(this LiveGatewayHost host, Browser? browser = null, string municipality = "Tampere")
    {
        var email = NewEmail();
        var id = await host.VerifiedMemberAsync(email, municipality);
        return await host.SignInMemberAsync(email, id, browser);
    }

    /// <summary>Signs an existing Active member in with a new emailed link (the next email to the address).</summary>
    public static async Task<LiveResident> SignInMemberAsync(this LiveGatewayHost host, string email, Guid id, Browser? browser = null)
    {
        browser ??= host.NewBrowser();
        var nth = host.Membership.Smtp.MessagesTo(email).Count + 1;
        var signedIn = await browser.PressSignInLinkAsync(await host.SignInTokenAsync(email, nth));
        Assert.True(signedIn.Status == HttpStatusCode.Redirect && signedIn.SetsCookie("panel.resident"),
            $"Resident sign-in failed: {(int)signedIn.Status}\n{signedIn.Html}");
        return new LiveResident(browser, id, email);
    }

    /// <summary>Publishes new consent texts as <paramref name="coordinator"/> (a staff browser) through the proxy; returns the version.</summary>
    public static async Task<string> PublishConsentAsync(this Browser coordinator, string fi, string sv, string en)
    {
        var response = await coordinator.Http.PostAsJsonAsync("/api/membership/consents", new { texts = new { fi, sv, en } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["version"]!.ToString();
    }
}
