using System.Net;
using Panel.Gateway.Tests.Residents;
using Panel.Gateway.Tests.Support;

namespace Panel.Gateway.Tests;

[Collection(LiveGatewayCollection.Name)]
public sealed class ResidentSessionTests(LiveGatewayHost host)
{
    private static string Text(string key) => GatewayHost.Texts.Get("fi", key);

    private static void AssertRedirectsTo(Page page, string pathAndQuery)
    {
        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal("localhost", page.Location!.Host);
        Assert.Equal(pathAndQuery, page.Location.PathAndQuery);
    }

    /// <summary>A member who confirmed the email, and the token of the sign-in link then emailed to them.</summary>
    private async Task<(Guid Id, string Token)> SignInLinkAsync()
    {
        var email = LiveResidents.NewEmail();
        var id = await host.VerifiedMemberAsync(email);
        return (id, await host.SignInTokenAsync(email, nth: 2));
    }

    private Task<long> UnusedSignInLinksAsync(Guid id) =>
        host.Membership.Database.ScalarAsync<long>(
            "SELECT count(*) FROM one_time_links WHERE member_id = @p0 AND purpose = 'SignIn' AND used_at IS NULL", id);

    [Fact]
    public async Task Opening_a_sign_in_link_spends_nothing_until_the_button_is_pressed()
    {
        var (id, token) = await SignInLinkAsync();

        var page = await host.NewBrowser().GetAsync("/sign-in/link?token=" + Uri.EscapeDataString(token));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(token, page.Form("sign-in-link").Hidden["Form.Token"]);
        Assert.Equal(1, await UnusedSignInLinksAsync(id));
        Assert.False(page.SetsCookie("panel.resident"));
    }

    [Fact]
    public async Task Pressing_sign_in_opens_a_resident_session_and_leads_to_my_panel()
    {
        var browser = host.NewBrowser();
        var (id, token) = await SignInLinkAsync();
        var page = await browser.GetAsync("/sign-in/link?token=" + Uri.EscapeDataString(token));

        var signedIn = await browser.SubmitAsync(page, "sign-in-link", new Dictionary<string, string>());

        AssertRedirectsTo(signedIn, "/my");
        var cookie = Assert.Single(signedIn.SetCookies, c => c.StartsWith("panel.resident=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.False(signedIn.SetsCookie("panel.staff"));
        // Membership spent the link and noted the sign-in.
        Assert.Equal(0, await UnusedSignInLinksAsync(id));
        Assert.Equal(1, await host.Membership.Database.ScalarAsync<long>("SELECT count(*) FROM members WHERE id = @p0 AND last_signed_in_at IS NOT NULL", id));
        var my = await browser.GetAsync("/my");
        Assert.Equal(HttpStatusCode.OK, my.Status);
        Assert.Contains(Text("my.title"), my.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sign_in_link_already_used_opens_no_second_session()
    {
        var (_, token) = await SignInLinkAsync();
        await host.NewBrowser().PressSignInLinkAsync(token);
        var browser = host.NewBrowser();

        var refused = await browser.PressSignInLinkAsync(token);

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains(Text("signInLink.invalidBody"), refused.Text, StringComparison.Ordinal);
        Assert.False(refused.SetsCookie("panel.resident"));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/my")).Status);
    }

    [Fact]
    public async Task A_member_who_must_accept_new_consent_is_led_to_the_consent_page()
    {
        var (_, token) = await SignInLinkAsync();
        // The member accepted the consent of their join; a coordinator publishes a new one.
        await (await host.SignedInAsync()).PublishConsentAsync(
            "Uusi suostumusteksti kirjautumista varten.", "Ny samtyckestext för inloggningen.", "A new consent text for signing in.");
        var browser = host.NewBrowser();

        var signedIn = await browser.PressSignInLinkAsync(token);

        AssertRedirectsTo(signedIn, "/my/consent");
        Assert.True(signedIn.SetsCookie("panel.resident"));
    }

    [Fact]
    public async Task An_invalid_or_expired_sign_in_link_is_explained_and_opens_no_session()
    {
        var browser = host.NewBrowser();
        var page = await browser.GetAsync("/sign-in/link?token=" + Guid.NewGuid().ToString("N"));

        var refused = await browser.SubmitAsync(page, "sign-in-link", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains(Text("signInLink.invalidBody"), refused.Text, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", refused.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"/sign-in\"", refused.Html, StringComparison.Ordinal);
        Assert.False(refused.SetsCookie("panel.resident"));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/my")).Status);
    }

    [Fact]
    public async Task A_sign_in_link_without_a_token_shows_the_error_and_no_button()
    {
        var page = await host.NewBrowser().GetAsync("/sign-in/link");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Text("signInLink.invalidBody"), page.Text, StringComparison.Ordinal);
        Assert.False(page.HasForm("sign-in-link"));
    }

    [Fact]
    public async Task My_pages_without_a_resident_session_redirect_to_the_resident_sign_in()
    {
        var browser = host.NewBrowser();

        foreach (var path in new[] { "/my", "/my/consent", "/my/erase", "/my/withdraw", "/my/export" })
        {
            var page = await browser.GetAsync(path);
            AssertRedirectsTo(page, "/sign-in?ReturnUrl=" + Uri.EscapeDataString(path));
        }
    }

    [Fact]
    public async Task A_staff_session_does_not_open_the_residents_pages()
    {
        var browser = await host.SignedInAsync();

        var page = await browser.GetAsync("/my");

        AssertRedirectsTo(page, "/sign-in?ReturnUrl=%2Fmy");
    }

    [Fact]
    public async Task A_resident_session_does_not_open_the_staff_pages()
    {
        var browser = (await host.SignedInResidentAsync()).Browser;

        var staff = await browser.GetAsync("/staff");
        var mailbox = await browser.GetAsync("/staff/mailbox");

        AssertRedirectsTo(staff, "/staff/sign-in?ReturnUrl=%2Fstaff");
        AssertRedirectsTo(mailbox, "/staff/sign-in?ReturnUrl=%2Fstaff%2Fmailbox");
    }

    [Fact]
    public async Task A_signed_in_resident_finds_my_panel_in_the_menu_and_no_staff_links()
    {
        var browser = (await host.SignedInResidentAsync()).Browser;
        var page = await browser.GetAsync("/");

        Assert.Contains("href=\"/my\"", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/staff\"", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("action=\"/staff/sign-out\"", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_menu_offers_resident_sign_in_to_visitors()
    {
        var page = await host.NewBrowser().GetAsync("/");

        Assert.Contains("<a href=\"/sign-in\">" + Text("nav.signIn") + "</a>", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/my\"", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_out_ends_the_resident_session()
    {
        var browser = (await host.SignedInResidentAsync()).Browser;
        var my = await browser.GetAsync("/my");

        var signedOut = await browser.SubmitAsync(my, "/sign-out", new Dictionary<string, string>());

        AssertRedirectsTo(signedOut, "/");
        Assert.Contains(signedOut.SetCookies, c => c.StartsWith("panel.resident=;", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/my")).Status);
    }

    [Fact]
    public async Task Sign_out_without_the_antiforgery_token_is_refused_and_keeps_the_session()
    {
        var browser = (await host.SignedInResidentAsync()).Browser;

        var page = await browser.PostAsync(new Uri(browser.Http.BaseAddress!, "/sign-out"), new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/my")).Status);
    }
}

/// <summary>
/// The tokens the gateway gives Membership for a resident, read where they arrive: the echo records each request's
/// headers (the proxy's and the typed client's), which the real service only accepts or refuses.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ResidentTokenTests(GatewayHost host)
{
    [Fact]
    public async Task My_panel_calls_membership_with_a_resident_token_naming_the_member()
    {
        var (browser, panelistId) = await host.ResidentSignedInAsync();

        var page = await browser.GetAsync("/my");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var seen = host.Backend.RequestsTo("/api/membership/me").Last();
        var token = await host.ValidTokenAsync(seen.BearerToken, "panel-membership");
        Assert.Equal("resident", token.Claim("act_kind"));
        Assert.Equal(panelistId.ToString(), token.Claim("sub"));
        Assert.Empty(token.Roles());
    }

    [Fact]
    public async Task A_proxied_api_call_with_a_resident_session_carries_a_resident_token_and_not_the_cookie()
    {
        var (browser, panelistId) = await host.ResidentSignedInAsync();
        var path = $"/api/membership/anything/{Guid.NewGuid():N}";

        var response = await browser.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(host.Backend.RequestsTo(path));
        Assert.Null(seen.Header("Cookie"));
        var token = await host.ValidTokenAsync(seen.BearerToken, "panel-membership");
        Assert.Equal("resident", token.Claim("act_kind"));
        Assert.Equal(panelistId.ToString(), token.Claim("sub"));
        Assert.Empty(token.Roles());
    }

    [Fact]
    public async Task A_proxied_api_call_without_a_session_carries_a_public_token()
    {
        var path = $"/api/membership/anything/{Guid.NewGuid():N}";

        await host.NewBrowser().Http.GetAsync(path);

        var token = await host.ValidTokenAsync(Assert.Single(host.Backend.RequestsTo(path)).BearerToken, "panel-membership");
        Assert.Equal("public", token.Claim("act_kind"));
        Assert.Equal("public", token.Claim("sub"));
    }

    [Fact]
    public async Task With_both_sessions_the_api_gets_the_staff_token_and_my_pages_the_resident_token_never_a_mix()
    {
        var browser = await host.SignedInAsync();
        var (_, panelistId) = await host.ResidentSignedInAsync(browser);
        var adminId = await host.WithUsersAsync(async users => (await users.FindByEmailAsync(GatewayHost.AdminEmail))!.Id);
        var path = $"/api/membership/anything/{Guid.NewGuid():N}";

        await browser.Http.GetAsync(path);
        var my = await browser.GetAsync("/my");

        var api = await host.ValidTokenAsync(Assert.Single(host.Backend.RequestsTo(path)).BearerToken, "panel-membership");
        Assert.Equal("staff", api.Claim("act_kind"));
        Assert.Equal(adminId, api.Claim("sub"));
        Assert.Equal(HttpStatusCode.OK, my.Status);
        var me = await host.ValidTokenAsync(host.Backend.RequestsTo("/api/membership/me").Last().BearerToken, "panel-membership");
        Assert.Equal("resident", me.Claim("act_kind"));
        Assert.Equal(panelistId.ToString(), me.Claim("sub"));
        Assert.Empty(me.Roles());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/staff")).Status);
    }
}
