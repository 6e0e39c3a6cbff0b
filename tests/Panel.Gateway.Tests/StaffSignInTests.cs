using System.Net;
using Panel.Gateway.Tests.Support;

namespace Panel.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class StaffSignInTests(GatewayHost host)
{
    private static string Text(string key) => GatewayHost.Texts.Get("fi", key);

    private static void AssertRedirectsTo(Page page, string pathAndQuery)
    {
        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal("localhost", page.Location!.Host);
        Assert.Equal(pathAndQuery, page.Location.PathAndQuery);
    }

    [Fact]
    public async Task Right_password_opens_a_session_and_leads_to_the_staff_page()
    {
        var browser = host.NewBrowser();

        var page = await browser.SignInAsync(GatewayHost.AdminEmail, GatewayHost.AdminPassword);

        AssertRedirectsTo(page, "/staff");
        Assert.True(page.SetsCookie("panel.staff"));
        var staff = await browser.GetAsync("/staff");
        Assert.Equal(HttpStatusCode.OK, staff.Status);
        Assert.Contains(Text("staff.title"), staff.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_shows_the_failure_and_opens_no_session()
    {
        var user = await host.CreateStaffAsync();
        var browser = host.NewBrowser();

        var page = await browser.SignInAsync(user.Email!, "Not-The-Passw0rd!");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Text("signIn.failed"), page.Text, StringComparison.Ordinal);
        Assert.False(page.SetsCookie("panel.staff"));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/staff")).Status);
    }

    [Fact]
    public async Task Unknown_email_shows_the_same_failure()
    {
        var page = await host.NewBrowser().SignInAsync($"nobody-{Guid.NewGuid():N}@panel.test", "Whatever-Passw0rd!");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Text("signIn.failed"), page.Text, StringComparison.Ordinal);
        Assert.False(page.SetsCookie("panel.staff"));
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_so_even_the_right_one_is_refused_with_the_same_message()
    {
        var user = await host.CreateStaffAsync();
        var browser = host.NewBrowser();
        for (var i = 1; i <= 4; i++)
        {
            var wrong = await browser.SignInAsync(user.Email!, $"Wrong-Passw0rd-{i}");
            Assert.Contains(Text("signIn.failed"), wrong.Text, StringComparison.Ordinal);
        }

        var fifth = await browser.SignInAsync(user.Email!, "Wrong-Passw0rd-5");
        var right = await browser.SignInAsync(user.Email!, GatewayHost.StaffPassword);

        // The lockout is invisible: a locked account answers like a wrong password (StaffSignInEnumerationTests).
        Assert.Contains(Text("signIn.failed"), fifth.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, right.Status);
        Assert.Contains(Text("signIn.failed"), right.Text, StringComparison.Ordinal);
        Assert.False(right.SetsCookie("panel.staff"));
        Assert.True(await host.WithUsersAsync(async users => await users.IsLockedOutAsync((await users.FindByIdAsync(user.Id))!)));
    }

    [Fact]
    public async Task Staff_page_without_a_session_redirects_to_sign_in_with_the_return_address()
    {
        var page = await host.NewBrowser().GetAsync("/staff");

        AssertRedirectsTo(page, "/staff/sign-in?ReturnUrl=%2Fstaff");
    }

    [Fact]
    public async Task Sign_in_returns_to_a_local_return_address()
    {
        var page = await host.NewBrowser().SignInAsync(GatewayHost.AdminEmail, GatewayHost.AdminPassword, "/join?c=X1");

        AssertRedirectsTo(page, "/join?c=X1");
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("https://evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("http:/evil.example")]
    public async Task Sign_in_never_redirects_to_another_site(string returnUrl)
    {
        var page = await host.NewBrowser().SignInAsync(GatewayHost.AdminEmail, GatewayHost.AdminPassword, returnUrl);

        AssertRedirectsTo(page, "/staff");
    }

    [Fact]
    public async Task Sign_out_ends_the_session()
    {
        var browser = await host.SignedInAsync();
        var staff = await browser.GetAsync("/staff");

        var signedOut = await browser.SubmitAsync(staff, "/staff/sign-out", new Dictionary<string, string>());

        AssertRedirectsTo(signedOut, "/");
        Assert.Contains(signedOut.SetCookies, c => c.StartsWith("panel.staff=;", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/staff")).Status);
    }

    [Fact]
    public async Task Sign_out_without_the_antiforgery_token_is_refused_and_keeps_the_session()
    {
        var browser = await host.SignedInAsync();

        var page = await browser.PostAsync(new Uri(browser.Http.BaseAddress!, "/staff/sign-out"), new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/staff")).Status);
    }

    [Fact]
    public async Task Sign_in_without_the_antiforgery_token_is_refused()
    {
        var browser = host.NewBrowser();

        var page = await browser.PostAsync(new Uri(browser.Http.BaseAddress!, "/staff/sign-in"), new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["Form.Email"] = GatewayHost.AdminEmail,
            ["Form.Password"] = GatewayHost.AdminPassword,
        });

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.False(page.SetsCookie("panel.staff"));
    }
}
