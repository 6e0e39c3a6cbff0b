using System.Net;
using Panel.Gateway.Tests.Support;
using static Panel.Gateway.Tests.Answering.InvitationAnsweringTests;

namespace Panel.Gateway.Tests.Answering;

/// <summary>"Surveys for you" on My panel, from Membership's GET /api/membership/me/invitations.</summary>
[Collection(AnsweringCollection.Name)]
public sealed class MyPanelSurveysTests(AnsweringHost host)
{
    [Fact]
    public async Task My_panel_lists_the_members_open_surveys_linking_to_their_answering_pages()
    {
        var (browser, panelistId) = await host.ResidentSignedInAsync();
        host.Fake.Invitations[panelistId.ToString()] = (200, """
            [{"surveyId":"0b7c1d10-0000-4000-8000-000000000001","title":"Terveysaseman palvelut","closesAt":"2026-12-31T21:59:00+00:00","answered":false,"token":"ok-mine+1/="},
             {"surveyId":"0b7c1d10-0000-4000-8000-000000000002","title":"Kirjaston aukiolo","closesAt":"2026-11-30T21:59:00+00:00","answered":true,"token":"ok-mine-2"}]
            """);

        var page = await browser.GetAsync("/my");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Fi("answer.mine.title"), page.Text, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/answer?t=ok-mine%2B1%2F%3D\">Terveysaseman palvelut</a>", page.Text, StringComparison.Ordinal);
        Assert.Contains(Fi("answer.mine.closes", "31.12.2026"), page.Text, StringComparison.Ordinal);
        Assert.Contains("Kirjaston aukiolo", page.Text, StringComparison.Ordinal);
        Assert.Contains(Fi("answer.mine.answered"), page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("ok-mine-2", page.Html, StringComparison.Ordinal);
        // The profile is still there.
        Assert.Contains(GatewayHost.Texts.Get("fi", "my.profileTitle"), page.Text, StringComparison.Ordinal);
        var call = host.Fake.Requests.Last(r => r.Path == "/api/membership/me/invitations");
        Assert.Equal(panelistId.ToString(), (await host.ValidTokenAsync(call.BearerToken, "panel-membership")).Subject);
    }

    [Theory]
    [InlineData(200, "[]", "answer.mine.none")]
    [InlineData(404, null, "answer.mine.none")]
    [InlineData(500, null, "answer.mine.unavailable")]
    [InlineData(200, "{\"not\":\"a list\"}", "answer.mine.unavailable")]
    public async Task No_surveys_or_a_list_that_cannot_be_had_leaves_my_panel_working(int status, string? json, string key)
    {
        var (browser, panelistId) = await host.ResidentSignedInAsync();
        host.Fake.Invitations[panelistId.ToString()] = (status, json);

        var page = await browser.GetAsync("/my");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Fi(key), page.Text, StringComparison.Ordinal);
        Assert.Contains(GatewayHost.Texts.Get("fi", "my.profileTitle"), page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_survey_from_my_panel_opens_on_the_answering_page()
    {
        var (browser, panelistId) = await host.ResidentSignedInAsync();
        var token = AnsweringHost.NewToken();
        host.Fake.Invitations[panelistId.ToString()] = (200, $$"""[{"surveyId":"{{FakeAnswering.SurveyId}}","title":"T","closesAt":"2030-01-31T22:00:00+00:00","answered":false,"token":"{{token}}"}]""");
        var my = await browser.GetAsync("/my");
        var href = System.Text.RegularExpressions.Regex.Match(my.Html, "href=\"(/answer\\?t=[^\"]+)\"").Groups[1].Value;

        var (_, page) = await host.OpenInvitationAsync(Uri.UnescapeDataString(href["/answer?t=".Length..]), browser);

        Assert.Contains(FakeAnswering.SurveyTitleFi, page.Text, StringComparison.Ordinal);
    }
}
