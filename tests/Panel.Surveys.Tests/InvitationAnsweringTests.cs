using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Panel.Contracts;
using Panel.ServiceDefaults;
using Panel.TestSupport;
using static Panel.Surveys.Tests.Answering;
using static Panel.Surveys.Tests.Samples;

namespace Panel.Surveys.Tests;

/// <summary>A resident answers by an invitation's one-time link: open, page by page with save and resume, submit once.</summary>
public sealed class InvitationAnsweringTests(SurveysHost host) : IClassFixture<SurveysHost>
{
    private static JsonObject Page1(string used = "yes") => used == "yes"
        ? new JsonObject { ["used"] = "yes", ["channels"] = new JsonArray("web"), ["satisfied"] = 4, ["nps"] = 5 }
        : new JsonObject { ["used"] = used, ["satisfied"] = 2, ["nps"] = 9 };

    private static List<string?> Hashes(JsonElement progressed, string list) =>
        [.. progressed.GetProperty(list).EnumerateArray().Select(h => h.GetString())];

    private static JsonObject Page2() => new()
    {
        ["visits"] = 3,
        ["why"] = "Soitin numeroon 050 765 4321 eikä kukaan vastannut.",
        ["priorities"] = new JsonArray("c", "a"),
    };

    [Fact]
    public async Task Opening_the_link_shows_the_form_in_the_invitations_language_and_tells_Membership_once()
    {
        var (survey, token) = await host.InvitedAsync(language: "sv");
        var resident = host.Public();

        var session = await (await resident.PostJsonAsync(Form, Request(token))).BodyAsync(HttpStatusCode.OK);
        await resident.PostJsonAsync(Form, Request(token));
        var english = await (await resident.PostJsonAsync(Form, Request(token, language: "en"))).BodyAsync(HttpStatusCode.OK);

        Assert.Equal("invitation", session.GetProperty("channel").GetString());
        Assert.Equal("sv", session.GetProperty("form").GetProperty("language").GetString());
        Assert.Equal("Home care survey (sv)", session.GetProperty("form").GetProperty("title").GetString());
        Assert.Equal("The home care team chooses what to improve (sv)", session.GetProperty("form").GetProperty("resultsUse").GetString());
        Assert.Equal(["fi", "sv", "en"], session.GetProperty("languages").EnumerateArray().Select(l => l.GetString()));
        Assert.Empty(session.GetProperty("answers").EnumerateObject());
        var navigation = session.GetProperty("navigation");
        Assert.Equal("p1", navigation.GetProperty("page").GetString());
        Assert.Equal((1, 1), (navigation.GetProperty("position").GetInt32(), navigation.GetProperty("count").GetInt32()));
        Assert.Equal(JsonValueKind.Null, navigation.GetProperty("next").ValueKind);
        Assert.False(navigation.GetProperty("pages")[1].GetProperty("shown").GetBoolean());
        Assert.True(session.GetProperty("closesAt").GetDateTimeOffset() > host.Clock.GetUtcNow());
        Assert.Equal("Home care survey (en)", english.GetProperty("form").GetProperty("title").GetString());

        Assert.Empty(await host.EventsAsync<InvitationsProgressed>(survey)); // gathered first, then sent once for the survey
        await host.NoticesAsync(survey);
        var progressed = (await host.EventsAsync<InvitationsProgressed>(survey)).Single();
        Assert.Equal([Hash(token)], Hashes(progressed, "opened"));
        Assert.Empty(Hashes(progressed, "answered"));
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE token_hash = @p0 AND opened AND NOT answered", Hash(token)));
    }

    [Fact]
    public async Task Answers_saved_page_by_page_are_resumed_later_with_navigation_following_the_conditions()
    {
        var (survey, token) = await host.InvitedAsync();
        var resident = host.Public();

        var afterPage1 = await (await resident.PutJsonAsync(Draft, Request(token, Page1(), page: "p1"))).BodyAsync(HttpStatusCode.OK);
        var nav1 = afterPage1.GetProperty("navigation");
        Assert.Equal(("p1", 1, 2, "p2"), (nav1.GetProperty("page").GetString(), nav1.GetProperty("position").GetInt32(), nav1.GetProperty("count").GetInt32(), nav1.GetProperty("next").GetString()));
        var channels = nav1.GetProperty("pages")[0].GetProperty("questions").EnumerateArray().Single(q => q.GetProperty("id").GetString() == "channels");
        Assert.True(channels.GetProperty("dependsOnPage").GetBoolean());
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM answer_drafts WHERE key_hash = @p0", Hash(token)));

        // Later, on another device: the saved answers come back, and page 2 can be shown.
        var resumed = await (await host.Public().PostJsonAsync(Form, Request(token, page: "p2"))).BodyAsync(HttpStatusCode.OK);
        Assert.Equal("yes", resumed.GetProperty("answers").GetProperty("used").GetString());
        Assert.Equal(("p2", "p1"), (resumed.GetProperty("navigation").GetProperty("page").GetString(), resumed.GetProperty("navigation").GetProperty("previous").GetString()));
        Assert.Equal(JsonValueKind.Null, resumed.GetProperty("navigation").GetProperty("next").ValueKind);
        var why = resumed.GetProperty("navigation").GetProperty("pages")[1].GetProperty("questions").EnumerateArray().Single(q => q.GetProperty("id").GetString() == "why");
        Assert.True(why.GetProperty("shown").GetBoolean()); // nps 5 is within 0..6

        var afterPage2 = await (await resident.PutJsonAsync(Draft, Request(token, Page2(), page: "p2"))).BodyAsync(HttpStatusCode.OK);
        Assert.Equal(7, afterPage2.GetProperty("answers").EnumerateObject().Count());
        Assert.Equal("p2", (await (await resident.PostJsonAsync(Form, Request(token))).BodyAsync(HttpStatusCode.OK)).GetProperty("navigation").GetProperty("page").GetString());

        // Going back and answering "no" hides page 2 and the follow-up: their answers are dropped.
        var changed = await (await resident.PutJsonAsync(Draft, Request(token, new JsonObject { ["used"] = "no", ["channels"] = new JsonArray("web"), ["satisfied"] = 4, ["nps"] = 5 }, page: "p1"))).BodyAsync(HttpStatusCode.OK);
        Assert.Equal(["nps", "satisfied", "used"], changed.GetProperty("answers").EnumerateObject().Select(a => a.Name).Order());
        Assert.Equal(1, changed.GetProperty("navigation").GetProperty("count").GetInt32());

        var received = await (await resident.PostJsonAsync(Submit, Request(token))).BodyAsync(HttpStatusCode.OK);
        Assert.Equal("received", received.GetProperty("status").GetString());
        Assert.Equal("The home care team chooses what to improve (sv)", received.GetProperty("resultsUse").GetString());
        Assert.Equal("""{"nps": 5, "used": "no", "satisfied": 4}""", await host.Database.ScalarAsync<string>("SELECT answers::text FROM pending_responses WHERE survey_id = @p0", survey));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM answer_drafts WHERE key_hash = @p0", Hash(token)));
    }

    [Fact]
    public async Task Submitting_marks_the_invitation_answered_and_leaves_an_anonymous_masked_answer_waiting_for_the_mixer()
    {
        var (survey, token) = await host.InvitedAsync();
        var resident = host.Public();
        (await resident.PutJsonAsync(Draft, Request(token, Page1(), page: "p1"))).EnsureSuccessStatusCode();

        var received = await (await resident.PostJsonAsync(Submit, Request(token, Valid()))).BodyAsync(HttpStatusCode.OK);

        Assert.Equal("sv", received.GetProperty("language").GetString());
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE token_hash = @p0 AND opened AND answered", Hash(token)));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM answer_drafts WHERE survey_id = @p0", survey));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM survey_responses WHERE survey_id = @p0", survey));
        Assert.Equal("invitation", await host.Database.ScalarAsync<string>("SELECT channel FROM pending_responses WHERE survey_id = @p0", survey));
        Assert.Equal(1, await host.Database.ScalarAsync<int>("SELECT definition_version FROM pending_responses WHERE survey_id = @p0", survey));
        var profile = JsonSerializer.Deserialize<ProfileSnapshot>(await host.Database.ScalarAsync<string>("SELECT profile::text FROM pending_responses WHERE survey_id = @p0", survey), JsonSerializerOptions.Web);
        Assert.Equal(Profile, profile);
        var why = await host.Database.ScalarAsync<string>("SELECT answers->>'why' FROM pending_responses WHERE survey_id = @p0", survey);
        Assert.Equal("Call me on [PHONE] or write to [EMAIL], my code is [ID].", why);
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM invitation_notices WHERE token_hash = @p0 AND answered", Hash(token)));
        await host.NoticesAsync(survey);
        Assert.Equal(["SurveySubmitted", "SurveyApproved", "SurveyOpened", "SurveyInvitationsStored", "InvitationsProgressed"], await host.EventNamesAsync(survey));
        var progressed = (await host.EventsAsync<InvitationsProgressed>(survey)).Single();
        Assert.Equal([Hash(token)], Hashes(progressed, "opened")); // answered without opening the form first: both
        Assert.Equal([Hash(token)], Hashes(progressed, "answered"));
    }

    [Fact]
    public async Task A_resident_signed_in_to_my_panel_answers_through_the_same_invitation_with_the_signed_in_channel()
    {
        var (survey, token) = await host.InvitedAsync();
        var signedIn = host.Client(TestTokens.Resident(ServiceNames.Surveys, Guid.NewGuid()));

        var session = await (await signedIn.PostJsonAsync(Form, Request(token))).BodyAsync(HttpStatusCode.OK);
        (await signedIn.PostJsonAsync(Submit, Request(token, Valid()))).EnsureSuccessStatusCode();

        Assert.Equal("signed-in", session.GetProperty("channel").GetString());
        Assert.Equal("signed-in", await host.Database.ScalarAsync<string>("SELECT channel FROM pending_responses WHERE survey_id = @p0", survey));
    }

    [Fact]
    public async Task A_reused_link_is_gone_for_opening_saving_and_submitting_and_changes_nothing()
    {
        var (survey, token) = await host.InvitedAsync();
        var resident = host.Public();
        (await resident.PostJsonAsync(Submit, Request(token, Valid()))).EnsureSuccessStatusCode();
        var before = await host.AnsweringStateAsync(survey);

        Assert.Equal("answered", await ReasonAsync(await resident.PostJsonAsync(Submit, Request(token, Valid())), HttpStatusCode.Gone));
        Assert.Equal("answered", await ReasonAsync(await resident.PostJsonAsync(Form, Request(token)), HttpStatusCode.Gone));
        Assert.Equal("answered", await ReasonAsync(await resident.PutJsonAsync(Draft, Request(token, Page1(), page: "p1")), HttpStatusCode.Gone));

        Assert.Equal(before, await host.AnsweringStateAsync(survey));
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0", survey));
    }

    [Theory]
    [InlineData("open")]
    [InlineData("draft")]
    [InlineData("submit")]
    public async Task A_wrong_token_is_a_404_and_a_missing_one_a_400_and_neither_stores_anything(string call)
    {
        var (survey, token) = await host.InvitedAsync();
        var before = await host.AnsweringStateAsync(survey);
        var resident = host.Public();
        Task<HttpResponseMessage> Call(JsonObject body) => call switch
        {
            "open" => resident.PostJsonAsync(Form, body),
            "draft" => resident.PutJsonAsync(Draft, body),
            _ => resident.PostJsonAsync(Submit, body),
        };

        Assert.Equal("unknown-invitation", await ReasonAsync(await Call(Request(NewToken(), Valid())), HttpStatusCode.NotFound));
        Assert.Equal("unknown-invitation", await ReasonAsync(await Call(Request(token[..^1], Valid())), HttpStatusCode.NotFound));
        Assert.Equal("unknown-invitation", await ReasonAsync(await Call(Request(new string('x', 5000), Valid())), HttpStatusCode.NotFound));
        Assert.Equal(["token"], Keys(await ErrorsAsync(await Call(Request(null, Valid())))));
        Assert.Equal(["token"], Keys(await ErrorsAsync(await Call(Request("   ", Valid())))));

        Assert.Equal(before, await host.AnsweringStateAsync(survey));
    }

    [Fact]
    public async Task The_token_is_taken_only_from_the_body_never_from_the_url()
    {
        var (_, token) = await host.InvitedAsync();

        var response = await host.Public().PostJsonAsync($"{Form}?token={token}", new JsonObject());

        Assert.Equal(["token"], Keys(await ErrorsAsync(response)));
    }

    public static TheoryData<string, string, string> BadAnswers() => new()
    {
        // answers (merged over a valid set), the field named, the code
        { """{"used": 1}""", "answers.used", "wrong-type" },
        { """{"used": "maybe"}""", "answers.used", "not-an-option" },
        { """{"channels": "web"}""", "answers.channels", "wrong-type" },
        { """{"channels": ["web", "phone", "visit"]}""", "answers.channels", "too-many-picks" },
        { """{"satisfied": 6}""", "answers.satisfied", "out-of-range" },
        { """{"satisfied": "4"}""", "answers.satisfied", "wrong-type" },
        { """{"nps": 11}""", "answers.nps", "out-of-range" },
        { """{"nps": -1}""", "answers.nps", "out-of-range" },
        { """{"visits": 51}""", "answers.visits", "out-of-range" },
        { """{"visits": 2.5}""", "answers.visits", "not-on-step" },
        { """{"priorities": ["a"]}""", "answers.priorities", "rank-count" },
        { """{"priorities": ["a", "a"]}""", "answers.priorities", "duplicate" },
        { """{"aspects": {"r1": "great"}}""", "answers.aspects", "not-an-option" },
        { """{"budget": {"x": 5, "y": 4}}""", "answers.budget", "voucher-total" },
        { """{"budget": {"x": 6, "y": 6}}""", "answers.budget", "voucher-total" },
        { """{"budget": {"x": 7, "y": 3}}""", "answers.budget", "cap-exceeded" },
        { """{"budget": {"x": 5, "q": 5}}""", "answers.budget", "not-an-option" },
        { """{"budget": {"x": 4.5, "y": 5.5}}""", "answers.budget", "wrong-type" },
        { """{"why": "__LONG__"}""", "answers.why", "too-long" },
        { """{"shoeSize": 42}""", "answers.shoeSize", "unknown-question" },
        { """{"nps": null}""", "answers.nps", "required" },
    };

    [Theory]
    [MemberData(nameof(BadAnswers))]
    public async Task A_bad_answer_is_a_400_naming_the_question_and_nothing_is_stored_or_told(string change, string field, string code)
    {
        var (survey, token) = await host.InvitedAsync();
        var answers = Valid();
        foreach (var (key, value) in JsonNode.Parse(change.Replace("__LONG__", new string('a', 501), StringComparison.Ordinal))!.AsObject())
        {
            answers[key] = value?.DeepClone();
        }

        var before = await host.AnsweringStateAsync(survey);

        var response = await host.Public().PostJsonAsync(Submit, Request(token, answers));

        var body = await response.Content.ReadAsStringAsync();
        var errors = await ErrorsAsync(response);
        Assert.Contains(field, Keys(errors));
        var problems = JsonDocument.Parse(body).RootElement.GetProperty("answerErrors").EnumerateArray().ToList();
        Assert.Contains(problems, p => $"answers.{p.GetProperty("questionId").GetString()}" == field && p.GetProperty("code").GetString() == code);
        Assert.Equal(before, await host.AnsweringStateAsync(survey));

        if (code != "required")
        {
            // Saving the same answer for later is refused the same way.
            var page = field is "answers.used" or "answers.channels" or "answers.satisfied" or "answers.nps" ? "p1" : null;
            Assert.Contains(field, Keys(await ErrorsAsync(await host.Public().PutJsonAsync(Draft, Request(token, answers, page: page is null ? null : page)))));
            Assert.Equal(before, await host.AnsweringStateAsync(survey));
        }
    }

    [Fact]
    public async Task Answers_saved_for_a_page_must_be_that_pages_and_the_page_must_exist()
    {
        var (survey, token) = await host.InvitedAsync();
        var before = await host.AnsweringStateAsync(survey);
        var resident = host.Public();

        var notOnPage = await resident.PutJsonAsync(Draft, Request(token, new JsonObject { ["used"] = "yes", ["visits"] = 3 }, page: "p1"));
        var noPage = await resident.PutJsonAsync(Draft, Request(token, Page1(), page: "p9"));
        var nothing = await resident.PutJsonAsync(Draft, Request(token));
        var language = await resident.PostJsonAsync(Form, Request(token, language: "de"));

        Assert.Equal(["answers.visits"], Keys(await ErrorsAsync(notOnPage)));
        Assert.Equal(["page"], Keys(await ErrorsAsync(noPage)));
        Assert.Equal(["answers"], Keys(await ErrorsAsync(nothing)));
        Assert.Equal(["language"], Keys(await ErrorsAsync(language)));
        Assert.Equal(["answers.nps", "answers.satisfied", "answers.used"], Keys(await ErrorsAsync(await resident.PostJsonAsync(Submit, Request(token)))).Order());
        Assert.Equal(before, await host.AnsweringStateAsync(survey));
    }

    [Fact]
    public async Task A_closed_survey_takes_no_more_answers_and_a_draft_is_not_kept()
    {
        var (survey, token) = await host.InvitedAsync();
        var resident = host.Public();
        (await resident.PutJsonAsync(Draft, Request(token, Page1(), page: "p1"))).EnsureSuccessStatusCode();
        (await host.As(Staff.Coordinator()).PostAsync($"/api/surveys/{survey}/close")).EnsureSuccessStatusCode();
        var before = await host.AnsweringStateAsync(survey);

        Assert.Equal("closed", await ReasonAsync(await resident.PostJsonAsync(Submit, Request(token, Valid())), HttpStatusCode.Gone));
        Assert.Equal("closed", await ReasonAsync(await resident.PostJsonAsync(Form, Request(token)), HttpStatusCode.Gone));
        Assert.Equal("closed", await ReasonAsync(await resident.PutJsonAsync(Draft, Request(token, Page1(), page: "p1")), HttpStatusCode.Gone));
        Assert.Equal(before, await host.AnsweringStateAsync(survey));

        await host.MixAsync();
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM answer_drafts WHERE survey_id = @p0", survey));
    }

    [Fact]
    public async Task Answering_needs_the_gateways_token()
    {
        var (survey, token) = await host.InvitedAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client(null).PostJsonAsync(Form, Request(token))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client(TestTokens.Forged(ServiceNames.Surveys)).PostJsonAsync(Submit, Request(token, Valid()))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client(TestTokens.Public(ServiceNames.Membership)).PutJsonAsync(Draft, Request(token, Page1(), page: "p1"))).StatusCode);
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE survey_id = @p0 AND opened", survey));
    }

    [Fact]
    public async Task Once_answers_wait_for_the_mixer_the_survey_counts_as_answered_and_only_texts_may_change()
    {
        var (survey, token) = await host.InvitedAsync();
        (await host.Public().PostJsonAsync(Submit, Request(token, Valid()))).EnsureSuccessStatusCode();
        var coordinator = host.As(Staff.Coordinator());
        var changed = Survey();
        Question(changed, 0, 0)["options"] = Options("yes", "no", "maybe");

        Assert.True((await coordinator.GetSurveyAsync(survey)).GetProperty("hasAnswers").GetBoolean());
        await ConflictAsync(await coordinator.PutAsync($"/api/surveys/{survey}", Json(changed)));
    }
    [Fact]
    public async Task A_survey_closed_just_after_an_answer_takes_no_more_even_while_its_definition_is_cached()
    {
        var (survey, first) = await host.InvitedAsync();
        var second = (await host.InviteAsync(survey)).Single();
        var resident = host.Public();
        // The first answer reads the survey, open, into the answering cache.
        (await resident.PostJsonAsync(Submit, Request(first, Valid()))).EnsureSuccessStatusCode();
        (await host.As(Staff.Coordinator()).PostAsync($"/api/surveys/{survey}/close")).EnsureSuccessStatusCode();
        var before = await host.AnsweringStateAsync(survey);

        Assert.Equal("closed", await ReasonAsync(await resident.PostJsonAsync(Submit, Request(second, Valid())), HttpStatusCode.Gone));
        Assert.Equal(before, await host.AnsweringStateAsync(survey));
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE survey_id = @p0 AND answered", survey));
    }

    [Fact]
    public async Task An_answer_after_a_revision_is_stored_under_the_new_definition_version_even_while_the_old_is_cached()
    {
        var (survey, first) = await host.InvitedAsync();
        var second = (await host.InviteAsync(survey)).Single();
        var resident = host.Public();
        (await resident.PostJsonAsync(Submit, Request(first, Valid()))).EnsureSuccessStatusCode();
        var version = await host.VersionAsync(survey);
        // A revision (as a text fix makes one) while the cache still holds the version the first answer read.
        await host.ExecuteAsync("UPDATE surveys SET definition_version = definition_version + 1 WHERE id = @p0", survey);

        (await resident.PostJsonAsync(Submit, Request(second, Valid()))).EnsureSuccessStatusCode();

        Assert.Equal($"{version},{version + 1}", await host.Database.ScalarAsync<string>(
            "SELECT string_agg(definition_version::text, ',' ORDER BY definition_version) FROM pending_responses WHERE survey_id = @p0", survey));
    }
}
