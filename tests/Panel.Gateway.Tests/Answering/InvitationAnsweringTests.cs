using System.Globalization;
using System.Net;
using System.Text.Json;
using Panel.Gateway.Tests.Residents;
using Panel.Gateway.Tests.Support;
using static Panel.Gateway.Tests.Answering.InvitationAnsweringTests;

namespace Panel.Gateway.Tests.Answering;

/// <summary>The invitation link's journey: the token read once and kept out of URLs, states, saving, language.</summary>
[Collection(AnsweringCollection.Name)]
public sealed class InvitationAnsweringTests(AnsweringHost host)
{
    internal static string Fi(string key, params object[] args) =>
        string.Format(CultureInfo.GetCultureInfo("fi"), GatewayHost.Texts.Get("fi", key), args);

    internal static string Sv(string key, params object[] args) =>
        string.Format(CultureInfo.GetCultureInfo("sv"), GatewayHost.Texts.Get("sv", key), args);

    private IEnumerable<RecordedCall> AnsweringCalls(string token) =>
        host.Calls.Where(r => r.Body.Contains(token, StringComparison.Ordinal));

    /// <summary>A token of the kind a theory names: a real invitation in that state, or one the service fails on.</summary>
    private async Task<string> TokenAsync(string kind)
    {
        switch (kind)
        {
            case "nosuch":
                return AnsweringSurveys.NewToken();
            case "soon":
                return await host.InvitationAsync("approved");
            case "closed":
            {
                var (id, _) = await host.SurveyAsync(AnsweringSurveys.Residents());
                var token = (await host.InviteAsync(id)).Single();
                await host.CloseAsync(id);
                return token;
            }

            case "answered":
            {
                var token = await host.InvitationAsync();
                var (browser, page) = await host.OpenInvitationAsync(token);
                page = await browser.PressAsync(page, "next", ("q.uses", "no"), ("q.visits", "1"));
                page = await browser.PressAsync(page, "submit", QuestionPageTests.Page3);
                Assert.Contains(Fi("answer.thanks.title"), page.Text, StringComparison.Ordinal);
                return token;
            }

            default:
            {
                // Surveys failing (a 500), which the real service does not do on purpose.
                var token = await host.InvitationAsync();
                host.Faults[token] = call => call.Body.Contains(token, StringComparison.Ordinal)
                    ? new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent("boom") }
                    : null;
                return token;
            }
        }
    }

    [Fact]
    public async Task The_link_moves_the_token_into_a_protected_cookie_and_leaves_a_plain_address()
    {
        var token = await host.InvitationAsync();
        var browser = host.NewBrowser();

        var link = await browser.GetAsync("/answer?t=" + token);

        Assert.Equal(HttpStatusCode.Redirect, link.Status);
        Assert.Equal("/answer", link.Location!.PathAndQuery);
        var cookie = Assert.Single(link.SetCookies, c => c.StartsWith("panel.answer=", StringComparison.Ordinal));
        Assert.DoesNotContain(token, cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/answer", cookie, StringComparison.OrdinalIgnoreCase);

        var page = await browser.GetAsync("/answer");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(AnsweringSurveys.TitleFi, page.Text, StringComparison.Ordinal);
        Assert.Contains(AnsweringSurveys.PurposeFi, page.Text, StringComparison.Ordinal);
        Assert.Contains(AnsweringSurveys.ResultsUseFi, page.Text, StringComparison.Ordinal);
        Assert.Contains(Fi("answer.anonymous"), page.Text, StringComparison.Ordinal);
        // Page 2 follows only "yes" to question 1: until then the survey has two pages.
        Assert.Contains(Fi("answer.progress", 1, 2), page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(token, page.Html, StringComparison.Ordinal);
        Assert.True(page.Response.Headers.CacheControl?.NoStore, "The page is cached.");
        // The form posts to the plain address and carries the protected token, not the token itself.
        var form = page.Form("answer");
        Assert.Equal("/answer", form.Action);
        Assert.False(string.IsNullOrEmpty(form.Hidden["s"]));
        Assert.DoesNotContain(token, form.Hidden["s"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_travels_only_in_request_bodies_and_never_reaches_a_log()
    {
        var token = await host.InvitationAsync();
        var (browser, page) = await host.OpenInvitationAsync(token);
        page = await browser.PressAsync(page, "next", ("q.uses", "no"), ("q.visits", "4"));
        page = await browser.PressAsync(page, "submit",
            ("q.priorities.1", "online"), ("q.priorities.2", "hours"),
            ("q.rating.reception", "good"), ("q.rating.waiting", "ok"),
            ("q.budget.lab", "5"), ("q.budget.hours", "5"), ("q.budget.phone", ""));

        Assert.Contains(Fi("answer.thanks.title"), page.Text, StringComparison.Ordinal);
        var calls = AnsweringCalls(token).ToList();
        Assert.Contains(calls, r => r.Method == "POST" && r.Path == "/api/surveys/answering/invitation/form");
        Assert.Contains(calls, r => r.Method == "PUT" && r.Path == "/api/surveys/answering/invitation/draft");
        Assert.Contains(calls, r => r.Method == "POST" && r.Path == "/api/surveys/answering/invitation/submit");
        Assert.All(calls, r => Assert.Equal(token, JsonDocument.Parse(r.Body).RootElement.GetProperty("token").GetString()));
        Assert.All(host.Calls, r =>
        {
            Assert.DoesNotContain(token, r.Path, StringComparison.Ordinal);
            Assert.DoesNotContain(token, r.Query, StringComparison.Ordinal);
            Assert.DoesNotContain(r.Headers, h => h.Value.Contains(token, StringComparison.Ordinal));
        });
        Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(token, StringComparison.Ordinal));
        // The gateway logged its calls (so the check above looked at something).
        Assert.Contains(host.Logs.Lines, line => line.Contains("/api/surveys/answering/invitation/submit", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("nosuch", HttpStatusCode.OK, "answer.unknown.body")]
    [InlineData("answered", HttpStatusCode.Gone, "answer.answered.body")]
    [InlineData("closed", HttpStatusCode.Gone, "answer.closed.body")]
    [InlineData("soon", HttpStatusCode.Conflict, "answer.notOpen.body")]
    [InlineData("down", HttpStatusCode.ServiceUnavailable, "answer.unavailable.body")]
    public async Task A_link_that_cannot_be_answered_is_explained_in_the_residents_language(string kind, HttpStatusCode status, string key)
    {
        var token = await TokenAsync(kind);
        var browser = host.NewBrowser();

        var page = await browser.GetAsync("/answer?t=" + token);
        var swedish = await host.NewBrowser().GetAsync($"/answer?t={token}&lang=sv");

        Assert.Equal(status, page.Status);
        Assert.Contains(Fi(key), page.Text, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", page.Html, StringComparison.Ordinal);
        Assert.False(page.SetsCookie("panel.answer"));
        Assert.False(page.HasForm("answer"));
        Assert.Equal(status, swedish.Status);
        Assert.Contains(Sv(key), swedish.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_link_the_page_asks_to_open_the_email_link_again()
    {
        var page = await host.NewBrowser().GetAsync("/answer");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Fi("answer.expired.body"), page.Text, StringComparison.Ordinal);
        Assert.False(page.HasForm("answer"));
    }

    [Fact]
    public async Task A_forged_protected_token_without_the_cookie_is_no_invitation()
    {
        var browser = host.NewBrowser();

        var forged = await browser.PostFreshAsync("/answer", "answer", ("s", "CfDJ8forged"), ("page", "p1"), ("action", "next"));

        Assert.Equal(HttpStatusCode.OK, forged.Status);
        Assert.Contains(Fi("answer.expired.body"), forged.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Calls, r => r.Body.Contains("CfDJ8forged", StringComparison.Ordinal));
    }
}

/// <summary>Saving for later, two invitations in one browser, and the survey's languages.</summary>
[Collection(AnsweringCollection.Name)]
public sealed class InvitationSessionTests(AnsweringHost host)
{
    [Fact]
    public async Task Save_and_continue_later_keeps_the_draft_ends_the_cookie_and_resumes_where_the_resident_was()
    {
        var token = await host.InvitationAsync();
        var (browser, page) = await host.OpenInvitationAsync(token);
        page = await browser.PressAsync(page, "next", ("q.uses", "yes"), ("q.visits", "7"));

        var saved = await browser.PressAsync(page, "save", ("q.services", "doc"), ("q.services", "nurse"));

        Assert.Equal(HttpStatusCode.OK, saved.Status);
        Assert.Contains(Fi("answer.saved.invitation"), saved.Text, StringComparison.Ordinal);
        Assert.Contains(saved.SetCookies, c => c.StartsWith("panel.answer=;", StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970", StringComparison.Ordinal));
        Assert.Equal(["doc", "nurse"], (await host.DraftAsync(token))!["services"]!.AsArray().Select(e => e!.GetValue<string>()));

        // Later, from the email's link again: the page saved last, with its answers.
        var (_, resumed) = await host.OpenInvitationAsync(token);
        Assert.Equal("p2", resumed.Form("answer").Hidden["page"]);
        Assert.True(QuestionPageTests.IsChecked(resumed, "q4-0"));
        Assert.True(QuestionPageTests.IsChecked(resumed, "q4-1"));
        Assert.False(QuestionPageTests.IsChecked(resumed, "q4-2"));

        // Or at once, with the button of the saved page.
        var continued = await browser.PostAsync(saved, "answer", ("action", "continue"));
        Assert.Equal("p2", continued.Form("answer").Hidden["page"]);
        Assert.True(continued.SetsCookie("panel.answer"));
    }

    [Fact]
    public async Task Each_tab_posts_the_invitation_it_shows_even_when_another_link_was_opened_since()
    {
        var first = await host.InvitationAsync();
        var second = await host.InvitationAsync();
        var (browser, firstPage) = await host.OpenInvitationAsync(first);
        await host.OpenInvitationAsync(second, browser);

        await browser.PressAsync(firstPage, "next", ("q.uses", "no"), ("q.visits", "11"));

        Assert.Equal(11, (await host.DraftAsync(first))!["visits"]!.GetValue<int>());
        Assert.Null(await host.DraftAsync(second));
    }

    [Fact]
    public async Task The_survey_language_button_saves_the_page_and_shows_the_survey_and_the_page_in_swedish()
    {
        var token = await host.InvitationAsync();
        var (browser, page) = await host.OpenInvitationAsync(token);
        Assert.Contains("value=\"lang:sv\"", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"lang:en\"", page.Html, StringComparison.Ordinal);

        var switched = await browser.PressAsync(page, "lang:sv", ("q.uses", "no"), ("q.visits", "2"));

        Assert.Equal(HttpStatusCode.Redirect, switched.Status);
        Assert.Equal("/answer", switched.Location!.PathAndQuery);
        Assert.Contains(switched.SetCookies, c => c.StartsWith(".AspNetCore.Culture=c%3Dsv%7Cuic%3Dsv", StringComparison.Ordinal));
        Assert.Equal(2, (await host.DraftAsync(token))!["visits"]!.GetValue<int>());
        var swedish = await browser.GetAsync("/answer");
        Assert.Contains("<html lang=\"sv\"", swedish.Html, StringComparison.Ordinal);
        Assert.Contains(AnsweringSurveys.TitleSv, swedish.Text, StringComparison.Ordinal);
        Assert.Contains(Sv("answer.saveLater"), swedish.Text, StringComparison.Ordinal);
        Assert.Equal("2", swedish.Element("q3")["value"]);
        Assert.Contains("value=\"lang:fi\"", swedish.Html, StringComparison.Ordinal);
        Assert.Contains(host.Calls, r => r.Path.EndsWith("/invitation/form", StringComparison.Ordinal)
            && r.Body.Contains(token, StringComparison.Ordinal) && r.Body.Contains("\"language\":\"sv\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_sites_language_switch_returns_to_the_plain_answer_address_in_that_language()
    {
        var (browser, page) = await host.OpenInvitationAsync(await host.InvitationAsync());
        Assert.Contains("href=\"/language/sv?returnUrl=%2Fanswer\"", page.Html, StringComparison.Ordinal);

        var chosen = await browser.GetAsync("/language/sv?returnUrl=%2Fanswer");
        var swedish = await browser.GetAsync(chosen.Location!.PathAndQuery);

        Assert.Contains(AnsweringSurveys.TitleSv, swedish.Text, StringComparison.Ordinal);
        Assert.Contains(Sv("answer.next"), swedish.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_in_resident_answers_with_a_resident_token()
    {
        var (browser, panelistId, _) = await host.SignedInResidentAsync();
        var token = await host.InvitationAsync();

        await host.OpenInvitationAsync(token, browser);

        var call = host.Calls.Last(r => r.Body.Contains(token, StringComparison.Ordinal));
        var jwt = await host.ValidTokenAsync(call.BearerToken, "panel-surveys");
        Assert.Equal(panelistId.ToString(), jwt.Subject);
        Assert.Equal("resident", jwt.GetClaim("act_kind").Value);
    }
}
