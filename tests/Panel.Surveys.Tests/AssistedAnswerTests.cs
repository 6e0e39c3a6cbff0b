using System.Net;
using System.Text.Json.Nodes;
using Panel.Contracts;
using Panel.ServiceDefaults;
using static Panel.Surveys.Tests.Answering;

namespace Panel.Surveys.Tests;

/// <summary>Staff enter answers given with their help or on paper: recorded with the channel, never with the staff member.</summary>
public sealed class AssistedAnswerTests(SurveysHost host) : IClassFixture<SurveysHost>
{
    private static string Path(Guid survey) => $"/api/surveys/{survey}/assisted-responses";

    private static JsonObject Body(string? channel = "assisted", JsonObject? profile = null, JsonObject? answers = null) => new()
    {
        ["channel"] = channel,
        ["profile"] = profile,
        ["answers"] = answers ?? Valid(),
    };

    private static JsonObject ProfileJson() => new() { ["ageBand"] = "85+", ["municipality"] = "Pälkäne", ["gender"] = "man", ["language"] = "fi", ["isClient"] = true };

    [Fact]
    public async Task A_coordinator_enters_an_assisted_answer_with_the_residents_profile_and_is_not_recorded_with_it()
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        var helper = Staff.Coordinator();

        // k (5) residents of the same profile: fewer would share it with fewer than k, and it would be recoded away.
        for (var i = 0; i < 5; i++)
        {
            var received = await (await host.As(helper).PostJsonAsync(Path(survey), Body(profile: ProfileJson()))).BodyAsync(HttpStatusCode.OK);
            Assert.Equal("received", received.GetProperty("status").GetString());
        }

        await host.CloseAndMixAsync(survey);

        var submitted = (await host.ResponsesAsync(survey)).First();
        Assert.Equal("assisted", submitted.GetProperty("channel").GetString());
        Assert.Equal("Pälkäne", submitted.GetProperty("profile").GetProperty("municipality").GetString());
        Assert.Equal("85+", await host.Database.ScalarAsync<string>("SELECT min(profile->>'ageBand') FROM survey_responses WHERE survey_id = @p0", survey));
        Assert.Equal("[PHONE]", (await host.Database.ScalarAsync<string>("SELECT min(answers->>'why') FROM survey_responses WHERE survey_id = @p0", survey))[11..18]);
        Assert.DoesNotContain(helper.Id, await host.Database.DumpTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_domain_contact_of_the_area_enters_a_paper_answer_without_a_profile()
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        var contact = Staff.Contact();

        (await host.As(contact).PostJsonAsync(Path(survey), Body("paper"))).EnsureSuccessStatusCode();

        Assert.Equal("paper", await host.Database.ScalarAsync<string>("SELECT channel FROM pending_responses WHERE survey_id = @p0", survey));
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0 AND profile IS NULL", survey));
        Assert.DoesNotContain(contact.Id, await host.Database.DumpTextAsync(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadInput() => new()
    {
        { """{"answers":{}}""", "channel" },
        { """{"channel":"phone","answers":{}}""", "channel" },
        { """{"channel":"assisted"}""", "answers" },
        { """{"channel":"assisted","profile":{"ageBand":"90+","municipality":"Nokia","language":"fi"},"answers":{}}""", "profile.ageBand" },
        { """{"channel":"assisted","profile":{"ageBand":"85+","municipality":" ","language":"fi"},"answers":{}}""", "profile.municipality" },
        { """{"channel":"assisted","profile":{"ageBand":"85+","municipality":"Nokia","gender":"f","language":"fi"},"answers":{}}""", "profile.gender" },
        { """{"channel":"assisted","profile":{"ageBand":"85+","municipality":"Nokia"},"answers":{}}""", "profile.language" },
        { """{"channel":"assisted","answers":{"used":"yes","satisfied":9,"nps":5}}""", "answers.satisfied" },
        { """{"channel":"assisted","answers":{"used":"no","satisfied":3}}""", "answers.nps" },
        { """{"channel":"assisted","answers":{"used":"yes","satisfied":3,"nps":5,"budget":{"x":3,"y":3}}}""", "answers.budget" },
        { """{"channel":"assisted","answers":{"used":"yes","satisfied":3,"nps":5,"age":70}}""", "answers.age" },
        { """{"channel":"assisted","answers":[1,2]}""", "answers" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Bad_input_is_a_400_naming_the_field_and_stores_nothing(string body, string field)
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");

        var errors = await Samples.ErrorsAsync(await host.As(Staff.Coordinator()).PostAsync(Path(survey), Samples.Json(body)));

        Assert.Contains(field, Samples.Keys(errors));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0", survey));
    }

    [Theory]
    [InlineData("approved", HttpStatusCode.Conflict)]
    [InlineData("closed", HttpStatusCode.Conflict)]
    public async Task Answers_are_entered_only_while_the_survey_is_open(string state, HttpStatusCode expected)
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), state);

        Assert.Equal(expected, (await host.As(Staff.Coordinator()).PostJsonAsync(Path(survey), Body())).StatusCode);
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0", survey));
    }

    [Fact]
    public async Task Only_coordinators_and_domain_contacts_of_the_area_enter_answers()
    {
        var owner = Staff.Author();
        var survey = await host.SurveyInStateAsync(owner, "open");
        async Task<HttpStatusCode> As(HttpClient client) => (await client.PostJsonAsync(Path(survey), Body())).StatusCode;

        Assert.Equal(HttpStatusCode.OK, await As(host.As(Staff.Coordinator())));
        Assert.Equal(HttpStatusCode.OK, await As(host.As(Staff.Contact())));
        Assert.Equal(HttpStatusCode.NotFound, await As(host.As(Staff.Contact(SurveysHost.OtherArea))));
        Assert.Equal(HttpStatusCode.Forbidden, await As(host.As(owner)));
        Assert.Equal(HttpStatusCode.Forbidden, await As(host.As(Staff.Communications())));
        Assert.Equal(HttpStatusCode.Forbidden, await As(host.As(Staff.ReportReader())));
        Assert.Equal(HttpStatusCode.Forbidden, await As(host.As(Staff.ItAdmin())));
        Assert.Equal(HttpStatusCode.Forbidden, await As(host.Public()));
        Assert.Equal(HttpStatusCode.Forbidden, await As(host.Client(Panel.TestSupport.TestTokens.Resident(ServiceNames.Surveys, Guid.NewGuid()))));
        Assert.Equal(HttpStatusCode.Unauthorized, await As(host.Client(null)));
        Assert.Equal(HttpStatusCode.NotFound, (await host.As(Staff.Coordinator()).PostJsonAsync(Path(Guid.NewGuid()), Body())).StatusCode);
        Assert.Equal(2, await host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0", survey));
    }
}
