using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Panel.Gateway.Accounts;
using Panel.Gateway.Security;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests;

/// <summary>
/// Staff sessions end after 30 minutes without a request and 12 hours after signing in however active; resident
/// sessions after 8 hours without one. The server's record decides, on a clock the tests move.
/// </summary>
public sealed class SessionTimeoutTests(ClockedGatewayHost host) : IClassFixture<ClockedGatewayHost>
{
    private static void AssertSentToSignIn(Page page, string signInPath)
    {
        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal(signInPath, page.Location!.AbsolutePath);
    }

    private void Advance(double minutes) => host.Clock.Advance(TimeSpan.FromMinutes(minutes));

    private async Task<(StaffUser User, Browser Browser)> StaffAsync()
    {
        var user = await host.CreateStaffAsync(PanelRoles.Coordinator);
        return (user, await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword));
    }

    private Task<long> SessionsOfAsync(StaffUser user) =>
        host.Database.ScalarAsync<long>("SELECT count(*) FROM sessions WHERE staff_user_id = @p0", user.Id);

    private static async Task<SessionEndpoints.SessionStatus> StatusAsync(Browser browser) =>
        (await browser.Http.GetFromJsonAsync<SessionEndpoints.SessionStatus>(SessionStore.StatusPath))!;

    [Fact]
    public async Task A_staff_session_used_every_29_minutes_goes_on_and_one_left_31_minutes_ends()
    {
        var (user, browser) = await StaffAsync();

        for (var i = 0; i < 3; i++)
        {
            Advance(29);
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/staff")).Status);
        }

        Advance(31);
        AssertSentToSignIn(await browser.GetAsync("/staff"), "/staff/sign-in");
        Assert.Equal(0, await SessionsOfAsync(user));
    }

    [Fact]
    public async Task A_staff_session_ends_12_hours_after_signing_in_however_active()
    {
        var (user, browser) = await StaffAsync();
        var copy = host.CopiedCookieBrowser("panel.staff", browser.Cookie("panel.staff"));

        // 24 × 29 min = 11 h 36 min of steady work.
        for (var i = 0; i < 24; i++)
        {
            Advance(29);
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/staff")).Status);
        }

        var status = await StatusAsync(browser);
        Assert.Equal(24 * 60, status.AbsoluteSeconds);
        Advance(25); // 12 h 01 min after signing in, 25 min after the last request
        AssertSentToSignIn(await browser.GetAsync("/staff"), "/staff/sign-in");
        AssertSentToSignIn(await copy.GetAsync("/staff"), "/staff/sign-in");
        Assert.Equal(0, await SessionsOfAsync(user));
    }

    [Fact]
    public async Task Continue_on_the_warning_pushes_the_idle_end_and_asking_how_long_is_left_does_not()
    {
        var (_, browser) = await StaffAsync();
        var page = await browser.GetAsync("/staff");

        Advance(27);
        Assert.Equal(180, (await StatusAsync(browser)).IdleSeconds);
        Advance(1);
        Assert.Equal(120, (await StatusAsync(browser)).IdleSeconds);
        var form = page.Form(SessionEndpoints.ExtendPath);
        using var request = new HttpRequestMessage(HttpMethod.Post, SessionEndpoints.ExtendPath)
        {
            Content = new FormUrlEncodedContent(form.Hidden),
        };
        request.Headers.Accept.ParseAdd("application/json");
        var extended = await browser.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, extended.StatusCode);
        Assert.Equal(30 * 60, (await extended.Content.ReadFromJsonAsync<SessionEndpoints.SessionStatus>())!.IdleSeconds);
        Advance(29); // 57 min after the last page
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/staff")).Status);
    }

    [Fact]
    public async Task Asking_how_long_is_left_does_not_keep_a_session_open()
    {
        var (_, browser) = await StaffAsync();

        Advance(20);
        Assert.Equal(600, (await StatusAsync(browser)).IdleSeconds);
        Advance(9);
        Assert.Equal(60, (await StatusAsync(browser)).IdleSeconds);
        Advance(2);

        Assert.Equal(new SessionEndpoints.SessionStatus(0, 0), await StatusAsync(browser));
        AssertSentToSignIn(await browser.GetAsync("/staff"), "/staff/sign-in");
    }

    [Fact]
    public async Task Continue_without_scripts_comes_back_to_the_page_and_without_the_token_is_refused()
    {
        var (_, browser) = await StaffAsync();
        var page = await browser.GetAsync("/staff");

        var refused = await browser.PostAsync(new Uri(browser.Http.BaseAddress!, SessionEndpoints.ExtendPath), new Dictionary<string, string>());
        var back = await browser.SubmitAsync(page, SessionEndpoints.ExtendPath, new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal(HttpStatusCode.Redirect, back.Status);
        Assert.Equal("/staff", back.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Staff_pages_carry_a_hidden_accessible_warning_with_the_time_left_and_its_script()
    {
        var (_, browser) = await StaffAsync();

        var page = await browser.GetAsync("/staff");
        var script = await browser.GetAsync("/session-timeout.js");
        var anonymous = await host.NewBrowser().GetAsync("/");

        var box = page.Element("session-timeout");
        Assert.Equal("alertdialog", box["role"]);
        Assert.Matches("<div id=\"session-timeout\"[^>]*\\shidden[\\s>]", page.Html);
        Assert.Equal("session-timeout-title", box["aria-labelledby"]);
        Assert.Equal("session-timeout-text", box["aria-describedby"]);
        Assert.Equal("1800", box["data-idle-seconds"]);
        Assert.Equal(SessionStore.StatusPath, box["data-status-url"]);
        var text = page.Element("session-timeout-text");
        foreach (var key in new[] { "session.warningIdle", "session.warningAbsolute", "session.ended" })
        {
            Assert.Contains(GatewayHost.Texts.Get("fi", key), text.Values);
        }

        Assert.Contains(GatewayHost.Texts.Get("fi", "session.continue"), page.Text, StringComparison.Ordinal);
        Assert.Contains("<script src=\"session-timeout.js\" defer></script>", page.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.Status);
        Assert.Contains("session-timeout", script.Html, StringComparison.Ordinal);
        Assert.False(anonymous.HasElement("session-timeout"));
    }

    [Fact]
    public async Task A_resident_session_used_within_8_hours_goes_on_and_one_left_8_hours_ends()
    {
        var (browser, _) = await host.ResidentSignedInAsync();
        var open = await ResidentSessionsAsync();

        Advance(7 * 60 + 50);
        Assert.NotEqual("/sign-in", (await browser.GetAsync("/my/export")).Location?.AbsolutePath);
        Advance(7 * 60 + 50);
        Assert.NotEqual("/sign-in", (await browser.GetAsync("/my/export")).Location?.AbsolutePath);
        Advance(8 * 60 + 1);

        AssertSentToSignIn(await browser.GetAsync("/my/export"), "/sign-in");
        // The record ended it (the cookie's own expiry is later): refusing deleted the record.
        Assert.Equal(open - 1, await ResidentSessionsAsync());
    }

    private Task<long> ResidentSessionsAsync() => host.Database.ScalarAsync<long>("SELECT count(*) FROM sessions WHERE kind = 'Resident'");

    [Fact]
    public async Task The_cleanup_deletes_the_records_of_ended_sessions_only()
    {
        var (ended, _) = await StaffAsync();
        Advance(20);
        var (open, _) = await StaffAsync();
        Advance(11);

        await host.Services.GetRequiredService<SessionCleanup>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(0, await SessionsOfAsync(ended));
        Assert.Equal(1, await SessionsOfAsync(open));
    }
}
