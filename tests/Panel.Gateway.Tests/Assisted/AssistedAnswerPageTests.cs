using System.Net;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Panel.Gateway.Tests.Answering;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests.Assisted;

/// <summary>The assisted answers page against the real Surveys (<see cref="AnsweringSurveys.Assisted"/>).</summary>
[Collection(AnsweringCollection.Name)]
public sealed class AssistedAnswerPageTests(AnsweringHost host)
{
    private static string Fi(string key) => GatewayHost.Texts.Get("fi", key);

    private static string Fi(string key, params object[] args) => string.Format(System.Globalization.CultureInfo.InvariantCulture, Fi(key), args);

    private static string Path(Guid id) => $"/staff/surveys/{id}/assisted";

    private async Task<(Browser Browser, Gateway.Accounts.StaffUser User)> StaffAsync(string[] roles, params string[] areas)
    {
        var user = await host.CreateStaffAsync(roles);
        foreach (var area in areas)
        {
            // A fresh copy of the account: the one created is tracked by another scope's context.
            await host.WithUsersAsync(async users => await users.AddClaimAsync((await users.FindByIdAsync(user.Id))!, new Claim(PanelClaims.ServiceArea, area)));
        }

        return (await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword), user);
    }

    private Task<(Browser Browser, Gateway.Accounts.StaffUser User)> CoordinatorAsync() => StaffAsync([PanelRoles.Coordinator]);

    private static JsonObject BodyOf(RecordedCall request) => JsonNode.Parse(request.Body)!.AsObject();

    private async Task<Guid> SurveyAsync(string state = "open", Browser? author = null) =>
        (await host.SurveyAsync(AnsweringSurveys.Assisted(), state, author: author)).Id;

    private IReadOnlyList<RecordedCall> PostsTo(Guid id) =>
        [.. host.Calls.Where(r => r.Method == "POST" && r.Path == $"/api/surveys/{id}/assisted-responses")];

    /// <summary>The answers Surveys took for the survey (waiting for the mixer, which is off): channel, profile, answers.</summary>
    private async Task<List<JsonObject>> AcceptedAsync(Guid id)
    {
        var json = await host.Surveys.Database.ScalarAsync<string>(
            "SELECT coalesce(json_agg(json_build_object('channel', channel, 'profile', profile, 'answers', answers))::text, '[]') FROM pending_responses WHERE survey_id = @p0", id);
        return [.. JsonNode.Parse(json)!.AsArray().Select(r => r!.AsObject())];
    }

    /// <summary>Every question answered validly, as a person fills the form in a browser.</summary>
    private static readonly (string Name, string Value)[] AllAnswered =
    [
        ("channel", "paper"),
        ("q.uses", "yes"), ("q.why", "Lähellä kotia"), ("q.visits", "4"),
        ("q.services", "doc"), ("q.services", "lab"),
        ("q.satisfied", "4"), ("q.recommend", "9"),
        ("q.priorities.1", "near"), ("q.priorities.2", "speed"),
        ("q.rating.phone", "bad"), ("q.rating.desk", "good"),
        ("q.budget.doc", "5"), ("q.budget.lab", "3"), ("q.budget.dental", "2"),
        ("profile.ageBand", "75-84"), ("profile.municipality", "Nokia"), ("profile.gender", ""), ("profile.language", "sv"), ("profile.isClient", "true"),
    ];

    [Fact]
    public async Task A_coordinator_gets_every_question_of_every_page_with_the_channel_choice_and_the_no_name_notice()
    {
        var id = await SurveyAsync();
        var (browser, _) = await CoordinatorAsync();

        var page = await browser.GetAsync(Path(id));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.True(page.HasForm("assisted"));
        var hidden = page.Form("assisted").Hidden;
        foreach (var (question, type) in new[]
        {
            ("uses", "single-choice"), ("why", "free-text"), ("visits", "number"), ("services", "multiple-choice"), ("satisfied", "likert"),
            ("recommend", "nps"), ("priorities", "ranking"), ("rating", "matrix"), ("budget", "budget"),
        })
        {
            Assert.Equal(type, hidden["qt." + question]);
        }

        Assert.True(page.HasElement("channel-assisted"));
        Assert.True(page.HasElement("channel-paper"));
        Assert.Equal("number", page.Element("q3").GetValueOrDefault("type"));
        Assert.True(page.HasElement("q8-r1-2"), "the matrix's last cell");
        Assert.True(page.HasElement("q9-o2"), "the budget's last option");
        Assert.Contains(Fi("assisted.noName"), page.Text, StringComparison.Ordinal);
        Assert.Contains(Fi("answer.condition.anyOf", 1, "“Kyllä”"), page.Text, StringComparison.Ordinal);
        Assert.Contains(Fi("assisted.page", 2, 2), page.Text, StringComparison.Ordinal);
        Assert.Contains("no-store", page.Response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        // The municipalities are the county's, as Surveys accepts them (AssistedProfilePageTests).
        Assert.Contains("<option value=\"Nokia\"", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saving_posts_each_question_type_in_surveys_shape_with_the_channel_and_profile_then_confirms()
    {
        var id = await SurveyAsync();
        var (browser, _) = await CoordinatorAsync();
        var page = await browser.GetAsync(Path(id));

        var saved = await browser.PostAsync(page, "assisted", AllAnswered);

        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.Equal($"{Path(id)}?saved=1&channel=paper&language=fi", saved.Location!.PathAndQuery);
        var body = BodyOf(Assert.Single(PostsTo(id)));
        Assert.Equal("paper", body["channel"]!.GetValue<string>());
        var answers = body["answers"]!.AsObject();
        Assert.Equal("yes", answers["uses"]!.GetValue<string>());
        Assert.Equal("Lähellä kotia", answers["why"]!.GetValue<string>());
        Assert.Equal(4m, answers["visits"]!.GetValue<decimal>());
        Assert.Equal(["doc", "lab"], answers["services"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(4m, answers["satisfied"]!.GetValue<decimal>());
        Assert.Equal(9m, answers["recommend"]!.GetValue<decimal>());
        Assert.Equal(["near", "speed"], answers["priorities"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("bad", answers["rating"]!["phone"]!.GetValue<string>());
        Assert.Equal("good", answers["rating"]!["desk"]!.GetValue<string>());
        Assert.Equal(5, answers["budget"]!["doc"]!.GetValue<int>());
        Assert.Equal(3, answers["budget"]!["lab"]!.GetValue<int>());
        Assert.Equal(2, answers["budget"]!["dental"]!.GetValue<int>());
        var profile = body["profile"]!.AsObject();
        Assert.Equal("75-84", profile["ageBand"]!.GetValue<string>());
        Assert.Equal("Nokia", profile["municipality"]!.GetValue<string>());
        Assert.Equal("sv", profile["language"]!.GetValue<string>());
        Assert.True(profile["isClient"]!.GetValue<bool>());
        Assert.False(profile.ContainsKey("gender"));
        var stored = Assert.Single(await AcceptedAsync(id));
        Assert.Equal("paper", stored["channel"]!.GetValue<string>());
        Assert.Equal("Nokia", stored["profile"]!["municipality"]!.GetValue<string>());
        Assert.Equal(["doc", "lab"], stored["answers"]!["services"]!.AsArray().Select(a => a!.GetValue<string>()));

        var confirmed = await browser.GetAsync(saved.Location.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, confirmed.Status);
        Assert.True(confirmed.HasElement("saved"));
        Assert.Contains(Fi("assisted.saved.paper"), confirmed.Text, StringComparison.Ordinal);
        Assert.Contains(Fi("assisted.saved.another"), confirmed.Text, StringComparison.Ordinal);
        // Ready for the next paper form: the channel stays chosen, the answers are empty.
        Assert.True(QuestionPageTests.IsChecked(confirmed, "channel-paper"));
        Assert.False(QuestionPageTests.IsChecked(confirmed, "q1-0"));
        Assert.Equal("", confirmed.Element("q3").GetValueOrDefault("value", ""));
    }

    [Fact]
    public async Task The_body_names_no_staff_member_and_the_token_only_authorizes_the_call()
    {
        var id = await SurveyAsync();
        var (browser, user) = await StaffAsync([PanelRoles.DomainContact], AnsweringSurveys.Area);
        var page = await browser.GetAsync(Path(id));

        await browser.PostAsync(page, "assisted", AllAnswered);

        var request = Assert.Single(PostsTo(id));
        var body = BodyOf(request);
        Assert.Equal(["answers", "channel", "profile"], body.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["ageBand", "isClient", "language", "municipality"], body["profile"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(user.Id, request.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(user.Email!, request.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("staff", request.Body, StringComparison.OrdinalIgnoreCase);
        var token = await host.ValidTokenAsync(request.BearerToken, "panel-" + ServiceNames.Surveys);
        Assert.Equal(user.Id, token.Subject);
    }

    [Fact]
    public async Task Without_a_profile_no_profile_is_sent_and_unanswered_questions_are_null()
    {
        var id = await SurveyAsync();
        var (browser, _) = await CoordinatorAsync();
        var page = await browser.GetAsync(Path(id));

        var saved = await browser.PostAsync(page, "assisted", ("channel", "assisted"), ("q.uses", "no"), ("q.visits", "0"));

        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        var body = BodyOf(Assert.Single(PostsTo(id)));
        Assert.Equal("assisted", body["channel"]!.GetValue<string>());
        Assert.False(body.ContainsKey("profile"));
        Assert.Equal("no", body["answers"]!["uses"]!.GetValue<string>());
        Assert.Null(body["answers"]!["services"]);
        Assert.True(body["answers"]!.AsObject().ContainsKey("budget"));
    }

    [Fact]
    public async Task Surveys_problems_are_shown_by_each_question_and_in_a_summary_with_the_entries_kept()
    {
        var id = await SurveyAsync();
        var (browser, _) = await CoordinatorAsync();
        var page = await browser.GetAsync(Path(id));

        var refused = await browser.PostAsync(page, "assisted",
            ("channel", "assisted"), ("q.visits", "75"), ("q.services", "doc"), ("q.why", "Tämä on aivan liian pitkä vastaus"),
            ("q.budget.doc", "2"), ("q.budget.lab", "8"), ("q.budget.dental", "0"));

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Empty(await AcceptedAsync(id));
        Assert.True(refused.HasElement("error-summary"));
        Assert.StartsWith(Fi("answer.errorTitle"), refused.Text[(refused.Text.IndexOf("<title>", StringComparison.Ordinal) + 7)..], StringComparison.Ordinal);
        // Required single choice (question 1): by the group, in the summary linking to its first control.
        Assert.Equal("true", refused.Element("q1-question").GetValueOrDefault("aria-invalid"));
        Assert.Contains("q1-error", refused.Element("q1-question").GetValueOrDefault("aria-describedby"), StringComparison.Ordinal);
        Assert.Contains(Fi("answer.error.requiredChoice"), refused.Text, StringComparison.Ordinal);
        Assert.Contains("href=\"#q1-0\"", refused.Html, StringComparison.Ordinal);
        // Number out of range, with the question's limits; the typed value kept.
        Assert.Equal("true", refused.Element("q3").GetValueOrDefault("aria-invalid"));
        Assert.Equal("75", refused.Element("q3").GetValueOrDefault("value"));
        Assert.Contains(Fi("answer.error.range", "0", "50", " krt"), refused.Text, StringComparison.Ordinal);
        // Too few picks, too long a text, a budget option over its cap (that option's input marked and linked).
        Assert.Contains(Fi("answer.error.tooFew", 2), refused.Text, StringComparison.Ordinal);
        Assert.Contains(Fi("answer.error.tooLong", 20, 33), refused.Text, StringComparison.Ordinal);
        Assert.Contains(Fi("answer.error.cap", "Laboratorio", 6), refused.Text, StringComparison.Ordinal);
        Assert.Equal("true", refused.Element("q9-o1").GetValueOrDefault("aria-invalid"));
        Assert.Contains("href=\"#q9-o1\"", refused.Html, StringComparison.Ordinal);
        Assert.True(QuestionPageTests.IsChecked(refused, "channel-assisted"));
        Assert.True(QuestionPageTests.IsChecked(refused, "q4-0"));
    }

    [Fact]
    public async Task A_missing_channel_and_a_partial_profile_are_named_by_their_fields()
    {
        var id = await SurveyAsync();
        var (browser, _) = await CoordinatorAsync();
        var page = await browser.GetAsync(Path(id));

        var refused = await browser.PostAsync(page, "assisted", ("q.uses", "no"), ("q.visits", "1"), ("profile.ageBand", "35-44"));

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Empty(await AcceptedAsync(id));
        Assert.Contains(Fi("assisted.error.channel"), refused.Text, StringComparison.Ordinal);
        Assert.Equal("true", refused.Element("channel").GetValueOrDefault("aria-invalid"));
        Assert.Contains(Fi("assisted.error.municipality"), refused.Text, StringComparison.Ordinal);
        Assert.Contains(Fi("assisted.error.language"), refused.Text, StringComparison.Ordinal);
        Assert.Equal("true", refused.Element("profile-municipality").GetValueOrDefault("aria-invalid"));
        Assert.Contains("profile-municipality-error", refused.Element("profile-municipality").GetValueOrDefault("aria-describedby"), StringComparison.Ordinal);
        Assert.Null(refused.Element("profile-ageBand").GetValueOrDefault("aria-invalid"));
        Assert.Contains("href=\"#profile-language\"", refused.Html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"35-44\" selected", refused.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PanelRoles.SurveyAuthor)]
    [InlineData(PanelRoles.ReportReader)]
    [InlineData(PanelRoles.Communications)]
    [InlineData(PanelRoles.ItAdmin)]
    public async Task Staff_without_an_assisting_role_are_sent_to_the_denied_page(string role)
    {
        var id = await SurveyAsync();
        var (browser, _) = await StaffAsync([role]);

        var denied = await browser.GetAsync(Path(id));

        Assert.Equal(HttpStatusCode.Redirect, denied.Status);
        Assert.StartsWith("/staff/denied", denied.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Empty(PostsTo(id));
    }

    [Fact]
    public async Task A_visitor_is_sent_to_staff_sign_in_and_a_forged_post_enters_nothing()
    {
        var id = await SurveyAsync();

        var anonymous = await host.NewBrowser().GetAsync(Path(id));
        var (author, _) = await StaffAsync([PanelRoles.SurveyAuthor]);
        var forged = await author.PostFreshAsync(Path(id), "assisted", ("channel", "paper"), ("qt.uses", "single-choice"), ("q.uses", "yes"));

        Assert.Equal(HttpStatusCode.Redirect, anonymous.Status);
        Assert.StartsWith("/staff/sign-in", anonymous.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, forged.Status);
        Assert.Empty(PostsTo(id));
    }

    [Fact]
    public async Task A_domain_contact_of_another_area_is_told_the_survey_is_not_in_their_areas()
    {
        var id = await SurveyAsync();
        var (browser, _) = await StaffAsync([PanelRoles.DomainContact], "oral-health");

        var page = await browser.GetAsync(Path(id));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.True(page.HasElement("not-found"));
        Assert.Contains(Fi("assisted.notFound"), page.Text, StringComparison.Ordinal);
        Assert.False(page.HasForm("assisted"));
    }

    [Fact]
    public async Task A_domain_contact_of_the_area_enters_answers()
    {
        var id = await SurveyAsync();
        var (browser, _) = await StaffAsync([PanelRoles.DomainContact], AnsweringSurveys.Area);
        var page = await browser.GetAsync(Path(id));
        Assert.True(page.HasForm("assisted"));

        var saved = await browser.PostAsync(page, "assisted", AllAnswered);

        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.Single(await AcceptedAsync(id));
    }

    [Fact]
    public async Task A_refusal_by_surveys_is_shown_with_the_entries_kept()
    {
        // The survey's author, a domain contact of another area, sees it and gets the form; Surveys refuses their answers
        // (403: entered by a coordinator or a domain contact of the survey's area).
        var (author, _) = await StaffAsync([PanelRoles.DomainContact, PanelRoles.SurveyAuthor], "oral-health");
        var id = await SurveyAsync(author: author);
        var page = await author.GetAsync(Path(id));
        Assert.True(page.HasForm("assisted"));

        var refused = await author.PostAsync(page, "assisted", AllAnswered);

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.True(refused.HasElement("problem"));
        Assert.Contains(Fi("assisted.forbidden"), refused.Text, StringComparison.Ordinal);
        Assert.True(QuestionPageTests.IsChecked(refused, "q1-0"));
        Assert.Empty(await AcceptedAsync(id));
    }

    [Theory]
    [InlineData("closed")]
    [InlineData("approved")]
    [InlineData("results-published")]
    public async Task A_survey_that_is_not_open_offers_no_form_and_says_why(string state)
    {
        var id = await SurveyAsync(state);
        var (browser, _) = await CoordinatorAsync();

        var page = await browser.GetAsync(Path(id));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.False(page.HasForm("assisted"));
        Assert.True(page.HasElement("not-open"));
        Assert.Contains(Fi("assisted.notOpen"), page.Text, StringComparison.Ordinal);
        Assert.Contains(Fi("assisted.notOpen.state", Fi($"surveys.state.{state}")), page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_survey_that_closed_while_the_form_was_filled_says_so_and_stores_nothing()
    {
        var id = await SurveyAsync();
        var (browser, _) = await CoordinatorAsync();
        var page = await browser.GetAsync(Path(id));
        await host.CloseAsync(id);

        var refused = await browser.PostAsync(page, "assisted", AllAnswered);

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains(Fi("assisted.notOpen"), refused.Text, StringComparison.Ordinal);
        Assert.Empty(PostsTo(id));
        Assert.Empty(await AcceptedAsync(id));
    }

    [Fact]
    public async Task The_form_is_offered_in_the_survey_languages_and_the_swedish_form_has_swedish_texts()
    {
        var id = await SurveyAsync();
        var (browser, _) = await CoordinatorAsync();

        var page = await browser.GetAsync(Path(id) + "?language=sv");

        Assert.Contains("Använder du hälsostationen?", page.Text, StringComparison.Ordinal);
        Assert.Equal("sv", page.Form("assisted").Hidden["language"]);
        Assert.Contains($"action=\"{Path(id)}?language=sv\"", page.Html, StringComparison.Ordinal);
        Assert.Contains(host.Calls, r => r.Path == $"/api/surveys/{id}/preview" && r.Query == "?language=sv");
    }
}
