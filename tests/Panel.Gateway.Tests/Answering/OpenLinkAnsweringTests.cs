using System.Net;
using System.Text.Json;
using Panel.Gateway.Tests.Support;
using static Panel.Gateway.Tests.Answering.InvitationAnsweringTests;

namespace Panel.Gateway.Tests.Answering;

/// <summary>The open link /answer/open/{publicId}: answering without an invitation, the resume code, the states.</summary>
[Collection(AnsweringCollection.Name)]
public sealed class OpenLinkAnsweringTests(AnsweringHost host)
{
    private static string PathOf(string publicId) => "/answer/open/" + publicId;

    private async Task<string> OpenLinkAsync(string state = "open") =>
        (await host.SurveyAsync(AnsweringSurveys.Residents(), state, openLink: true)).PublicId!;

    private static readonly (string, string)[] Page3 =
    [
        ("q.priorities.1", "access"), ("q.priorities.2", "phone"), ("q.rating.reception", "bad"), ("q.rating.waiting", "good"),
        ("q.budget.lab", ""), ("q.budget.hours", "10"), ("q.budget.phone", ""),
    ];

    private IEnumerable<RecordedCall> OpenCalls => host.Calls.Where(r => r.Path.Contains("/answering/open/", StringComparison.Ordinal));

    [Fact]
    public async Task An_open_survey_is_answered_page_by_page_and_its_resume_code_stays_out_of_every_address()
    {
        var publicId = await OpenLinkAsync();
        var path = PathOf(publicId);
        var browser = host.NewBrowser();
        var page = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(AnsweringSurveys.TitleFi, page.Text, StringComparison.Ordinal);
        Assert.Equal(path, page.Form("answer").Action);
        Assert.Equal("", page.Form("answer").Hidden["s"]);
        Assert.True(page.HasForm("resume"));

        var third = await browser.PressAsync(page, "next", ("q.uses", "no"), ("q.visits", "1"));
        var cookie = Assert.Single(third.SetCookies, c => c.StartsWith("panel.answer.open=", StringComparison.Ordinal));
        Assert.Contains("path=" + path, cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        var code = OpenCalls.Where(r => r.Path.Contains(publicId, StringComparison.Ordinal))
            .Select(r => JsonDocument.Parse(r.Body).RootElement).Where(b => b.TryGetProperty("resumeCode", out _)).ToList();
        Assert.Empty(code);
        Assert.False(third.HasForm("resume"));

        var thanks = await browser.PressAsync(third, "submit", Page3);

        Assert.Contains(Fi("answer.thanks.title"), thanks.Text, StringComparison.Ordinal);
        Assert.Contains(AnsweringSurveys.ResultsUseFi, thanks.Text, StringComparison.Ordinal);
        Assert.Contains(thanks.SetCookies, c => c.StartsWith("panel.answer.open=;", StringComparison.Ordinal));
        var submit = OpenCalls.Single(r => r.Path == $"/api/surveys/answering/open/{publicId}/submit" && r.Body.Contains("resumeCode", StringComparison.Ordinal));
        var resumeCode = JsonDocument.Parse(submit.Body).RootElement.GetProperty("resumeCode").GetString()!;
        Assert.Equal(1, await host.Surveys.Database.ScalarAsync<long>(
            "SELECT count(*) FROM pending_responses p JOIN surveys s ON s.id = p.survey_id WHERE s.public_id = @p0", publicId));
        Assert.Null(await host.DraftAsync("resume:" + resumeCode));
        Assert.All(host.Calls, r => Assert.DoesNotContain(resumeCode, r.Path + r.Query, StringComparison.Ordinal));
        Assert.DoesNotContain(resumeCode, third.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(resumeCode, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Saving_for_later_shows_the_code_and_the_code_brings_the_answers_back_on_another_device()
    {
        var path = PathOf(await OpenLinkAsync());
        var browser = host.NewBrowser();
        var page = await browser.GetAsync(path);
        page = await browser.PressAsync(page, "next", ("q.uses", "yes"), ("q.visits", "5"));

        var saved = await browser.PressAsync(page, "save", ("q.services", "lab"), ("q.services", "dental"), ("q.recommend", "7"));

        Assert.Contains(Fi("answer.saved.codeLead"), saved.Text, StringComparison.Ordinal);
        var code = System.Text.RegularExpressions.Regex.Match(saved.Html, "<p class=\"resume-code\"><code>([^<]+)</code>").Groups[1].Value;
        Assert.True(await host.DraftAsync("resume:" + code) is not null, $"'{code}' is not the saved draft's code.");
        Assert.Contains("http://localhost" + path, saved.Text, StringComparison.Ordinal);
        Assert.Contains(saved.SetCookies, c => c.StartsWith("panel.answer.open=;", StringComparison.Ordinal));

        var other = host.NewBrowser();
        var start = await other.GetAsync(path);
        var wrong = await other.PostAsync(start, "resume", ("code", "not-the-code"));
        Assert.Equal("", wrong.Form("answer").Hidden["s"]);
        Assert.Equal("true", wrong.Element("resume-code")["aria-invalid"]);
        Assert.Contains(Fi("answer.resume.error"), wrong.Text, StringComparison.Ordinal);

        var resumed = await other.PostAsync(start, "resume", ("code", " " + code + " "));

        Assert.Equal("p2", resumed.Form("answer").Hidden["page"]);
        Assert.True(QuestionPageTests.IsChecked(resumed, "q4-2"));
        Assert.True(QuestionPageTests.IsChecked(resumed, "q6-7"));
        Assert.NotEqual("", resumed.Form("answer").Hidden["s"]);
        Assert.DoesNotContain(code, resumed.Html, StringComparison.Ordinal);
        // The same browser finds its answers on the link again (the cookie), without typing the code.
        var again = await other.GetAsync(path);
        Assert.Equal("p2", again.Form("answer").Hidden["page"]);
    }

    [Fact]
    public async Task A_busy_survey_keeps_the_page_and_its_answers_and_says_to_try_again()
    {
        var path = PathOf(await OpenLinkAsync());
        // Another resident took the minute's one new draft the survey allows (AnsweringHost).
        var other = host.NewBrowser();
        var started = await other.PressAsync(await other.GetAsync(path), "next", ("q.uses", "no"), ("q.visits", "2"));
        Assert.Equal("p3", started.Form("answer").Hidden["page"]);
        var browser = host.NewBrowser();
        var page = await browser.GetAsync(path);

        var busy = await browser.PressAsync(page, "next", ("q.uses", "no"), ("q.visits", "9"));

        Assert.Equal(HttpStatusCode.TooManyRequests, busy.Status);
        Assert.Contains(Fi("answer.busy.body"), busy.Text, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", busy.Html, StringComparison.Ordinal);
        Assert.Equal("p1", busy.Form("answer").Hidden["page"]);
        Assert.Equal("9", busy.Element("q3")["value"]);
    }

    [Theory]
    [InlineData("closed", HttpStatusCode.Gone, "answer.closed.body")]
    [InlineData("NoSuchSurvey", HttpStatusCode.OK, "answer.unknown.body")]
    [InlineData("bad%20id%3F", HttpStatusCode.OK, "answer.unknown.body")]
    public async Task An_open_link_that_cannot_be_answered_is_explained(string publicId, HttpStatusCode status, string key)
    {
        if (publicId == "closed")
        {
            publicId = await OpenLinkAsync("closed");
        }

        var page = await host.NewBrowser().GetAsync("/answer/open/" + publicId);

        Assert.Equal(status, page.Status);
        Assert.Contains(Fi(key), page.Text, StringComparison.Ordinal);
        Assert.False(page.HasForm("answer"));
    }
}
