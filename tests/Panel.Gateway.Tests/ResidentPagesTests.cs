using System.Net;
using System.Text.Json;
using Panel.Gateway.Tests.Support;

namespace Panel.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class ResidentPagesTests(GatewayHost host)
{
    private static string Text(string key) => GatewayHost.Texts.Get("fi", key);

    private static void AssertRedirectsTo(Page page, string pathAndQuery)
    {
        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal("localhost", page.Location!.Host);
        Assert.Equal(pathAndQuery, page.Location.PathAndQuery);
    }

    /// <summary>An input tied to its error: aria-invalid, and aria-describedby naming the message on the page.</summary>
    private static void AssertFieldError(Page page, string inputId, string message)
    {
        var input = page.Element(inputId);
        Assert.Equal("true", input["aria-invalid"]);
        Assert.Contains(inputId + "-error", input["aria-describedby"].Split(' '));
        Assert.True(page.HasElement(inputId + "-error"), $"No {inputId}-error on the page.");
        Assert.Contains(message, page.Text, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"#{inputId}\">", page.Html, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", page.Html, StringComparison.Ordinal);
    }

    private static string Until(int daysAhead) =>
        DateOnly.FromDateTime(DateTime.UtcNow).AddDays(daysAhead).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    // ---- /verify

    [Fact]
    public async Task Confirming_the_email_posts_the_token_and_offers_sign_in()
    {
        var browser = host.NewBrowser();
        var token = $"verify-{Guid.NewGuid():N}";
        var page = await browser.GetAsync("/verify?token=" + token);
        Assert.DoesNotContain(host.Backend.BodiesSentTo("/api/membership/verifications"), b => b.GetProperty("token").GetString() == token);

        var confirmed = await browser.SubmitAsync(page, "verify", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.OK, confirmed.Status);
        Assert.Contains(host.Backend.BodiesSentTo("/api/membership/verifications"), b => b.GetProperty("token").GetString() == token);
        Assert.Contains(Text("verify.doneTitle"), confirmed.Text, StringComparison.Ordinal);
        Assert.Contains("href=\"/sign-in\"", confirmed.Html, StringComparison.Ordinal);
        Assert.False(confirmed.HasForm("verify"));
    }

    [Fact]
    public async Task An_invalid_or_expired_confirmation_link_is_explained()
    {
        var browser = host.NewBrowser();
        var page = await browser.GetAsync("/verify?token=" + EchoBackend.BadToken);

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
        var email = $"someone-{Guid.NewGuid():N}@example.fi";
        var browser = host.NewBrowser();
        var page = await browser.GetAsync("/sign-in");

        var sent = await browser.SubmitAsync(page, "resident-sign-in", new Dictionary<string, string> { ["Form.Email"] = email });

        Assert.Equal(HttpStatusCode.OK, sent.Status);
        Assert.Contains(host.Backend.BodiesSentTo("/api/membership/sign-in-links"), b => b.GetProperty("email").GetString() == email);
        Assert.Contains(Text("residentSignIn.sentBody"), sent.Text, StringComparison.Ordinal);
        Assert.False(sent.SetsCookie("panel.resident"));
    }

    [Fact]
    public async Task An_empty_email_is_refused_by_the_page_with_the_error_tied_to_the_field()
    {
        var browser = host.NewBrowser();
        var page = await browser.GetAsync("/sign-in");
        var before = host.Backend.RequestsTo("/api/membership/sign-in-links").Count;

        var refused = await browser.SubmitAsync(page, "resident-sign-in", new Dictionary<string, string> { ["Form.Email"] = "" });

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        AssertFieldError(refused, "email", Text("residentSignIn.error.Email"));
        Assert.DoesNotContain(Text("residentSignIn.sentBody"), refused.Text, StringComparison.Ordinal);
        Assert.Equal(before, host.Backend.RequestsTo("/api/membership/sign-in-links").Count);
    }

    [Fact]
    public async Task An_email_the_service_refuses_is_shown_at_the_field()
    {
        var email = $"{EchoBackend.RejectedEmailMarker}-{Guid.NewGuid():N}@example.fi";
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
        var (browser, panelistId) = await host.ResidentSignedInAsync();

        var page = await browser.GetAsync("/my");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(EchoBackend.EmailOf(panelistId.ToString()), page.Text, StringComparison.Ordinal);
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
    public async Task Saving_the_profile_puts_it_to_membership_and_says_so()
    {
        var (browser, panelistId) = await host.ResidentSignedInAsync();
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
        var put = host.Backend.RequestsTo("/api/membership/me").Last(r => r.Method == "PUT");
        var body = JsonDocument.Parse(put.Body).RootElement;
        Assert.Equal("040 123 4567", body.GetProperty("phone").GetString());
        Assert.Equal(1975, body.GetProperty("birthYear").GetInt32());
        Assert.Equal("Nokia", body.GetProperty("municipality").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("gender").ValueKind);
        Assert.Equal("sv", body.GetProperty("language").GetString());
        Assert.False(body.GetProperty("isClient").GetBoolean());
        Assert.Equal("sms", body.GetProperty("contactChannel").GetString());
        var token = await host.ValidTokenAsync(put.BearerToken, "panel-membership");
        Assert.Equal(panelistId.ToString(), token.Claim("sub"));
        var after = await browser.GetAsync(saved.Location!.PathAndQuery);
        Assert.Contains(Text("my.done.profile"), after.Text, StringComparison.Ordinal);
        Assert.Contains("<option value=\"Nokia\" selected", after.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_profile_field_the_service_refuses_is_summarised_and_tied_to_its_input()
    {
        var (browser, _) = await host.ResidentSignedInAsync();
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
    }

    [Fact]
    public async Task A_birth_year_that_is_not_a_number_is_refused_without_calling_the_service()
    {
        var (browser, _) = await host.ResidentSignedInAsync();
        var page = await browser.GetAsync("/my");
        var before = host.Backend.RequestsTo("/api/membership/me").Count(r => r.Method == "PUT");

        var refused = await browser.SubmitAsync(page, "profile", new Dictionary<string, string>
        {
            ["Profile.BirthYear"] = "1980s",
            ["Profile.Municipality"] = "Tampere",
            ["Profile.Language"] = "fi",
            ["Profile.ContactChannel"] = "email",
        });

        AssertFieldError(refused, "birthYear", Text("join.birthYearNumber"));
        Assert.Equal(before, host.Backend.RequestsTo("/api/membership/me").Count(r => r.Method == "PUT"));
    }

    [Fact]
    public async Task Pausing_until_a_date_and_resuming_change_the_membership_state()
    {
        var (browser, _) = await host.ResidentSignedInAsync();
        var page = await browser.GetAsync("/my");
        var until = Until(30);

        var paused = await browser.SubmitAsync(page, "pause", new Dictionary<string, string> { ["Pause.Until"] = until });

        AssertRedirectsTo(paused, "/my?done=paused");
        Assert.Contains(host.Backend.BodiesSentTo("/api/membership/me/pause"), b => b.GetProperty("until").GetString() == until);
        var pausedPage = await browser.GetAsync("/my?done=paused");
        Assert.Contains(Text("my.done.paused"), pausedPage.Text, StringComparison.Ordinal);
        Assert.True(pausedPage.HasForm("resume"));
        Assert.False(pausedPage.HasForm("pause"));

        var before = host.Backend.RequestsTo("/api/membership/me/resume").Count;
        var resumed = await browser.SubmitAsync(pausedPage, "resume", new Dictionary<string, string>());

        AssertRedirectsTo(resumed, "/my?done=resumed");
        Assert.Equal(before + 1, host.Backend.RequestsTo("/api/membership/me/resume").Count);
        var activePage = await browser.GetAsync("/my?done=resumed");
        Assert.Contains(Text("my.state.active"), activePage.Text, StringComparison.Ordinal);
        Assert.True(activePage.HasForm("pause"));
    }

    [Fact]
    public async Task The_pause_field_offers_a_date_picker_from_tomorrow_to_a_year_ahead()
    {
        var (browser, _) = await host.ResidentSignedInAsync();

        var page = await browser.GetAsync("/my");

        var input = page.Element("until");
        Assert.Equal("date", input["type"]);
        Assert.Equal(Until(1), input["min"]);
        Assert.Contains("until-hint", input["aria-describedby"].Split(' '));
    }

    [Fact]
    public async Task A_pause_date_the_service_refuses_is_shown_at_the_date_field()
    {
        var (browser, _) = await host.ResidentSignedInAsync();
        var page = await browser.GetAsync("/my");

        var refused = await browser.SubmitAsync(page, "pause", new Dictionary<string, string> { ["Pause.Until"] = "2000-01-01" });

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        AssertFieldError(refused, "until", Text("my.error.Until"));
        Assert.Contains(host.Backend.BodiesSentTo("/api/membership/me/pause"), b => b.GetProperty("until").GetString() == "2000-01-01");
    }

    [Fact]
    public async Task A_pause_date_that_is_not_a_date_is_refused_by_the_page()
    {
        var (browser, _) = await host.ResidentSignedInAsync();
        var page = await browser.GetAsync("/my");
        var before = host.Backend.RequestsTo("/api/membership/me/pause").Count;

        var refused = await browser.SubmitAsync(page, "pause", new Dictionary<string, string> { ["Pause.Until"] = "next week" });

        AssertFieldError(refused, "until", Text("my.error.Until"));
        Assert.Equal(before, host.Backend.RequestsTo("/api/membership/me/pause").Count);
    }

    [Fact]
    public async Task Withdrawing_asks_for_confirmation_first_and_then_withdraws()
    {
        var (browser, _) = await host.ResidentSignedInAsync();
        var before = host.Backend.RequestsTo("/api/membership/me/withdraw").Count;

        var confirm = await browser.GetAsync("/my/withdraw");

        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        Assert.Contains(Text("withdraw.point1"), confirm.Text, StringComparison.Ordinal);
        Assert.Equal(before, host.Backend.RequestsTo("/api/membership/me/withdraw").Count);

        var withdrawn = await browser.SubmitAsync(confirm, "withdraw", new Dictionary<string, string>());

        AssertRedirectsTo(withdrawn, "/my?done=withdrawn");
        Assert.Equal(before + 1, host.Backend.RequestsTo("/api/membership/me/withdraw").Count);
        var my = await browser.GetAsync("/my?done=withdrawn");
        Assert.Contains(Text("my.done.withdrawn"), my.Text, StringComparison.Ordinal);
        Assert.Contains(Text("my.state.withdrawn"), my.Text, StringComparison.Ordinal);
        Assert.False(my.HasForm("pause"));
        Assert.DoesNotContain("href=\"/my/withdraw\"", my.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_my_data_streams_the_export_as_an_attachment()
    {
        var (browser, panelistId) = await host.ResidentSignedInAsync();

        var response = await browser.Http.GetAsync("/my/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("panel-my-data.json", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        Assert.Equal(EchoBackend.ExportJsonFor(panelistId.ToString()), await response.Content.ReadAsStringAsync());
        var seen = host.Backend.RequestsTo("/api/membership/me/export").Last();
        var token = await host.ValidTokenAsync(seen.BearerToken, "panel-membership");
        Assert.Equal("resident", token.Claim("act_kind"));
        Assert.Equal(panelistId.ToString(), token.Claim("sub"));
    }

    [Fact]
    public async Task Erasing_without_ticking_the_confirmation_is_refused_by_the_page()
    {
        var (browser, _) = await host.ResidentSignedInAsync();
        var page = await browser.GetAsync("/my/erase");
        var before = host.Backend.RequestsTo("/api/membership/me/erase").Count;

        var refused = await browser.SubmitAsync(page, "erase", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        AssertFieldError(refused, "confirm", Text("erase.error.Confirm"));
        Assert.Equal(before, host.Backend.RequestsTo("/api/membership/me/erase").Count);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/my")).Status);
    }

    [Fact]
    public async Task Erasing_with_confirmation_erases_signs_the_resident_out_and_says_the_data_is_gone()
    {
        var (browser, panelistId) = await host.ResidentSignedInAsync();
        var page = await browser.GetAsync("/my/erase");
        Assert.Contains(Text("erase.what1"), page.Text, StringComparison.Ordinal);

        var erased = await browser.SubmitAsync(page, "erase", new Dictionary<string, string> { ["Form.Confirm"] = "true" });

        AssertRedirectsTo(erased, "/erased");
        Assert.Contains(erased.SetCookies, c => c.StartsWith("panel.resident=;", StringComparison.Ordinal));
        var call = host.Backend.RequestsTo("/api/membership/me/erase").Last();
        Assert.True(JsonDocument.Parse(call.Body).RootElement.GetProperty("confirm").GetBoolean());
        Assert.Equal(panelistId.ToString(), (await host.ValidTokenAsync(call.BearerToken, "panel-membership")).Claim("sub"));
        var goodbye = await browser.GetAsync("/erased");
        Assert.Equal(HttpStatusCode.OK, goodbye.Status);
        Assert.Contains(Text("erased.body"), goodbye.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/my")).Status);
    }

    // ---- /my/consent

    [Fact]
    public async Task The_consent_page_shows_the_current_text_in_the_readers_language_and_accepting_stores_its_version()
    {
        var browser = host.NewBrowser();
        var link = await browser.GetAsync("/sign-in/link?token=" + EchoBackend.ConsentRequiredToken);
        await browser.SubmitAsync(link, "sign-in-link", new Dictionary<string, string>());

        var page = await browser.GetAsync("/my/consent");
        var english = await browser.GetAsync("/my/consent?lang=en");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("<p>Suostun tietojeni käyttöön.</p>", page.Text, StringComparison.Ordinal);
        Assert.Contains("<p>Voin perua suostumuksen.</p>", page.Text, StringComparison.Ordinal);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, Text("consent.version"), EchoBackend.ConsentVersion), page.Text, StringComparison.Ordinal);
        Assert.Contains("I agree to the use of my data.", english.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Suostun", english.Text, StringComparison.Ordinal);

        var accepted = await browser.SubmitAsync(page, "consent", new Dictionary<string, string>());

        AssertRedirectsTo(accepted, "/my?done=consent");
        var body = host.Backend.BodiesSentTo("/api/membership/me/consent").Last();
        Assert.Equal(EchoBackend.ConsentVersion, body.GetProperty("version").GetString());
        var my = await browser.GetAsync("/my?done=consent");
        Assert.Contains(Text("my.done.consent"), my.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Text("my.consentRequired"), my.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepting_a_consent_version_that_is_no_longer_current_is_explained()
    {
        var browser = host.NewBrowser();
        var link = await browser.GetAsync("/sign-in/link?token=" + EchoBackend.ConsentRequiredToken);
        await browser.SubmitAsync(link, "sign-in-link", new Dictionary<string, string>());
        var page = await browser.GetAsync("/my/consent");

        var refused = await browser.SubmitAsync(page, "consent", new Dictionary<string, string> { ["Form.Version"] = "1" });

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains(Text("consent.changed"), refused.Text, StringComparison.Ordinal);
        Assert.True(refused.HasForm("consent"));
    }

    [Fact]
    public async Task My_panel_asks_for_the_new_consent_when_it_is_required()
    {
        var browser = host.NewBrowser();
        var link = await browser.GetAsync("/sign-in/link?token=" + EchoBackend.ConsentRequiredToken);
        await browser.SubmitAsync(link, "sign-in-link", new Dictionary<string, string>());

        var page = await browser.GetAsync("/my");

        Assert.Contains(Text("my.consentRequired"), page.Text, StringComparison.Ordinal);
        Assert.Contains("href=\"/my/consent\"", page.Html, StringComparison.Ordinal);
    }
}
