using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;
using static Panel.Gateway.Tests.StaffSurveys.LiveSurveySetup;

namespace Panel.Gateway.Tests.StaffSurveys;

/// <summary>Submitting, reviewing, approving, closing and publishing a survey, its target group and its invitation progress, in front of the real Surveys and Membership.</summary>
[Collection(LiveGatewayCollection.Name)]
public sealed class SurveyLifecyclePagesTests(LiveGatewayHost host)
{
    [Fact]
    public async Task Submitting_for_review_posts_submit_and_a_409_shows_the_reasons()
    {
        var (browser, id) = await host.AuthorWithSurveyAsync();
        var page = await browser.GetAsync($"/staff/surveys/{id}");

        var submitted = await browser.PostFormAsync(page, "submit");

        Assert.Equal("in-review", await browser.StateAsync(id));
        Assert.Equal(Fi("surveys.state.in-review"), submitted.Text[(submitted.Text.IndexOf("id=\"survey-state\">", StringComparison.Ordinal) + 18)..].Split('<')[0]);

        var content = Content();
        content["pages"] = new JsonArray(new JsonObject { ["id"] = "p1", ["questions"] = new JsonArray() });
        var empty = await browser.CreateSurveyAsync(content);
        var emptyPage = await browser.GetAsync($"/staff/surveys/{empty}");
        var refused = await browser.PostFormAsync(emptyPage, "submit");
        Assert.Contains(Fi("surveys.problem.conflict"), refused.Text, StringComparison.Ordinal);
        Assert.Contains("The survey has no questions.", refused.Text, StringComparison.Ordinal);
        Assert.Equal("draft", await browser.StateAsync(empty));
    }

    [Fact]
    public async Task Only_a_coordinator_gets_the_close_button_and_publishing_is_for_communications_and_coordinators()
    {
        var author = await host.StaffBrowserAsync(PanelRoles.SurveyAuthor);
        var open = await host.SurveyInStateAsync("open", author: author);
        var closed = await host.SurveyInStateAsync("closed", author: author);
        var communications = await host.StaffBrowserAsync(PanelRoles.Communications);
        var coordinator = await host.StaffBrowserAsync(PanelRoles.Coordinator);
        Assert.True((await author.GetAsync($"/staff/surveys/{open}")).HasElement("survey-state"));

        Assert.False((await author.GetAsync($"/staff/surveys/{open}")).HasForm("close"));
        Assert.False((await communications.GetAsync($"/staff/surveys/{open}")).HasForm("close"));
        Assert.False((await author.GetAsync($"/staff/surveys/{closed}")).HasForm("publish"));
        var publishPage = await communications.GetAsync($"/staff/surveys/{closed}");
        Assert.True(publishPage.HasForm("publish"));

        var closePage = await coordinator.GetAsync($"/staff/surveys/{open}");
        var closedNow = await coordinator.PostFormAsync(closePage, "close");
        Assert.Equal("closed", await coordinator.StateAsync(open));
        Assert.Contains(Fi("surveys.done.closed"), closedNow.Text, StringComparison.Ordinal);

        var published = await communications.PostFormAsync(publishPage, "publish");
        Assert.Equal("results-published", await coordinator.StateAsync(closed));
        Assert.Contains(Fi("surveys.done.published"), published.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_transition_refused_with_409_shows_the_api_reason()
    {
        var browser = await host.StaffBrowserAsync(PanelRoles.Coordinator);
        var id = await host.SurveyInStateAsync("closed");
        var page = await browser.GetAsync($"/staff/surveys/{id}");
        // Someone published the results meanwhile: publishing again is refused with 409.
        await SucceedsAsync(await (await host.CoordinatorAsync()).Http.PostAsJsonAsync($"/api/surveys/{id}/publish-results", new { }));

        var refused = await browser.PostFormAsync(page, "publish");

        Assert.Contains(Fi("surveys.problem.conflict"), refused.Text, StringComparison.Ordinal);
        Assert.Contains("Results are published after the survey has closed, once.", refused.Text, StringComparison.Ordinal);
        Assert.Equal("results-published", await browser.StateAsync(id));
    }

    [Fact]
    public async Task A_transition_refused_with_403_shows_that_the_role_does_not_allow_it_and_why()
    {
        // A domain contact of the survey's area who also administers IT: once the survey moves to another area, they
        // still see it (as IT administrator) but may no longer submit it, and Surveys says why.
        var (browser, _) = await host.StaffAsync([PanelRoles.DomainContact, PanelRoles.ItAdmin], Area);
        var coordinator = await host.CoordinatorAsync();
        var id = await coordinator.CreateSurveyAsync();
        var page = await browser.GetAsync($"/staff/surveys/{id}");
        Assert.True(page.HasForm("submit"));
        await SucceedsAsync(await coordinator.Http.PatchAsJsonAsync($"/api/surveys/{id}", new JsonObject { ["serviceArea"] = "oral-health" }));

        var refused = await browser.PostFormAsync(page, "submit");

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains(Fi("surveys.problem.forbidden"), refused.Text, StringComparison.Ordinal);
        Assert.Contains("a domain contact of its service area", refused.Text, StringComparison.Ordinal);
        Assert.Equal("draft", await coordinator.StateAsync(id));
    }

    /// <summary>A survey in review and its review page as a domain contact of its area.</summary>
    private async Task<(Browser Contact, Guid Id, Page Page)> ReviewPageAsync()
    {
        var id = await host.SurveyInStateAsync("in-review");
        var (contact, _) = await host.StaffAsync([PanelRoles.DomainContact], Area);
        return (contact, id, await contact.GetAsync($"/staff/surveys/{id}/review"));
    }

    [Fact]
    public async Task Review_comments_are_posted_kept_and_listed_and_a_return_to_draft_is_sent_as_such()
    {
        var (contact, id, page) = await ReviewPageAsync();
        Assert.True(page.HasForm("review"));
        Assert.False(page.HasForm("schedule"));

        var commented = await contact.PostFormAsync(page, "review", ("comment", "Kysymys 2 on epäselvä."), ("decision", "comment"));
        Assert.Contains("Kysymys 2 on epäselvä.", commented.Text, StringComparison.Ordinal);

        var returned = await contact.PostFormAsync(commented, "review", ("comment", "Korjaa ja lähetä uudelleen."), ("decision", "return"));
        var reviews = (await contact.Http.GetFromJsonAsync<JsonArray>($"/api/surveys/{id}/reviews"))!;
        Assert.Equal(["comment", "returned-to-draft"], reviews.Select(r => r!["decision"]!.ToString()));
        Assert.Contains("Kysymys 2 on epäselvä.", returned.Text, StringComparison.Ordinal);
        Assert.Contains("Korjaa ja lähetä uudelleen.", returned.Text, StringComparison.Ordinal);
        Assert.Contains(Fi("surveys.decision.returned-to-draft"), returned.Text, StringComparison.Ordinal);
        Assert.Equal("draft", await contact.StateAsync(id));
    }

    [Fact]
    public async Task An_empty_review_comment_is_shown_as_a_field_error()
    {
        var (contact, id, page) = await ReviewPageAsync();

        var refused = await contact.PostFormAsync(page, "review", ("comment", " "), ("decision", "comment"));

        Assert.True(refused.HasElement("comment-error"));
        Assert.Equal("true", refused.Element("comment").GetValueOrDefault("aria-invalid"));
    }

    [Fact]
    public async Task A_coordinator_approves_with_opening_and_closing_times_in_county_time()
    {
        var id = await host.SurveyInStateAsync("in-review");
        var coordinator = await host.StaffBrowserAsync(PanelRoles.Coordinator);
        var page = await coordinator.GetAsync($"/staff/surveys/{id}/review");
        Assert.True(page.HasForm("schedule"));
        // A month ahead in county time, as the coordinator types it into the form.
        var opens = DateTime.SpecifyKind(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, CountyTime.Zone).Date.AddDays(30).AddHours(9), DateTimeKind.Unspecified);
        static string Typed(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);

        var bad = await coordinator.PostFormAsync(page, "schedule", ("opensAt", Typed(opens)), ("closesAt", Typed(opens.AddDays(-5))));
        Assert.True(bad.HasElement("closesAt-error"));
        Assert.Equal("in-review", await coordinator.StateAsync(id));

        var approved = await coordinator.PostFormAsync(page, "schedule", ("opensAt", Typed(opens)), ("closesAt", Typed(opens.AddDays(14).AddHours(7))), ("approveComment", "Hyvä."));

        Assert.Contains(Fi("surveys.done.approved"), approved.Text, StringComparison.Ordinal);
        var survey = await coordinator.SurveyAsync(id);
        Assert.Equal(new DateTimeOffset(opens, CountyTime.Zone.GetUtcOffset(opens)),
            DateTimeOffset.Parse(survey["opensAt"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture));
        var reviews = (await coordinator.Http.GetFromJsonAsync<JsonArray>($"/api/surveys/{id}/reviews"))!;
        Assert.Equal("Hyvä.", reviews.Single(r => r!["decision"]!.ToString() == "approved")!["comment"]!.ToString());
        Assert.Equal("approved", survey["state"]!.ToString());
    }

    [Fact]
    public async Task An_author_gets_no_approval_form()
    {
        var author = await host.StaffBrowserAsync(PanelRoles.SurveyAuthor);
        var id = await host.SurveyInStateAsync("in-review", author: author);

        var page = await author.GetAsync($"/staff/surveys/{id}/review");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.False(page.HasForm("schedule"));
        Assert.False(page.HasForm("review"));
    }

    [Fact]
    public async Task The_target_group_shows_how_many_members_match_and_fewer_than_five_when_suppressed()
    {
        var (browser, id) = await host.AuthorWithSurveyAsync();
        var campaign = NewCampaign();
        // Twenty who match, and ten more for each criterion who miss only that one: counting any of them would move the
        // number further than the disclosure control's noise.
        for (var i = 0; i < 10; i++)
        {
            await host.AddMemberAsync(campaign, "65-74", "Nokia");
            await host.AddMemberAsync(campaign, "75-84", "Nokia");
            await host.AddMemberAsync(campaign, "55-64", "Nokia");
            await host.AddMemberAsync(campaign, "65-74", "Tampere");
            await host.AddMemberAsync(campaign, "65-74", "Nokia", language: "sv");
            await host.AddMemberAsync(campaign, "65-74", "Nokia", isClient: false);
        }

        var page = await browser.GetAsync($"/staff/surveys/{id}/target-group");

        var counted = await browser.PostFormAsync(page, "target-group",
            ("do", "count"), ("mode", "panel"), ("ageBands", "65-74"), ("ageBands", "75-84"), ("municipalities", "Nokia"), ("languages", "fi"),
            ("isClient", "true"), ("campaignCodes", campaign), ("afterDays", "7"), ("maxReminders", "1"));

        var matches = await MatchesAsync(browser, new JsonObject
        {
            ["ageBands"] = new JsonArray("65-74", "75-84"), ["municipalities"] = new JsonArray("Nokia"), ["languages"] = new JsonArray("fi"),
            ["isClient"] = true, ["campaignCodes"] = new JsonArray(campaign),
        });
        var bound = Panel.Privacy.CellKeyPerturbation.MaxError() + 4;
        Assert.InRange(matches.GetValueOrDefault(), 20 - bound, 20 + bound);
        Assert.Contains(Fi("surveys.matchesCount", matches!), counted.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Http.GetAsync($"/api/surveys/{id}/target-group")).StatusCode); // counting saves nothing

        var fewCampaign = NewCampaign();
        await host.AddMembersAsync(4, fewCampaign);
        var few = await browser.PostFormAsync(page, "target-group", ("do", "count"), ("mode", "panel"), ("campaignCodes", fewCampaign), ("afterDays", "7"), ("maxReminders", "1"));
        Assert.Contains(Fi("surveys.matchesFew", 5), few.Text, StringComparison.Ordinal);
    }

    /// <summary>Membership's count for these criteria, asked through the proxy as the page's user.</summary>
    private static async Task<int?> MatchesAsync(Browser browser, JsonObject criteria)
    {
        var answer = await SucceedsAsync(await browser.Http.PostAsJsonAsync("/api/membership/targeting/matches", criteria));
        return answer["matches"]?.GetValue<int>();
    }

    [Fact]
    public async Task Saving_the_target_group_puts_criteria_sample_quotas_and_reminders()
    {
        var (browser, id) = await host.AuthorWithSurveyAsync();
        var page = await browser.GetAsync($"/staff/surveys/{id}/target-group");

        var saved = await browser.PostFormAsync(page, "target-group",
            ("do", "save"), ("mode", "panel"), ("genders", "woman"), ("sampleSize", "400"),
            ("quota0-attribute", "ageBand"), ("quota0-values", "65-74, 75-84, 85+"), ("quota0-share", "30"),
            ("afterDays", "5"), ("maxReminders", "2"));

        Assert.Contains(Fi("surveys.done.targetGroup"), saved.Text, StringComparison.Ordinal);
        var body = (await browser.Http.GetFromJsonAsync<JsonObject>($"/api/surveys/{id}/target-group"))!["targetGroup"]!;
        Assert.Equal("panel", body["mode"]!.ToString());
        Assert.Equal(400, body["sampleSize"]!.GetValue<int>());
        Assert.Equal(["woman"], body["criteria"]!["genders"]!.AsArray().Select(g => g!.ToString()));
        var quota = body["quotas"]![0]!;
        Assert.Equal("ageBand", quota["attribute"]!.ToString());
        Assert.Equal(["65-74", "75-84", "85+"], quota["values"]!.AsArray().Select(v => v!.ToString()));
        Assert.Equal(0.3m, quota["minShare"]!.GetValue<decimal>());
        Assert.Equal(5, body["reminders"]!["afterDays"]!.GetValue<int>());
        Assert.Equal(2, body["reminders"]!["max"]!.GetValue<int>());

        var bad = await browser.PostFormAsync(page, "target-group", ("do", "save"), ("mode", "panel"), ("sampleSize", "0"), ("afterDays", "5"), ("maxReminders", "2"));
        Assert.True(bad.HasElement("sampleSize-error"));
    }

    /// <summary>A progress count as the page shows it: Membership's number, or the one symbol of a hidden count.</summary>
    private static string Shown(JsonNode? count) => count?.ToString() ?? "..";

    [Fact]
    public async Task An_open_survey_shows_the_invitation_progress_from_membership()
    {
        var coordinator = await host.StaffBrowserAsync(PanelRoles.Coordinator);
        var campaign = NewCampaign();
        await host.AddMembersAsync(12, campaign);
        var id = await host.SurveyInStateAsync("open", campaign: campaign);
        await host.InvitationsSentAsync(id, 12);
        var progress = await coordinator.ProgressAsync(id);
        Assert.NotNull(progress["issued"]);

        var page = await coordinator.GetAsync($"/staff/surveys/{id}");

        Assert.True(page.HasElement("progress"));
        Assert.Contains($"<dd>{Shown(progress["issued"])}</dd>", page.Html, StringComparison.Ordinal);
        Assert.Contains($"<dd>{Shown(progress["sent"])}</dd>", page.Html, StringComparison.Ordinal);
        // Invitations whose emails wait for Surveys to acknowledge their links, shown apart (Surveys down or slow).
        Assert.Contains($"<dd id=\"progress-waiting\">{Shown(progress["waiting"])}</dd>", page.Html, StringComparison.Ordinal);
        Assert.Contains(Fi("surveys.progress.waiting"), page.Text, StringComparison.Ordinal);
        Assert.Contains($"<dd>{Shown(progress["answered"])}</dd>", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(Fi("surveys.progress.notIssued", 5), page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_of_a_survey_nobody_was_invited_to_says_why_and_shows_hidden_counts_as_one_symbol_with_its_note()
    {
        var coordinator = await host.StaffBrowserAsync(PanelRoles.Coordinator);
        var id = await host.SurveyInStateAsync("open"); // its target group is a campaign nobody joined
        Assert.Equal("too-few-members", (await coordinator.ProgressAsync(id))["notIssued"]!.ToString());

        var page = await coordinator.GetAsync($"/staff/surveys/{id}");

        Assert.Contains(Fi("surveys.progress.notIssued", 5), page.Text, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"progress-waiting\">..</dd>", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<dd></dd>", page.Html, StringComparison.Ordinal);
        Assert.Contains(Panel.Privacy.HiddenNumber.Footnote("fi", 5), page.Text, StringComparison.Ordinal);
        Assert.Contains(Fi("surveys.progress.hiddenNote"), page.Text, StringComparison.Ordinal);
    }
}
