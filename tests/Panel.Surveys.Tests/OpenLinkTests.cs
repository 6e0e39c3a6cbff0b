using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Panel.Contracts;
using static Panel.Surveys.Tests.Answering;
using static Panel.Surveys.Tests.Samples;

namespace Panel.Surveys.Tests;

/// <summary>An open survey: anyone with its public link answers, without membership, saving under a resume code.</summary>
public sealed class OpenLinkTests(SurveysHost host) : IClassFixture<SurveysHost>
{
    private static JsonObject Body(string? resumeCode = null, JsonObject? answers = null, string? page = null, string? language = null)
    {
        var body = new JsonObject();
        if (resumeCode is not null)
        {
            body["resumeCode"] = resumeCode;
        }

        if (answers is not null)
        {
            body["answers"] = answers.DeepClone();
        }

        if (page is not null)
        {
            body["page"] = page;
        }

        if (language is not null)
        {
            body["language"] = language;
        }

        return body;
    }

    private static JsonObject Page1() => new() { ["used"] = "yes", ["channels"] = new JsonArray("visit"), ["satisfied"] = 5, ["nps"] = 10 };

    [Fact]
    public async Task Anyone_answers_page_by_page_resumes_with_the_code_and_submits_as_open_link()
    {
        var (survey, publicId) = await host.OpenLinkSurveyAsync();
        var anyone = host.Public();

        var form = await (await anyone.PostJsonAsync(OpenForm(publicId), Body(language: "en"))).BodyAsync(HttpStatusCode.OK);
        Assert.Equal("open-link", form.GetProperty("channel").GetString());
        Assert.Equal("Home care survey (en)", form.GetProperty("form").GetProperty("title").GetString());
        Assert.False(form.TryGetProperty("resumeCode", out _));
        Assert.Equal("fi", (await (await anyone.PostJsonAsync(OpenForm(publicId), Body())).BodyAsync(HttpStatusCode.OK)).GetProperty("form").GetProperty("language").GetString());

        var saved = await (await anyone.PutJsonAsync(OpenDraft(publicId), Body(answers: Page1(), page: "p1"))).BodyAsync(HttpStatusCode.OK);
        var code = saved.GetProperty("resumeCode").GetString()!;
        Assert.Equal(32, code.Length);
        Assert.Equal("p2", saved.GetProperty("navigation").GetProperty("next").GetString());
        Assert.DoesNotContain(code, await host.Database.DumpTextAsync(), StringComparison.Ordinal);

        // Another day, another browser: the code brings the answers back.
        var resumed = await (await host.Public().PostJsonAsync(OpenForm(publicId), Body(code))).BodyAsync(HttpStatusCode.OK);
        Assert.Equal("yes", resumed.GetProperty("answers").GetProperty("used").GetString());
        Assert.Equal(code, resumed.GetProperty("resumeCode").GetString());
        var again = await (await anyone.PutJsonAsync(OpenDraft(publicId), Body(code, new JsonObject { ["visits"] = 2 }, "p2"))).BodyAsync(HttpStatusCode.OK);
        Assert.Equal(code, again.GetProperty("resumeCode").GetString());
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM answer_drafts WHERE survey_id = @p0", survey));

        var received = await (await anyone.PostJsonAsync(OpenSubmit(publicId), Body(code, language: "sv"))).BodyAsync(HttpStatusCode.OK);

        Assert.Equal("The home care team chooses what to improve (sv)", received.GetProperty("resultsUse").GetString());
        Assert.Equal("open-link", await host.Database.ScalarAsync<string>("SELECT channel FROM pending_responses WHERE survey_id = @p0", survey));
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0 AND profile IS NULL", survey));
        Assert.Equal(2, await host.Database.ScalarAsync<int>("SELECT (answers->>'visits')::int FROM pending_responses WHERE survey_id = @p0", survey));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM answer_drafts WHERE survey_id = @p0", survey));
        Assert.Equal("unknown-resume-code", await ReasonAsync(await anyone.PostJsonAsync(OpenForm(publicId), Body(code)), HttpStatusCode.NotFound));

        await host.CloseAndMixAsync(survey);
        var submitted = (await host.ResponsesAsync(survey)).Single();
        Assert.Equal("open-link", submitted.GetProperty("channel").GetString());
        Assert.Equal(JsonValueKind.Null, submitted.GetProperty("profile").ValueKind);
        Assert.Equal(["SurveySubmitted", "SurveyApproved", "SurveyOpened", "SurveyClosed", "ResponsesSubmitted", "SurveyAnswersFinalized"], await host.EventNamesAsync(survey));
    }

    [Fact]
    public async Task An_open_link_takes_answers_at_once_and_more_than_one_from_the_same_caller()
    {
        var (survey, publicId) = await host.OpenLinkSurveyAsync();
        var anyone = host.Public();

        (await anyone.PostJsonAsync(OpenSubmit(publicId), Body(answers: Valid()))).EnsureSuccessStatusCode();
        (await anyone.PostJsonAsync(OpenSubmit(publicId), Body(answers: Valid()))).EnsureSuccessStatusCode();

        Assert.Equal(2, await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0", survey));
        Assert.Equal("Call me on [PHONE] or write to [EMAIL], my code is [ID].",
            await host.Database.ScalarAsync<string>("SELECT answers->>'why' FROM pending_responses WHERE survey_id = @p0 LIMIT 1", survey));
    }

    [Theory]
    [InlineData("draft", "unknown-survey", HttpStatusCode.NotFound)]
    [InlineData("approved", "not-open", HttpStatusCode.Conflict)]
    [InlineData("closed", "closed", HttpStatusCode.Gone)]
    public async Task A_survey_not_open_takes_no_answers_by_its_link(string state, string reason, HttpStatusCode status)
    {
        var (survey, publicId) = await host.OpenLinkSurveyAsync(state);
        var anyone = host.Public();

        Assert.Equal(reason, await ReasonAsync(await anyone.PostJsonAsync(OpenForm(publicId), Body()), status));
        Assert.Equal(reason, await ReasonAsync(await anyone.PutJsonAsync(OpenDraft(publicId), Body(answers: Page1(), page: "p1")), status));
        Assert.Equal(reason, await ReasonAsync(await anyone.PostJsonAsync(OpenSubmit(publicId), Body(answers: Valid())), status));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0", survey));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM answer_drafts WHERE survey_id = @p0", survey));
    }

    [Fact]
    public async Task Unknown_links_and_codes_are_404_and_a_panel_survey_has_no_open_link()
    {
        var (survey, publicId) = await host.OpenLinkSurveyAsync();
        var (_, otherPublicId) = await host.OpenLinkSurveyAsync();
        var otherCode = (await (await host.Public().PutJsonAsync(OpenDraft(otherPublicId), Body(answers: Page1(), page: "p1"))).BodyAsync(HttpStatusCode.OK))
            .GetProperty("resumeCode").GetString()!;
        var panelSurvey = await host.SurveyInStateAsync(Staff.Author(), "open");
        var anyone = host.Public();

        Assert.Equal("unknown-survey", await ReasonAsync(await anyone.PostJsonAsync(OpenForm("no-such-link"), Body()), HttpStatusCode.NotFound));
        Assert.Equal("unknown-survey", await ReasonAsync(await anyone.PostJsonAsync(OpenForm(panelSurvey.ToString()), Body()), HttpStatusCode.NotFound));
        Assert.Equal("unknown-survey", await ReasonAsync(await anyone.PostJsonAsync(OpenSubmit(new string('a', 200)), Body(answers: Valid())), HttpStatusCode.NotFound));
        Assert.Equal("unknown-resume-code", await ReasonAsync(await anyone.PostJsonAsync(OpenForm(publicId), Body(otherCode)), HttpStatusCode.NotFound));
        Assert.Equal("unknown-resume-code", await ReasonAsync(await anyone.PutJsonAsync(OpenDraft(publicId), Body("guess", Page1(), "p1")), HttpStatusCode.NotFound));
        Assert.Equal("unknown-resume-code", await ReasonAsync(await anyone.PostJsonAsync(OpenSubmit(publicId), Body("guess", Valid())), HttpStatusCode.NotFound));
        Assert.Equal(["resumeCode"], Keys(await ErrorsAsync(await anyone.PostJsonAsync(OpenForm(publicId), Body(" ")))));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0", survey));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM answer_drafts WHERE survey_id = @p0", survey));
    }

    [Theory]
    [InlineData("""{"budget": {"x": 1, "y": 1}}""", "answers.budget")]
    [InlineData("""{"nps": 12}""", "answers.nps")]
    [InlineData("""{"satisfied": [4]}""", "answers.satisfied")]
    [InlineData("""{"favourite": "x"}""", "answers.favourite")]
    public async Task Bad_answers_by_an_open_link_are_a_400_and_store_nothing(string change, string field)
    {
        var (survey, publicId) = await host.OpenLinkSurveyAsync();
        var answers = Valid();
        foreach (var (key, value) in JsonNode.Parse(change)!.AsObject())
        {
            answers[key] = value?.DeepClone();
        }

        Assert.Contains(field, Keys(await ErrorsAsync(await host.Public().PostJsonAsync(OpenSubmit(publicId), Body(answers: answers)))));
        Assert.Contains(field, Keys(await ErrorsAsync(await host.Public().PutJsonAsync(OpenDraft(publicId), Body(answers: answers)))));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0", survey));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM answer_drafts WHERE survey_id = @p0", survey));
    }
}

/// <summary>The cap on answers per minute per open-link survey, behind the gateway's limit per address.</summary>
public sealed class OpenLinkCapTests(OpenLinkCapTests.Host host) : IClassFixture<OpenLinkCapTests.Host>
{
    public sealed class Host : SurveysHost
    {
        protected override void Configure(IDictionary<string, string?> settings) => settings["Surveys:OpenLinkResponsesPerMinute"] = "3";
    }

    [Fact]
    public async Task More_answers_in_a_minute_than_the_cap_are_refused_with_429_until_the_next_minute()
    {
        var (survey, publicId) = await host.OpenLinkSurveyAsync();
        var (otherSurvey, otherPublicId) = await host.OpenLinkSurveyAsync();
        var body = new JsonObject { ["answers"] = Valid() };
        // Start at the beginning of a minute of the test clock, so the three fit in one.
        var now = host.Clock.GetUtcNow();
        host.Clock.Advance(TimeSpan.FromSeconds(60 - now.Second) - TimeSpan.FromMilliseconds(now.Millisecond) + TimeSpan.FromSeconds(1));

        for (var i = 0; i < 3; i++)
        {
            (await host.Public().PostJsonAsync(OpenSubmit(publicId), body.DeepClone())).EnsureSuccessStatusCode();
        }

        var refused = await host.Public().PostJsonAsync(OpenSubmit(publicId), body.DeepClone());
        Assert.Equal("busy", await ReasonAsync(refused, HttpStatusCode.TooManyRequests));
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 60);
        Assert.Equal(3, await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0", survey));
        (await host.Public().PostJsonAsync(OpenSubmit(otherPublicId), body.DeepClone())).EnsureSuccessStatusCode();

        host.Clock.Advance(TimeSpan.FromMinutes(1));
        (await host.Public().PostJsonAsync(OpenSubmit(publicId), body.DeepClone())).EnsureSuccessStatusCode();
        Assert.Equal(4, await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0", survey));
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0", otherSurvey));
    }

    [Fact]
    public async Task New_saved_drafts_are_capped_too()
    {
        var (survey, publicId) = await host.OpenLinkSurveyAsync();
        var body = new JsonObject { ["page"] = "p1", ["answers"] = new JsonObject { ["used"] = "no" } };
        var now = host.Clock.GetUtcNow();
        host.Clock.Advance(TimeSpan.FromSeconds(60 - now.Second) - TimeSpan.FromMilliseconds(now.Millisecond) + TimeSpan.FromSeconds(1));

        var codes = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            codes.Add((await (await host.Public().PutJsonAsync(OpenDraft(publicId), body.DeepClone())).BodyAsync(HttpStatusCode.OK)).GetProperty("resumeCode").GetString()!);
        }

        Assert.Equal("busy", await ReasonAsync(await host.Public().PutJsonAsync(OpenDraft(publicId), body.DeepClone()), HttpStatusCode.TooManyRequests));
        // Saving again under a code one has is not a new draft.
        var resave = body.DeepClone().AsObject();
        resave["resumeCode"] = codes[0];
        (await host.Public().PutJsonAsync(OpenDraft(publicId), resave)).EnsureSuccessStatusCode();
        Assert.Equal(3, await host.Database.ScalarAsync<long>("SELECT count(*) FROM answer_drafts WHERE survey_id = @p0", survey));
    }
}
