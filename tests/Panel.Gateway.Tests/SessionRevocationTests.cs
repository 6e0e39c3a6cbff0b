using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Panel.Gateway.Accounts;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests;

/// <summary>
/// Sessions end on the server: signing out makes a copy of the cookie worthless (the person's other sessions go
/// on), and a disabled account or a removed role counts from the very next request.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class SessionRevocationTests(GatewayHost host)
{
    private static void AssertSentToSignIn(Page page, string signInPath)
    {
        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal(signInPath, page.Location!.AbsolutePath);
    }

    private async Task<Browser> StaffSignedInAsync(StaffUser user) => await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);

    private Task<long> SessionsOfAsync(StaffUser user) =>
        host.Database.ScalarAsync<long>("SELECT count(*) FROM sessions WHERE staff_user_id = @p0", user.Id);

    private async Task WithAccountsAsync(Func<Accounts.StaffAccounts, Task<bool>> change)
    {
        await using var scope = host.Services.CreateAsyncScope();
        Assert.True(await change(scope.ServiceProvider.GetRequiredService<Accounts.StaffAccounts>()));
    }

    [Fact]
    public async Task A_staff_cookie_copied_before_sign_out_is_refused_after_it_and_other_sessions_go_on()
    {
        var user = await host.CreateStaffAsync(PanelRoles.Coordinator);
        var browser = await StaffSignedInAsync(user);
        var otherBrowser = await StaffSignedInAsync(user);
        var copy = host.CopiedCookieBrowser("panel.staff", browser.Cookie("panel.staff"));
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/staff")).Status);
        Assert.Equal(2, await SessionsOfAsync(user));

        var staff = await browser.GetAsync("/staff");
        await browser.SubmitAsync(staff, "/staff/sign-out", new Dictionary<string, string>());

        AssertSentToSignIn(await copy.GetAsync("/staff"), "/staff/sign-in");
        // A proxied call with the copy goes as nobody's: no staff token.
        var path = $"/api/membership/anything/{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.OK, (await copy.Http.GetAsync(path)).StatusCode);
        var token = await host.ValidTokenAsync(Assert.Single(host.Backend.RequestsTo(path)).BearerToken, "panel-membership");
        Assert.NotEqual("staff", token.Claim("act_kind"));
        Assert.Empty(token.Roles());
        Assert.Equal(HttpStatusCode.OK, (await otherBrowser.GetAsync("/staff")).Status);
        Assert.Equal(1, await SessionsOfAsync(user));
    }

    [Fact]
    public async Task A_resident_cookie_copied_before_sign_out_is_refused_after_it_and_other_sessions_go_on()
    {
        var (browser, _) = await host.ResidentSignedInAsync();
        var (otherBrowser, _) = await host.ResidentSignedInAsync();
        var copy = host.CopiedCookieBrowser("panel.resident", browser.Cookie("panel.resident"));
        // Signed in: the resident's own endpoints answer instead of sending to the sign-in page.
        Assert.NotEqual("/sign-in", (await copy.GetAsync("/my/export")).Location?.AbsolutePath);

        var signedOut = await SignOutResidentAsync(browser);

        Assert.Equal(HttpStatusCode.Redirect, signedOut.Status);
        AssertSentToSignIn(await copy.GetAsync("/my/export"), "/sign-in");
        AssertSentToSignIn(await browser.GetAsync("/my/export"), "/sign-in");
        Assert.NotEqual("/sign-in", (await otherBrowser.GetAsync("/my/export")).Location?.AbsolutePath);
    }

    private static async Task<Page> SignOutResidentAsync(Browser browser)
    {
        var page = await browser.GetAsync("/my");
        return await browser.SubmitAsync(page, "/sign-out", new Dictionary<string, string>());
    }

    [Fact]
    public async Task A_disabled_account_is_refused_at_its_next_request()
    {
        var user = await host.CreateStaffAsync(PanelRoles.Coordinator);
        var browser = await StaffSignedInAsync(user);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/staff")).Status);

        await WithAccountsAsync(accounts => accounts.SetDisabledAsync(user.Id, true));

        AssertSentToSignIn(await browser.GetAsync("/staff"), "/staff/sign-in");
        Assert.Equal(0, await SessionsOfAsync(user));
    }

    [Fact]
    public async Task A_removed_role_is_gone_at_the_next_request_from_pages_and_service_tokens()
    {
        var user = await host.CreateStaffAsync(PanelRoles.Coordinator, PanelRoles.Communications);
        var browser = await StaffSignedInAsync(user);
        var before = $"/api/membership/anything/{Guid.NewGuid():N}";
        await browser.Http.GetAsync(before);
        var token = await host.ValidTokenAsync(Assert.Single(host.Backend.RequestsTo(before)).BearerToken, "panel-membership");
        Assert.Contains(PanelRoles.Coordinator, token.Roles());

        await WithAccountsAsync(accounts => accounts.UpdateAsync(user.Id, new StaffAccountChange(null, [PanelRoles.Communications], [])));

        // Pages needing the role are closed at once (the session with the old roles has ended).
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/staff/campaigns")).Status);
        var after = $"/api/membership/anything/{Guid.NewGuid():N}";
        await browser.Http.GetAsync(after);
        token = await host.ValidTokenAsync(Assert.Single(host.Backend.RequestsTo(after)).BearerToken, "panel-membership");
        Assert.DoesNotContain(PanelRoles.Coordinator, token.Roles());
        // Signing in again gives the session the roles the account has now.
        var again = await StaffSignedInAsync(user);
        var third = $"/api/membership/anything/{Guid.NewGuid():N}";
        await again.Http.GetAsync(third);
        token = await host.ValidTokenAsync(Assert.Single(host.Backend.RequestsTo(third)).BearerToken, "panel-membership");
        Assert.Equal([PanelRoles.Communications], token.Roles());
        Assert.Equal(HttpStatusCode.Redirect, (await again.GetAsync("/staff/campaigns")).Status);
    }
}
