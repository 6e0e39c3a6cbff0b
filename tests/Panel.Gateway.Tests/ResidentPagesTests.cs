using System.Net;
using System.Text.Json;
using Panel.Gateway.Tests.Residents;
using Panel.Gateway.Tests.Support;
using Panel.TestSupport;

namespace Panel.Gateway.Tests;

[Collection(LiveGatewayCollection.Name)]
public sealed class ResidentPagesTests(LiveGatewayHost host)
{
    internal static string Text(string key) => GatewayHost.Texts.Get("fi", key);

    private static void AssertRedirectsTo(Page page, string pathAndQuery)
    {
        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal("localhost", page.Location!.Host);
        Assert.Equal(pathAndQuery, page.Location.PathAndQuery);
    }

    /// <summary>An input tied to its error: aria-invalid, and aria-describedby naming the message on the page.</summary>
    internal static void AssertFieldError(Page page, string inputId, string message)
    {
        var input = page.Element(inputId);
        Assert.Equal("true", input["aria-invalid"]);
        Assert.Contains(inputId + "-error", input["aria-describedby"].Split(' '));
        Assert.True(page.HasElement(inputId + "-error"), $"No {inputId}-error on the page.");
        Assert.Contains(message, page.Text, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"#{inputId}\">", page.Html, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", page.Html, StringComparison.Ordinal);
    }

    /// <summary>What Membership holds for the member, one field after another ('gone' once erased).</summary>
    private Task<string> StoredAsync(Guid id) =>
        host.Membership.Database.ScalarAsync<string>(
            "SELECT coalesce((SELECT concat_ws('|', status, coalesce(phone, '(none)'), birth_year, municipality, coalesce(gender, '(none)'), language, is_client::text, contact_channel, coalesce(paused_until::text, '(none)')) FROM members WHERE id = @p0), 'gone')",
            id);

    private static string Until(int daysAhead) =>
        DateOnly.FromDateTime(DateTime.UtcNow).AddDays(daysAhead).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    // ---- /verify

    [Fact]
    public async Task Confirming_the_email_posts_the_token_and_offers_sign_in()
    {
        var browser = host.NewBrowser();
        var email = LiveResidents.NewEmail();
        var link = SmtpSink.LinkIn(await host.JoinAsync(email));
        var id = await host.MemberIdAsync(email);
        var page = await browser.GetAsync(link.PathAndQuery);
        Assert.StartsWith("Pending|", await StoredAsync(id), StringComparison.Ordinal);

        var confirmed = await browser.SubmitAsync(page, "verify", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.OK, confirmed.Status);
        Assert.StartsWith("Active|", await StoredAsync(id), StringComparison.Ordinal);
        Assert.Contains(Text("verify.doneTitle"), confirmed.Text, StringComparison.Ordinal);
        Assert.Contains("href=\"/sign-in\"", confirmed.Html, StringComparison.Ordinal);
        Assert.False(confirmed.HasForm("verify"));
    }

    [Fact]
    public async Task An_invalid_or_expired_confirmation_link_is_explained()
    {
        var browser = host.NewBrowser();
        var page = await browser.GetAsync("/verify?token=" + Guid.NewGuid().ToString("N"));

        var refused = await browser.SubmitAsync(page, "verify", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains(Text("verify.invalidBody"), refused.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Text("verify.doneTitle"), refused.Text, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", refused.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_confirmation_page_without_a_token_says_the_link_is_not_valid()
    {
        var page = await host.NewBrowser().GetAsync("/verify");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Text("verify.invalidBody"), page.Text, StringComparison.Ordinal);
        Assert.False(page.HasForm("verify"));
    }

    [Fact]
    public async Task The_confirmation_page_is_in_swedish_when_asked()
    {
        var page = await host.NewBrowser().GetAsync("/verify?token=abc&lang=sv");

        Assert.Contains(GatewayHost.Texts.Get("sv", "verify.submit"), page.Text, StringComparison.Ordinal);
    }

    // ---- /sign-in

    [Fact]
    public async Task Asking_for_a_sign_in_link_sends_the_email_and_gives_the_same_answer_to_everyone()
    {
        var email = LiveResidents.NewEmail("someone");
        await host.VerifiedMemberAsync(email);
        var stranger = LiveResidents.NewEmail("stranger");
        var browser = host.NewBrowser();
        var page = await browser.GetAsync("/sign-in");

        var sent = await browser.SubmitAsync(page, "resident-sign-in", new Dictionary<string, string> { ["Form.Email"] = email });
        var strangers = await browser.SubmitAsync(await browser.GetAsync("/sign-in"), "resident-sign-in", new Dictionary<string, string> { ["Form.Email"] = stranger });

        Assert.Equal(HttpStatusCode.OK, sent.Status);
        Assert.Contains(Text("residentSignIn.sentBody"), sent.Text, StringComparison.Ordinal);
        Assert.False(sent.SetsCookie("panel.resident"));
        Assert.Contains(Text("residentSignIn.sentBody"), strangers.Text, StringComparison.Ordinal);
        // The member's second email (after the confirmation) is the sign-in link.
        var messages = await host.Membership.Smtp.WaitForMessagesToAsync(email, 2, LiveResidents.MailTimeout);
        Assert.Contains("/sign-in/link?token=", SmtpSink.LinkIn(messages[1]).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_email_the_service_refuses_is_shown_at_the_field()
    {
        // Not an address Membership accepts (two @); the page itself only checks that one is given.
        var email = $"rejected-{Guid.NewGuid():N}@@example.fi";
        var browser = host.NewBrowser();
        var page = await browser.GetAsync("/sign-in");

        var refused = await browser.SubmitAsync(page, "resident-sign-in", new Dictionary<string, string> { ["Form.Email"] = email });

        AssertFieldError(refused, "email", Text("residentSignIn.error.Email"));
        Assert.Equal(email, refused.Element("email")["value"]);
    }

    // ---- /my

    [Fact]
    public async Task My_panel_shows_the_members_details_in_the_profile_form()
    {
        var (browser, _, email) = await host.SignedInResidentAsync();

        var page = await browser.GetAsync("/my");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(email, page.Text, StringComparison.Ordinal);
        Assert.Contains(Text("my.state.active"), page.Text, StringComparison.Ordinal);
        Assert.Equal("1980", page.Element("birthYear")["value"]);
        Assert.Contains("<option value=\"Tampere\" selected", page.Html, StringComparison.Ordinal);
        Assert.True(page.Element("gender-woman").ContainsKey("checked"));
        Assert.True(page.Element("contactChannel-email").ContainsKey("checked"));
        Assert.True(page.HasForm("profile"));
        Assert.True(page.HasForm("pause"));
        Assert.False(page.HasForm("resume"));
        Assert.True(page.HasForm("/sign-out"));
        Assert.Contains("href=\"/my/export\"", page.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"/my/erase\"", page.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"/my/withdraw\"", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saving_the_profile_stores_it_in_membership_and_says_so()
    {
        var (browser, panelistId, _) = await host.SignedInResidentAsync();
        var page = await browser.GetAsync("/my");

        var saved = await browser.SubmitAsync(page, "profile", new Dictionary<string, string>
        {
            ["Profile.Phone"] = "040 123 4567",
            ["Profile.BirthYear"] = "1975",
            ["Profile.Municipality"] = "Nokia",
            ["Profile.Gender"] = "",
            ["Profile.Language"] = "sv",
            ["Profile.IsClient"] = "no",
            ["Profile.ContactChannel"] = "sms",
        });

        AssertRedirectsTo(saved, "/my?done=profile");
        // Stored for this member (the one the resident token names), gender left out.
        Assert.Equal("Active|040 123 4567|1975|Nokia|(none)|sv|false|sms|(none)", await StoredAsync(panelistId));
        var after = await browser.GetAsync(saved.Location!.PathAndQuery);
        Assert.Contains(Text("my.done.profile"), after.Text, StringComparison.Ordinal);
        Assert.Contains("<option value=\"Nokia\" selected", after.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_profile_field_the_service_refuses_is_summarised_and_tied_to_its_input()
    {
        var (browser, panelistId, _) = await host.SignedInResidentAsync();
        var page = await browser.GetAsync("/my");

        var refused = await browser.SubmitAsync(page, "profile", new Dictionary<string, string>
        {
            ["Profile.BirthYear"] = "1980",
            ["Profile.Municipality"] = "Atlantis",
            ["Profile.Language"] = "fi",
            ["Profile.ContactChannel"] = "email",
        });

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        AssertFieldError(refused, "municipality", Text("my.error.Municipality"));
        Assert.False(refused.Element("birthYear").ContainsKey("aria-invalid"));
        Assert.DoesNotContain(Text("my.done.profile"), refused.Text, StringComparison.Ordinal);
        Assert.Equal(Unchanged, await StoredAsync(panelistId));
    }

    /// <summary>A member as <see cref="LiveResidents"/> joins them, Active.</summary>
    private const string Unchanged = "Active|(none)|1980|Tampere|woman|fi|true|email|(none)";

    [Fact]
    public async Task A_birth_year_that_is_not_a_number_is_refused_without_calling_the_service()
    {
        var (browser, panelistId, _) = await host.SignedInResidentAsync();
        var page = await browser.GetAsync("/my");

        var refused = await browser.SubmitAsync(page, "profile", new Dictionary<string, string>
        {
            ["Profile.BirthYear"] = "1980s",
            ["Profile.Municipality"] = "Tampere",
            ["Profile.Language"] = "fi",
            ["Profile.ContactChannel"] = "email",
        });

        AssertFieldError(refused, "birthYear", Text("join.birthYearNumber"));
        Assert.Equal(Unchanged, await StoredAsync(panelistId));
    }

    [Fact]
    public async Task Pausing_until_a_date_and_resuming_change_the_membership_state()
    {
        var (browser, panelistId, _) = await host.SignedInResidentAsync();
        var page = await browser.GetAsync("/my");
        var until = Until(30);

        var paused = await browser.SubmitAsync(page, "pause", new Dictionary<string, string> { ["Pause.Until"] = until });

        AssertRedirectsTo(paused, "/my?done=paused");
        Assert.Equal($"Paused|(none)|1980|Tampere|woman|fi|true|email|{until}", await StoredAsync(panelistId));
        var pausedPage = await browser.GetAsync("/my?done=paused");
        Assert.Contains(Text("my.done.paused"), pausedPage.Text, StringComparison.Ordinal);
        Assert.True(pausedPage.HasForm("resume"));
        Assert.False(pausedPage.HasForm("pause"));

        var resumed = await browser.SubmitAsync(pausedPage, "resume", new Dictionary<string, string>());

        AssertRedirectsTo(resumed, "/my?done=resumed");
        Assert.Equal(Unchanged, await StoredAsync(panelistId));
        var activePage = await browser.GetAsync("/my?done=resumed");
        Assert.Contains(Text("my.state.active"), activePage.Text, StringComparison.Ordinal);
        Assert.True(activePage.HasForm("pause"));
    }

    [Fact]
    public async Task The_pause_field_offers_a_date_picker_from_tomorrow_to_a_year_ahead()
    {
        var browser = (await host.SignedInResidentAsync()).Browser;

        var page = await browser.GetAsync("/my");

        var input = page.Element("until");
        Assert.Equal("date", input["type"]);
        Assert.Equal(Until(1), input["min"]);
        Assert.Contains("until-hint", input["aria-describedby"].Split(' '));
    }

    [Fact]
    public async Task A_pause_date_the_service_refuses_is_shown_at_the_date_field()
    {
        var (browser, panelistId, _) = await host.SignedInResidentAsync();
        var page = await browser.GetAsync("/my");

        var refused = await browser.SubmitAsync(page, "pause", new Dictionary<string, string> { ["Pause.Until"] = "2000-01-01" });

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        AssertFieldError(refused, "until", Text("my.error.Until"));
        Assert.Equal(Unchanged, await StoredAsync(panelistId));
    }

    [Fact]
    public async Task A_pause_date_that_is_not_a_date_is_refused_by_the_page()
    {
        var (browser, panelistId, _) = await host.SignedInResidentAsync();
        var page = await browser.GetAsync("/my");

        var refused = await browser.SubmitAsync(page, "pause", new Dictionary<string, string> { ["Pause.Until"] = "next week" });

        AssertFieldError(refused, "until", Text("my.error.Until"));
        Assert.Equal(Unchanged, await StoredAsync(panelistId));
    }

    [Fact]
    public async Task Withdrawing_asks_for_confirmation_first_and_then_withdraws()
    {
        var (browser, panelistId, _) = await host.SignedInResidentAsync();

        var confirm = await browser.GetAsync("/my/withdraw");

        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        Assert.Contains(Text("withdraw.point1"), confirm.Text, StringComparison.Ordinal);
        Assert.Equal(Unchanged, await StoredAsync(panelistId));

        var withdrawn = await browser.SubmitAsync(confirm, "withdraw", new Dictionary<string, string>());

        AssertRedirectsTo(withdrawn, "/my?done=withdrawn");
        Assert.StartsWith("Withdrawn|", await StoredAsync(panelistId), StringComparison.Ordinal);
        var my = await browser.GetAsync("/my?done=withdrawn");
        Assert.Contains(Text("my.done.withdrawn"), my.Text, StringComparison.Ordinal);
        Assert.Contains(Text("my.state.withdrawn"), my.Text, StringComparison.Ordinal);
        Assert.False(my.HasForm("pause"));
        Assert.DoesNotContain("href=\"/my/withdraw\"", my.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_my_data_streams_the_export_as_an_attachment()
    {
        var (browser, panelistId, email) = await host.SignedInResidentAsync();

        var response = await browser.Http.GetAsync("/my/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("panel-my-data.json", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        // Membership's export of this member (the one the resident token names), passed on as it came.
        using var export = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var member = export.RootElement.GetProperty("member");
        Assert.Equal(panelistId, member.GetProperty("panelistId").GetGuid());
        Assert.Equal(email, member.GetProperty("email").GetString());
        Assert.Equal("Active", export.RootElement.GetProperty("membership").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Erasing_without_ticking_the_confirmation_is_refused_by_the_page()
    {
        var (browser, panelistId, _) = await host.SignedInResidentAsync();
        var page = await browser.GetAsync("/my/erase");

        var refused = await browser.SubmitAsync(page, "erase", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        AssertFieldError(refused, "confirm", Text("erase.error.Confirm"));
        Assert.Equal(Unchanged, await StoredAsync(panelistId));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/my")).Status);
    }

    [Fact]
    public async Task Erasing_with_confirmation_erases_signs_the_resident_out_and_says_the_data_is_gone()
    {
        var (browser, panelistId, _) = await host.SignedInResidentAsync();
        var page = await browser.GetAsync("/my/erase");
        Assert.Contains(Text("erase.what1"), page.Text, StringComparison.Ordinal);

        var erased = await browser.SubmitAsync(page, "erase", new Dictionary<string, string> { ["Form.Confirm"] = "true" });

        AssertRedirectsTo(erased, "/erased");
        Assert.Contains(erased.SetCookies, c => c.StartsWith("panel.resident=;", StringComparison.Ordinal));
        Assert.Equal("gone", await StoredAsync(panelistId));
        var goodbye = await browser.GetAsync("/erased");
        Assert.Equal(HttpStatusCode.OK, goodbye.Status);
        Assert.Contains(Text("erased.body"), goodbye.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/my")).Status);
    }

    // ---- /my/consent

    /// <summary>
    /// A member who joined under the consent then current and signs in after a coordinator published a new version
    /// (these texts, each line a paragraph), so Membership asks them to accept it; and that version.
    /// </summary>
    private async Task<(LiveResident Resident, string Version)> ConsentRequiredResidentAsync()
    {
        var email = LiveResidents.NewEmail();
        var id = await host.VerifiedMemberAsync(email);
        var version = await (await host.SignedInAsync()).PublishConsentAsync(
            "Suostun tietojeni käyttöön.\nVoin perua suostumuksen.",
            "Jag samtycker till att mina uppgifter används.\nJag kan återkalla samtycket.",
            "I agree to the use of my data.\nI may withdraw my consent.");
        return (await host.SignInMemberAsync(email, id), version);
    }

    [Fact]
    public async Task The_consent_page_shows_the_current_text_in_the_readers_language_and_accepting_stores_its_version()
    {
        var ((browser, panelistId, _), version) = await ConsentRequiredResidentAsync();

        var page = await browser.GetAsync("/my/consent");
        var english = await browser.GetAsync("/my/consent?lang=en");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("<p>Suostun tietojeni käyttöön.</p>", page.Text, StringComparison.Ordinal);
        Assert.Contains("<p>Voin perua suostumuksen.</p>", page.Text, StringComparison.Ordinal);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, Text("consent.version"), version), page.Text, StringComparison.Ordinal);
        Assert.Contains("I agree to the use of my data.", english.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Suostun", english.Text, StringComparison.Ordinal);

        var accepted = await browser.SubmitAsync(page, "consent", new Dictionary<string, string>());

        AssertRedirectsTo(accepted, "/my?done=consent");
        Assert.Equal(version, await host.Membership.Database.ScalarAsync<string>("SELECT consent_version FROM members WHERE id = @p0", panelistId));
        var my = await browser.GetAsync("/my?done=consent");
        Assert.Contains(Text("my.done.consent"), my.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Text("my.consentRequired"), my.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepting_a_consent_version_that_is_no_longer_current_is_explained()
    {
        var ((browser, _, _), _) = await ConsentRequiredResidentAsync();
        var page = await browser.GetAsync("/my/consent");

        // Version 1, the configured one, is no longer the current one.
        var refused = await browser.SubmitAsync(page, "consent", new Dictionary<string, string> { ["Form.Version"] = "1" });

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains(Text("consent.changed"), refused.Text, StringComparison.Ordinal);
        Assert.True(refused.HasForm("consent"));
    }

    [Fact]
    public async Task My_panel_asks_for_the_new_consent_when_it_is_required()
    {
        var ((browser, _, _), _) = await ConsentRequiredResidentAsync();

        var page = await browser.GetAsync("/my");

        Assert.Contains(Text("my.consentRequired"), page.Text, StringComparison.Ordinal);
        Assert.Contains("href=\"/my/consent\"", page.Html, StringComparison.Ordinal);
    }
}

/// <summary>What the resident sign-in page refuses without asking Membership at all: the echo records every request.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ResidentSignInRequestTests(GatewayHost host)
{
    [Fact]
    public async Task An_empty_email_is_refused_by_the_page_with_the_error_tied_to_the_field()
    {
        var browser = host.NewBrowser();
        var page = await browser.GetAsync("/sign-in");
        var before = host.Backend.RequestsTo("/api/membership/sign-in-links").Count;

        var refused = await browser.SubmitAsync(page, "resident-sign-in", new Dictionary<string, string> { ["Form.Email"] = "" });

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        ResidentPagesTests.AssertFieldError(refused, "email", ResidentPagesTests.Text("residentSignIn.error.Email"));
        Assert.DoesNotContain(ResidentPagesTests.Text("residentSignIn.sentBody"), refused.Text, StringComparison.Ordinal);
        Assert.Equal(before, host.Backend.RequestsTo("/api/membership/sign-in-links").Count);
    }
}
