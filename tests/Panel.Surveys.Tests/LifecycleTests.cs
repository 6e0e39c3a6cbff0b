using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Panel.Contracts;
using Panel.ServiceDefaults;
using Panel.TestSupport;
using static Panel.Surveys.Tests.Samples;

namespace Panel.Surveys.Tests;

/// <summary>Draft → in review → approved → open → closed → results published, each step with its event.</summary>
public sealed class LifecycleTests(SurveysHost host) : IClassFixture<SurveysHost>
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public async Task A_survey_goes_from_draft_to_published_results_with_reviews_kept_and_an_event_for_every_step()
    {
        var author = Staff.Author();
        var contact = Staff.Contact();
        var coordinator = Staff.Coordinator();
        var id = await host.As(author).CreateIdAsync();

        (await host.As(author).PostAsync($"/api/surveys/{id}/submit")).EnsureSuccessStatusCode();
        var comment = await host.As(contact).PostAsync($"/api/surveys/{id}/reviews", new { comment = "Question 3 is unclear." });
        var returned = await host.As(contact).PostAsync($"/api/surveys/{id}/reviews", new { comment = "Please reword question 3.", returnToDraft = true });
        Assert.Equal("Draft", await host.StateAsync(id));
        var reworded = Survey();
        Question(reworded, 0, 2)["text"] = T("I am satisfied with home care");
        (await host.As(author).PutAsync($"/api/surveys/{id}", Json(reworded))).EnsureSuccessStatusCode();
        (await host.As(author).PostAsync($"/api/surveys/{id}/submit")).EnsureSuccessStatusCode();
        var opensAt = host.Clock.GetUtcNow() + Day;
        var approved = await host.As(coordinator).PostAsync($"/api/surveys/{id}/approve", new { opensAt, closesAt = opensAt + 7 * Day, comment = "Good to go." });

        var approvedBody = await approved.BodyAsync(HttpStatusCode.OK);
        Assert.Equal("approved", approvedBody.GetProperty("state").GetString());
        Assert.Equal(opensAt, approvedBody.GetProperty("opensAt").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.Created, comment.StatusCode);
        var reviews = await host.As(author).GetFromJsonAsync<JsonElement>($"/api/surveys/{id}/reviews");
        Assert.Equal(["comment", "returned-to-draft", "approved"], reviews.EnumerateArray().Select(r => r.GetProperty("decision").GetString()));
        Assert.Equal(["DomainContact", "DomainContact", "Coordinator"], reviews.EnumerateArray().Select(r => r.GetProperty("authorRole").GetString()));
        Assert.Equal(contact.Id, reviews[0].GetProperty("authorId").GetString());
        Assert.Equal("Please reword question 3.", reviews[1].GetProperty("comment").GetString());
        Assert.Equal([1, 1, 2], reviews.EnumerateArray().Select(r => r.GetProperty("definitionVersion").GetInt32()));
        Assert.Equal(HttpStatusCode.Created, returned.StatusCode);

        // The hosted clock may get there first when time moves; either way the survey moves once.
        host.Clock.Advance(Day);
        await host.RunClockAsync();
        await Eventually.UntilAsync(() => host.StateAsync(id), s => s == "Open", TimeSpan.FromSeconds(10), "the survey to open");
        host.Clock.Advance(7 * Day);
        await host.RunClockAsync();
        await Eventually.UntilAsync(() => host.StateAsync(id), s => s == "Closed", TimeSpan.FromSeconds(10), "the survey to close");
        var published = await host.As(Staff.Communications()).PostAsync($"/api/surveys/{id}/publish-results");

        Assert.Equal("results-published", (await published.BodyAsync(HttpStatusCode.OK)).GetProperty("state").GetString());
        Assert.Equal(
            ["SurveySubmitted", "SurveyReturned", "SurveySubmitted", "SurveyApproved", "SurveyOpened", "SurveyClosed", "SurveyResultsPublished"],
            await host.EventNamesAsync(id));
        Assert.False((await host.EventsAsync<SurveyClosed>(id)).Single().GetProperty("closedEarly").GetBoolean());
        var results = (await host.EventsAsync<SurveyResultsPublished>(id)).Single();
        Assert.Equal("To learn how home care works (sv)", results.GetProperty("purpose").GetProperty("sv").GetString());
        Assert.Equal(5, results.GetProperty("minimumGroupSize").GetInt32());
    }

    [Fact]
    public async Task The_approval_event_carries_the_questions_k_texts_and_schedule_for_Membership_and_Reporting()
    {
        var id = await host.SurveyInStateAsync(Staff.Author(), "approved");

        var approved = (await host.EventsAsync<SurveyApproved>(id)).Single();

        Assert.Equal(1, approved.GetProperty("version").GetInt32());
        var definition = approved.GetProperty("definition");
        Assert.Equal("questionnaire", definition.GetProperty("kind").GetString());
        Assert.Equal(SurveysHost.Area, definition.GetProperty("serviceArea").GetString());
        Assert.Equal(5, definition.GetProperty("minimumGroupSize").GetInt32());
        Assert.Equal(["fi", "sv", "en"], definition.GetProperty("languages").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("The home care team chooses what to improve (en)", definition.GetProperty("resultsUse").GetProperty("en").GetString());
        var questions = definition.GetProperty("pages").EnumerateArray().SelectMany(p => p.GetProperty("questions").EnumerateArray()).ToList();
        Assert.Equal(["single-choice", "multiple-choice", "likert", "nps", "number", "free-text", "ranking", "matrix", "budget"],
            questions.Select(q => q.GetProperty("type").GetString()));
        var likert = questions[2];
        Assert.Equal((1m, 5m), (likert.GetProperty("min").GetDecimal(), likert.GetProperty("max").GetDecimal()));
        Assert.Equal(["1", "2", "3", "4", "5"], likert.GetProperty("scale").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(2, questions[6].GetProperty("rankCount").GetInt32());
        Assert.Equal(10, questions[8].GetProperty("vouchers").GetInt32());
        Assert.Equal(6, questions[8].GetProperty("options")[0].GetProperty("cap").GetInt32());
        Assert.Equal("nps", questions[5].GetProperty("showIf").GetProperty("questionId").GetString());
        Assert.Equal(JsonValueKind.Null, approved.GetProperty("targetGroup").ValueKind);
        Assert.True(approved.GetProperty("closesAt").GetDateTimeOffset() > approved.GetProperty("opensAt").GetDateTimeOffset());
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM survey_versions WHERE survey_id = @p0 AND version = 1", id));
    }

    [Fact]
    public async Task Approving_with_the_opening_time_now_opens_at_once_and_tells_Membership()
    {
        var id = await host.SurveyInStateAsync(Staff.Author(), "in-review");

        var now = host.Clock.GetUtcNow();

        var response = await host.As(Staff.Coordinator()).PostAsync($"/api/surveys/{id}/approve", new { opensAt = now, closesAt = now + 3 * Day });

        Assert.Equal("open", (await response.BodyAsync(HttpStatusCode.OK)).GetProperty("state").GetString());
        var opened = (await host.EventsAsync<SurveyOpened>(id)).Single();
        Assert.Equal(["fi", "sv", "en"], opened.GetProperty("languages").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("Home care survey (fi)", opened.GetProperty("title").GetProperty("fi").GetString());
        Assert.Equal(now + 3 * Day, opened.GetProperty("closesAt").GetDateTimeOffset());
        Assert.Equal(["SurveySubmitted", "SurveyApproved", "SurveyOpened"], await host.EventNamesAsync(id));
    }

    [Fact]
    public async Task The_clock_opens_and_closes_surveys_by_itself_when_time_passes()
    {
        var id = await host.SurveyInStateAsync(Staff.Author(), "in-review");
        (await host.As(Staff.Coordinator()).PostAsync($"/api/surveys/{id}/approve",
            host.Schedule(TimeSpan.FromMinutes(30), TimeSpan.FromHours(5)))).EnsureSuccessStatusCode();

        // The host's own clock does the work. Time keeps moving a minute (its check interval) per look: a move
        // made while the clock was busy would otherwise leave it waiting for a check time that never comes.
        host.Clock.Advance(TimeSpan.FromHours(1));
        await Eventually.UntilAsync(() => StateAfterAsync(id, TimeSpan.FromMinutes(1)), s => s == "Open", TimeSpan.FromSeconds(20), "the clock to open the survey");
        host.Clock.Advance(TimeSpan.FromHours(5));
        await Eventually.UntilAsync(() => StateAfterAsync(id, TimeSpan.FromMinutes(1)), s => s == "Closed", TimeSpan.FromSeconds(20), "the clock to close the survey");

        Assert.Equal(["SurveySubmitted", "SurveyApproved", "SurveyOpened", "SurveyClosed"], await host.EventNamesAsync(id));
    }

    private async Task<string> StateAfterAsync(Guid id, TimeSpan step)
    {
        var state = await host.StateAsync(id);
        host.Clock.Advance(step);
        return state;
    }

    [Fact]
    public async Task A_window_that_passed_while_the_service_was_down_opens_and_closes_in_one_run()
    {
        var id = await host.SurveyInStateAsync(Staff.Author(), "approved");

        host.Clock.Advance(30 * Day);
        await host.RunClockAsync();

        await Eventually.UntilAsync(() => host.StateAsync(id), s => s == "Closed", TimeSpan.FromSeconds(10), "the survey to close");
        Assert.Equal(["SurveySubmitted", "SurveyApproved", "SurveyOpened", "SurveyClosed"], await host.EventNamesAsync(id));
    }

    [Fact]
    public async Task A_coordinator_closes_an_open_survey_early()
    {
        var id = await host.SurveyInStateAsync(Staff.Author(), "open");

        var response = await host.As(Staff.Coordinator()).PostAsync($"/api/surveys/{id}/close");

        Assert.Equal("closed", (await response.BodyAsync(HttpStatusCode.OK)).GetProperty("state").GetString());
        Assert.True((await host.EventsAsync<SurveyClosed>(id)).Single().GetProperty("closedEarly").GetBoolean());
    }

    public static TheoryData<string, string> WrongStates() => new()
    {
        { "submit", "in-review" }, { "submit", "approved" }, { "submit", "results-published" },
        { "approve", "draft" }, { "approve", "approved" }, { "approve", "open" },
        { "close", "draft" }, { "close", "approved" }, { "close", "closed" },
        { "publish-results", "open" }, { "publish-results", "in-review" }, { "publish-results", "results-published" },
        { "schedule", "draft" }, { "schedule", "closed" },
        { "reviews", "draft" }, { "reviews", "open" },
    };

    [Theory]
    [MemberData(nameof(WrongStates))]
    public async Task A_transition_from_the_wrong_state_is_a_409_with_a_reason_and_changes_nothing(string action, string state)
    {
        var id = await host.SurveyInStateAsync(Staff.Author(), state);
        var events = await host.EventNamesAsync(id);
        var dbState = await host.StateAsync(id);
        object body = action switch
        {
            "approve" or "schedule" => host.Schedule(Day, 2 * Day),
            "reviews" => new { comment = "Looks fine." },
            _ => new { },
        };

        var response = await host.As(Staff.Coordinator()).PostAsync($"/api/surveys/{id}/{action}", body);

        var problem = await ConflictAsync(response);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.Equal(state, problem.GetProperty("state").GetString());
        Assert.Equal(dbState, await host.StateAsync(id));
        Assert.Equal(events, await host.EventNamesAsync(id));
    }

    [Fact]
    public async Task A_survey_without_questions_cannot_be_submitted()
    {
        var empty = Survey();
        empty["pages"] = new JsonArray();
        var client = host.As(Staff.Author());
        var id = await client.CreateIdAsync(empty);

        var problem = await ConflictAsync(await client.PostAsync($"/api/surveys/{id}/submit"));

        Assert.Contains("no questions", problem.GetProperty("detail").GetString());
        Assert.Equal("Draft", await host.StateAsync(id));
    }

    [Fact]
    public async Task A_participatory_budget_needs_a_budget_question_to_be_submitted()
    {
        var s = Survey();
        s["kind"] = "participatory-budget";
        s["pages"]![1]!["questions"]!.AsArray().RemoveAt(4);
        var client = host.As(Staff.Author());
        var id = await client.CreateIdAsync(s);

        var problem = await ConflictAsync(await client.PostAsync($"/api/surveys/{id}/submit"));

        Assert.Contains("budget question", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Approval_requires_every_text_in_every_survey_language()
    {
        var s = Survey();
        Question(s, 1, 3)["rows"]![1]!["label"]!.AsObject().Remove("en");
        s.Remove("purpose");
        var id = await host.SurveyInStateAsync(Staff.Author(), "in-review", s);

        var response = await host.As(Staff.Coordinator()).PostAsync($"/api/surveys/{id}/approve", host.Schedule(Day, 2 * Day));

        var problem = await ConflictAsync(response);
        var reasons = problem.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Equal(["fi: purpose", "sv: purpose", "en: purpose", "en: pages[1].questions[3].rows[1].label"], reasons);
        Assert.Equal("InReview", await host.StateAsync(id));
        Assert.Empty(await host.EventsAsync<SurveyApproved>(id));
    }

    public static TheoryData<string, string> BadSchedules() => new()
    {
        { "{\"closesAt\":\"2099-01-01T00:00:00Z\"}", "opensAt" },
        { "{\"opensAt\":\"2099-01-01T00:00:00Z\"}", "closesAt" },
        { "{\"opensAt\":\"2000-01-01T00:00:00Z\",\"closesAt\":\"2099-01-01T00:00:00Z\"}", "opensAt" },
        { "{\"opensAt\":\"2099-01-02T00:00:00Z\",\"closesAt\":\"2099-01-01T00:00:00Z\"}", "closesAt" },
        { "{\"opensAt\":\"2099-01-01T00:00:00Z\",\"closesAt\":\"2099-01-01T00:00:00Z\"}", "closesAt" },
        { "{\"opensAt\":\"tomorrow\",\"closesAt\":\"2099-01-01T00:00:00Z\"}", "opensAt" },
        { "{\"opensAt\":\"2099-01-01T00:00:00Z\",\"closesAt\":\"2099-02-01T00:00:00Z\",\"comment\":\"" + "x" + "\"}", "" },
    };

    [Theory]
    [MemberData(nameof(BadSchedules))]
    public async Task Approval_with_bad_times_is_a_400_naming_the_field_and_changes_nothing(string json, string field)
    {
        var id = await host.SurveyInStateAsync(Staff.Author(), "in-review");

        var response = await host.As(Staff.Coordinator()).PostAsync($"/api/surveys/{id}/approve", Json(json));

        if (field == "")
        {
            // The control case: the same request with good times is approved.
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return;
        }

        Assert.True((await ErrorsAsync(response)).TryGetProperty(field, out _));
        Assert.Equal("InReview", await host.StateAsync(id));
        Assert.Empty(await host.EventsAsync<SurveyApproved>(id));
    }

    [Fact]
    public async Task A_review_needs_a_comment_of_at_most_4000_characters()
    {
        var id = await host.SurveyInStateAsync(Staff.Author(), "in-review");
        var contact = host.As(Staff.Contact());

        var none = await contact.PostAsync($"/api/surveys/{id}/reviews", new { returnToDraft = true });
        var blank = await contact.PostAsync($"/api/surveys/{id}/reviews", new { comment = "   " });
        var tooLong = await contact.PostAsync($"/api/surveys/{id}/reviews", new { comment = new string('x', 4001) });
        var wrongType = await contact.PostAsync($"/api/surveys/{id}/reviews", Json("{\"comment\":\"ok\",\"returnToDraft\":\"yes\"}"));

        Assert.True((await ErrorsAsync(none)).TryGetProperty("comment", out _));
        Assert.True((await ErrorsAsync(blank)).TryGetProperty("comment", out _));
        Assert.True((await ErrorsAsync(tooLong)).TryGetProperty("comment", out _));
        Assert.True((await ErrorsAsync(wrongType)).TryGetProperty("returnToDraft", out _));
        Assert.Equal("InReview", await host.StateAsync(id));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM survey_reviews WHERE survey_id = @p0", id));
    }

    [Fact]
    public async Task An_approved_survey_can_be_rescheduled_and_an_open_one_given_a_later_closing_time()
    {
        var coordinator = host.As(Staff.Coordinator());
        var approved = await host.SurveyInStateAsync(Staff.Author(), "approved");
        var open = await host.SurveyInStateAsync(Staff.Author(), "open");
        var openedAt = (await coordinator.GetSurveyAsync(open)).GetProperty("opensAt").GetDateTimeOffset();

        var now = host.Clock.GetUtcNow();

        var moved = await coordinator.PostAsync($"/api/surveys/{approved}/schedule", new { opensAt = now + 2 * Day, closesAt = now + 9 * Day });
        var extended = await coordinator.PostAsync($"/api/surveys/{open}/schedule", new { closesAt = now + 30 * Day });
        var movedOpening = await coordinator.PostAsync($"/api/surveys/{open}/schedule", new { opensAt = now + Day, closesAt = now + 30 * Day });
        var closedInPast = await coordinator.PostAsync($"/api/surveys/{open}/schedule", new { closesAt = now - Day });

        Assert.Equal(now + 2 * Day, (await moved.BodyAsync(HttpStatusCode.OK)).GetProperty("opensAt").GetDateTimeOffset());
        var extendedBody = await extended.BodyAsync(HttpStatusCode.OK);
        Assert.Equal(openedAt, extendedBody.GetProperty("opensAt").GetDateTimeOffset());
        Assert.Equal(now + 30 * Day, extendedBody.GetProperty("closesAt").GetDateTimeOffset());
        Assert.True((await ErrorsAsync(movedOpening)).TryGetProperty("opensAt", out _));
        Assert.True((await ErrorsAsync(closedInPast)).TryGetProperty("closesAt", out _));
        Assert.Single(await host.EventsAsync<SurveyRescheduled>(approved));
        Assert.Single(await host.EventsAsync<SurveyRescheduled>(open));
    }

    [Fact]
    public async Task After_approval_a_coordinator_may_fix_texts_which_makes_a_new_version_and_tells_Reporting()
    {
        var id = await host.SurveyInStateAsync(Staff.Author(), "open");
        var fixedTypo = Survey();
        Question(fixedTypo, 0, 3)["text"]!["fi"] = "Suosittelisitko meitä?";

        var response = await host.As(Staff.Coordinator()).PutAsync($"/api/surveys/{id}", Json(fixedTypo));

        Assert.Equal(2, (await response.BodyAsync(HttpStatusCode.OK)).GetProperty("definitionVersion").GetInt32());
        var revised = (await host.EventsAsync<SurveyRevised>(id)).Single();
        Assert.Equal(2, revised.GetProperty("version").GetInt32());
        Assert.Equal("Suosittelisitko meitä?", revised.GetProperty("definition").GetProperty("pages")[0].GetProperty("questions")[3].GetProperty("text").GetProperty("fi").GetString());
        Assert.Equal(2, await host.Database.ScalarAsync<long>("SELECT count(*) FROM survey_versions WHERE survey_id = @p0", id));
        Assert.Equal("Open", await host.StateAsync(id));
    }

    [Fact]
    public async Task After_approval_only_a_coordinator_changes_the_survey()
    {
        var owner = Staff.Author();
        var contact = Staff.Contact();
        var id = await host.SurveyInStateAsync(owner, "approved");

        var byOwner = await host.As(owner).PutAsync($"/api/surveys/{id}", Json(Survey()));
        var byContact = await host.As(contact).PatchAsync($"/api/surveys/{id}", Json("{\"minimumGroupSize\":9}"));

        Assert.Equal(HttpStatusCode.Forbidden, byOwner.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byContact.StatusCode);
        Assert.Equal(1, await host.VersionAsync(id));
    }

    [Fact]
    public async Task Once_answers_exist_changes_that_would_corrupt_them_are_a_409_with_reasons_and_text_fixes_pass()
    {
        var id = await host.SurveyInStateAsync(Staff.Author(), "open");
        await host.AddAnswerAsync(id, 1);
        var coordinator = host.As(Staff.Coordinator());
        var broken = Survey();
        broken["pages"]![1]!["questions"]!.AsArray().RemoveAt(4);
        Question(broken, 0, 0)["options"] = Options("yes", "no", "maybe");
        Question(broken, 1, 0)["max"] = 20;
        var typo = Survey();
        Question(typo, 0, 0)["options"]![0]!["label"] = T("Yes, I did");
        typo["minimumGroupSize"] = 6;

        var refused = await coordinator.PutAsync($"/api/surveys/{id}", Json(broken));
        var lowered = await coordinator.PatchAsync($"/api/surveys/{id}", Json("{\"minimumGroupSize\":4}"));
        var fixedTypo = await coordinator.PutAsync($"/api/surveys/{id}", Json(typo));

        var problem = await ConflictAsync(refused);
        var reasons = problem.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.Equal(3, reasons.Count);
        Assert.Contains(reasons, r => r.Contains("'budget' cannot be removed", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("'maybe' cannot be added", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("range of question 'visits'", StringComparison.Ordinal));
        Assert.Contains("lowered", (await ConflictAsync(lowered)).GetProperty("reasons")[0].GetString());
        var body = await fixedTypo.BodyAsync(HttpStatusCode.OK);
        Assert.True(body.GetProperty("hasAnswers").GetBoolean());
        Assert.Equal(2, body.GetProperty("definitionVersion").GetInt32());
        Assert.Equal(6, body.GetProperty("minimumGroupSize").GetInt32());
    }

    [Fact]
    public async Task An_approved_survey_cannot_lose_a_translation()
    {
        var id = await host.SurveyInStateAsync(Staff.Author(), "approved");
        var s = Survey();
        Question(s, 0, 0)["text"]!.AsObject().Remove("sv");

        var problem = await ConflictAsync(await host.As(Staff.Coordinator()).PutAsync($"/api/surveys/{id}", Json(s)));

        Assert.Equal(["sv: pages[0].questions[0].text"], problem.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(1, await host.VersionAsync(id));
    }

    [Fact]
    public async Task Before_answers_exist_a_coordinator_may_still_change_an_approved_surveys_structure()
    {
        var id = await host.SurveyInStateAsync(Staff.Author(), "approved");
        var s = Survey();
        s["pages"]![1]!["questions"]!.AsArray().RemoveAt(4);

        var response = await host.As(Staff.Coordinator()).PutAsync($"/api/surveys/{id}", Json(s));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(8, (await host.EventsAsync<SurveyRevised>(id)).Single().GetProperty("definition").GetProperty("pages")
            .EnumerateArray().Sum(p => p.GetProperty("questions").GetArrayLength()));
    }

    [Fact]
    public async Task The_events_reach_RabbitMQ_and_read_back_as_the_contract_records()
    {
        var bus = host.Services.GetRequiredService<IBus>();
        // Every SurveyApproved that reaches the queue: other tests' surveys are approved on the same bus meanwhile.
        var received = new System.Collections.Concurrent.ConcurrentQueue<SurveyApproved>();
        var handle = bus.ConnectReceiveEndpoint("surveys-test-approved-" + Guid.NewGuid().ToString("N"), e =>
            e.Handler<SurveyApproved>(ctx =>
            {
                received.Enqueue(ctx.Message);
                return Task.CompletedTask;
            }));
        await handle.Ready;
        try
        {
            var id = await host.SurveyInStateAsync(Staff.Author(), "approved");

            await Eventually.UntilAsync(() => Task.FromResult(received.Count(m => m.SurveyId == id)), n => n == 1, TimeSpan.FromSeconds(30), "this survey's SurveyApproved");
            var approved = received.Single(m => m.SurveyId == id);

            Assert.Equal(id, approved.SurveyId);
            var questions = approved.Definition.Pages.SelectMany(p => p.Questions).ToList();
            Assert.Equal(9, questions.Count);
            Assert.Equal(["bad", "ok", "good"], questions.Single(q => q.Type == "matrix").Scale.Select(s => s.Id));
            Assert.Equal("Home care survey (sv)", approved.Definition.Title["sv"]);
            await Eventually.UntilAsync(() => host.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL AND body->>'surveyId' = @p0", id.ToString()),
                n => n == 0, TimeSpan.FromSeconds(30), "the outbox to be relayed");
        }
        finally
        {
            await handle.StopAsync();
        }
    }
}
