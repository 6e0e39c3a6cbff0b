using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Panel.Gateway.Tests.Residents;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;
using Panel.TestSupport;
using static Panel.Gateway.Tests.Answering.InvitationAnsweringTests;

namespace Panel.Gateway.Tests.Answering;

/// <summary>"Surveys for you" on My panel, from Membership's GET /api/membership/me/invitations: members invited by the real flow.</summary>
[Collection(AnsweringCollection.Name)]
public sealed class MyPanelSurveysTests(AnsweringHost host)
{
    private static readonly TimeSpan MailTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// An open survey whose target group is the panel members of <see cref="AnsweringHost.PanelMunicipality"/> (k of
    /// them at least, so Membership invites); waits for <paramref name="email"/>'s invitation email and returns the
    /// survey, the token of its link and when it closes.
    /// </summary>
    private async Task<(Guid Id, string Token, DateTimeOffset ClosesAt)> InvitedAsync(string email, string title)
    {
        await host.PanelMembersAsync();
        var before = host.Membership.Smtp.MessagesTo(email).Count;
        var definition = AnsweringSurveys.Residents();
        definition["title"] = new JsonObject { ["fi"] = title, ["sv"] = title + " (sv)" };
        var staff = await host.CoordinatorAsync();
        var (id, _) = await host.SurveyAsync(definition, staff: staff, targetGroup: new JsonObject
        {
            ["mode"] = "panel", ["criteria"] = new JsonObject { ["municipalities"] = new JsonArray(AnsweringHost.PanelMunicipality) },
            ["reminders"] = new JsonObject { ["afterDays"] = 1, ["max"] = 0 },
        });
        var mails = await host.Membership.Smtp.WaitForMessagesToAsync(email, before + 1, MailTimeout);
        var link = System.Text.RegularExpressions.Regex.Match(mails[before].TextBody ?? "", @"https?://\S+/answer\?t=([A-Za-z0-9_\-%]+)");
        Assert.True(link.Success, $"no /answer?t= link in the email \"{mails[before].Subject}\"");
        var token = Uri.UnescapeDataString(link.Groups[1].Value);
        var survey = await staff.Http.GetFromJsonAsync<JsonObject>($"/api/surveys/{id}");
        return (id, token, survey!["closesAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task My_panel_lists_the_members_open_surveys_linking_to_their_answering_pages()
    {
        var (browser, panelistId, email) = await host.SignedInResidentAsync(municipality: AnsweringHost.PanelMunicipality);
        var health = $"Terveysaseman palvelut {Guid.NewGuid():N}";
        var library = $"Kirjaston aukiolo {Guid.NewGuid():N}";
        var (_, open, closesAt) = await InvitedAsync(email, health);
        var (_, answered, _) = await InvitedAsync(email, library);
        var (answering, page) = await host.OpenInvitationAsync(answered);
        page = await answering.PressAsync(page, "next", ("q.uses", "no"), ("q.visits", "1"));
        Assert.Contains(Fi("answer.thanks.title"), (await answering.PressAsync(page, "submit", QuestionPageTests.Page3)).Text, StringComparison.Ordinal);

        // Membership learns of the answer from Surveys' notices.
        var my = await Eventually.UntilAsync(() => browser.GetAsync("/my"), p => p.Text.Contains(Fi("answer.mine.answered"), StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "my panel to show the survey answered");

        Assert.Equal(HttpStatusCode.OK, my.Status);
        Assert.Contains(Fi("answer.mine.title"), my.Text, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/answer?t={Uri.EscapeDataString(open)}\">{health}</a>", my.Text, StringComparison.Ordinal);
        var closes = TimeZoneInfo.ConvertTime(closesAt, CountyTime.Zone).ToString("d", CultureInfo.GetCultureInfo("fi"));
        Assert.Contains(Fi("answer.mine.closes", closes), my.Text, StringComparison.Ordinal);
        Assert.Contains(library, my.Text, StringComparison.Ordinal);
        Assert.Contains(Fi("answer.mine.answered"), my.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(answered, my.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(answered), my.Html, StringComparison.Ordinal);
        // The profile is still there.
        Assert.Contains(GatewayHost.Texts.Get("fi", "my.profileTitle"), my.Text, StringComparison.Ordinal);
        var call = host.Calls.Last(r => r.Path == "/api/membership/me/invitations");
        Assert.Equal(panelistId.ToString(), (await host.ValidTokenAsync(call.BearerToken, "panel-membership")).Subject);
    }

    [Theory]
    [InlineData(200, "[]", "answer.mine.none")]
    [InlineData(404, null, "answer.mine.none")]
    [InlineData(500, null, "answer.mine.unavailable")]
    [InlineData(200, "{\"not\":\"a list\"}", "answer.mine.unavailable")]
    public async Task No_surveys_or_a_list_that_cannot_be_had_leaves_my_panel_working(int status, string? json, string key)
    {
        var browser = (await host.SignedInResidentAsync()).Browser;
        // A member without invitations is the real service's own answer; a 404 (a member who is no longer there while
        // the session lasts), a 500 and a body that is not a list are put in front of it.
        var fault = $"me-invitations-{Guid.NewGuid():N}";
        if (json != "[]")
        {
            host.Faults[fault] = call => call.Path == "/api/membership/me/invitations"
                ? new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(json ?? "", Encoding.UTF8, "application/json") }
                : null;
        }

        try
        {
            var page = await browser.GetAsync("/my");

            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Contains(Fi(key), page.Text, StringComparison.Ordinal);
            Assert.Contains(GatewayHost.Texts.Get("fi", "my.profileTitle"), page.Text, StringComparison.Ordinal);
        }
        finally
        {
            host.Faults.TryRemove(fault, out _);
        }
    }

    [Fact]
    public async Task A_survey_from_my_panel_opens_on_the_answering_page()
    {
        var (browser, _, email) = await host.SignedInResidentAsync(municipality: AnsweringHost.PanelMunicipality);
        var title = $"Terveysaseman palvelut {Guid.NewGuid():N}";
        await InvitedAsync(email, title);
        var my = await browser.GetAsync("/my");
        var href = System.Text.RegularExpressions.Regex.Match(my.Html, "href=\"(/answer\\?t=[^\"]+)\"").Groups[1].Value;

        var (_, page) = await host.OpenInvitationAsync(Uri.UnescapeDataString(href["/answer?t=".Length..]), browser);

        Assert.Contains(title, page.Text, StringComparison.Ordinal);
    }
}
