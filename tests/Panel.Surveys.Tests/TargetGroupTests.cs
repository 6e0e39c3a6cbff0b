using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Panel.Contracts;
using static Panel.Surveys.Tests.Samples;

namespace Panel.Surveys.Tests;

/// <summary>Who is asked: a panel sample by criteria, sample size, quotas and reminders, or an open link; set while a draft, carried in the events.</summary>
public sealed class TargetGroupTests(SurveysHost host) : IClassFixture<SurveysHost>
{
    private static JsonObject Panel() => new()
    {
        ["mode"] = "panel",
        ["criteria"] = new JsonObject
        {
            ["ageBands"] = new JsonArray("55-64", "65-74", "75-84", "85+"),
            ["municipalities"] = new JsonArray("Tampere", "Nokia"),
            ["genders"] = new JsonArray("woman", "man", "other", "unspecified"),
            ["languages"] = new JsonArray("fi", "sv"),
            ["isClient"] = true,
            ["campaignCodes"] = new JsonArray("kino-1", "MALL"),
        },
        ["sampleSize"] = 1200,
        ["quotas"] = new JsonArray(new JsonObject { ["attribute"] = "ageBand", ["values"] = new JsonArray("65-74", "75-84", "85+"), ["minShare"] = 0.3 }),
        ["reminders"] = new JsonObject { ["afterDays"] = 5, ["max"] = 2 },
    };

    private Task<HttpResponseMessage> PutAsync(Staff staff, Guid id, JsonNode body) =>
        host.As(staff).PutJsonAsync($"/api/surveys/{id}/target-group", body);

    [Fact]
    public async Task A_sample_smaller_than_the_surveys_k_cannot_be_approved_and_k_itself_can()
    {
        var author = Staff.Author();
        var coordinator = host.As(Staff.Coordinator());
        var small = await host.SurveyInStateAsync(author, "draft");
        var group = Panel();
        group["sampleSize"] = 4;
        (await PutAsync(author, small, group)).EnsureSuccessStatusCode();
        (await coordinator.PostAsync($"/api/surveys/{small}/submit")).EnsureSuccessStatusCode();

        var refused = await coordinator.PostAsync($"/api/surveys/{small}/approve", host.Schedule(TimeSpan.FromDays(1), TimeSpan.FromDays(7)));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("minimum group size", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("InReview", await host.StateAsync(small));
        Assert.Empty(await host.EventsAsync<SurveyApproved>(small));

        var five = await host.SurveyInStateAsync(author, "draft");
        group["sampleSize"] = 5;
        (await PutAsync(author, five, group)).EnsureSuccessStatusCode();
        (await coordinator.PostAsync($"/api/surveys/{five}/submit")).EnsureSuccessStatusCode();
        (await coordinator.PostAsync($"/api/surveys/{five}/approve", host.Schedule(TimeSpan.FromDays(1), TimeSpan.FromDays(7)))).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task The_opening_event_carries_the_surveys_k_for_Membership_to_refuse_smaller_groups()
    {
        var author = Staff.Author();
        var id = await host.SurveyInStateAsync(author, "draft");
        (await PutAsync(author, id, Panel())).EnsureSuccessStatusCode();
        var coordinator = host.As(Staff.Coordinator());
        (await coordinator.PostAsync($"/api/surveys/{id}/submit")).EnsureSuccessStatusCode();
        (await coordinator.PostAsync($"/api/surveys/{id}/approve", host.Schedule(TimeSpan.Zero, TimeSpan.FromDays(7)))).EnsureSuccessStatusCode();

        Assert.Equal(5, (await host.EventsAsync<SurveyOpened>(id)).Single().GetProperty("minimumGroupSize").GetInt32());
    }

    [Fact]
    public async Task A_panel_target_group_is_stored_shown_and_carried_in_the_approval_and_opening_events()
    {
        var author = Staff.Author();
        var id = await host.SurveyInStateAsync(author, "draft");

        var set = await (await PutAsync(author, id, Panel())).BodyAsync(HttpStatusCode.OK);

        Assert.Equal("panel", set.GetProperty("targetGroup").GetProperty("mode").GetString());
        Assert.Equal(["KINO-1", "MALL"], set.GetProperty("targetGroup").GetProperty("criteria").GetProperty("campaignCodes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(JsonValueKind.Null, set.GetProperty("publicId").ValueKind);
        var details = await host.As(author).GetSurveyAsync(id);
        Assert.Equal(1200, details.GetProperty("targetGroup").GetProperty("sampleSize").GetInt32());
        Assert.Equal(1200, (await host.As(author).GetFromJsonAsync<JsonElement>($"/api/surveys/{id}/target-group")).GetProperty("targetGroup").GetProperty("sampleSize").GetInt32());

        var coordinator = host.As(Staff.Coordinator());
        (await coordinator.PostAsync($"/api/surveys/{id}/submit")).EnsureSuccessStatusCode();
        (await coordinator.PostAsync($"/api/surveys/{id}/approve", host.Schedule(TimeSpan.Zero, TimeSpan.FromDays(7)))).EnsureSuccessStatusCode();

        foreach (var group in new[] { (await host.EventsAsync<SurveyApproved>(id)).Single().GetProperty("targetGroup"), (await host.EventsAsync<SurveyOpened>(id)).Single().GetProperty("targetGroup") })
        {
            var snapshot = group.Deserialize<SurveyTargetGroupSnapshot>(JsonSerializerOptions.Web)!;
            Assert.Equal("panel", snapshot.Mode);
            Assert.Equal(["55-64", "65-74", "75-84", "85+"], snapshot.AgeBands);
            Assert.Equal(["Tampere", "Nokia"], snapshot.Municipalities);
            Assert.Equal(["fi", "sv"], snapshot.Languages);
            Assert.True(snapshot.IsClient);
            Assert.Equal(["KINO-1", "MALL"], snapshot.CampaignCodes);
            Assert.Equal(1200, snapshot.SampleSize);
            Assert.Equal(0.3m, snapshot.Quotas.Single().MinimumShare);
            Assert.Equal(["65-74", "75-84", "85+"], snapshot.Quotas.Single().Values);
            Assert.Equal(new SurveyRemindersSnapshot(5, 2), snapshot.Reminders);
        }
    }

    [Fact]
    public async Task An_open_link_gets_a_random_public_id_which_goes_away_when_the_survey_is_made_a_panel_survey_again()
    {
        var author = Staff.Author();
        var id = await host.SurveyInStateAsync(author, "draft");

        var open = await (await PutAsync(author, id, new JsonObject { ["mode"] = "open-link", ["criteria"] = new JsonObject(), ["quotas"] = new JsonArray() })).BodyAsync(HttpStatusCode.OK);
        var again = await (await PutAsync(author, id, new JsonObject { ["mode"] = "open-link" })).BodyAsync(HttpStatusCode.OK);
        var other = await host.OpenLinkSurveyAsync("draft");

        var publicId = open.GetProperty("publicId").GetString()!;
        Assert.Equal(22, publicId.Length);
        Assert.Equal(publicId, again.GetProperty("publicId").GetString());
        Assert.NotEqual(publicId, other.PublicId);
        Assert.DoesNotContain(id.ToString("N")[..8], publicId, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(publicId, (await host.As(author).GetSurveyAsync(id)).GetProperty("publicId").GetString());

        (await PutAsync(author, id, Panel())).EnsureSuccessStatusCode();
        Assert.Equal(JsonValueKind.Null, (await host.As(author).GetSurveyAsync(id)).GetProperty("publicId").ValueKind);
    }

    [Fact]
    public async Task The_opening_event_of_an_open_link_survey_says_so_with_no_criteria_or_reminders()
    {
        var (id, _) = await host.OpenLinkSurveyAsync();

        var group = (await host.EventsAsync<SurveyOpened>(id)).Single().GetProperty("targetGroup");

        Assert.Equal("open-link", group.GetProperty("mode").GetString());
        Assert.Equal(JsonValueKind.Null, group.GetProperty("reminders").ValueKind);
        Assert.Equal(JsonValueKind.Null, group.GetProperty("sampleSize").ValueKind);
        Assert.Equal(0, group.GetProperty("ageBands").GetArrayLength());
    }

    public static TheoryData<string, string> BadInput() => new()
    {
        { """{"criteria":{},"reminders":{"afterDays":5,"max":1}}""", "mode" },
        { """{"mode":"everyone","reminders":{"afterDays":5,"max":1}}""", "mode" },
        { """{"mode":"panel"}""", "reminders" },
        { """{"mode":"panel","reminders":{"afterDays":0,"max":1}}""", "reminders.afterDays" },
        { """{"mode":"panel","reminders":{"afterDays":61,"max":1}}""", "reminders.afterDays" },
        { """{"mode":"panel","reminders":{"afterDays":5,"max":6}}""", "reminders.max" },
        { """{"mode":"panel","reminders":{"afterDays":5,"max":-1}}""", "reminders.max" },
        { """{"mode":"panel","sampleSize":0,"reminders":{"afterDays":5,"max":1}}""", "sampleSize" },
        { """{"mode":"panel","sampleSize":50001,"reminders":{"afterDays":5,"max":1}}""", "sampleSize" },
        { """{"mode":"panel","criteria":{"ageBands":["15-24","90+"]},"reminders":{"afterDays":5,"max":1}}""", "criteria.ageBands[1]" },
        { """{"mode":"panel","criteria":{"ageBands":["15-24","15-24"]},"reminders":{"afterDays":5,"max":1}}""", "criteria.ageBands" },
        { """{"mode":"panel","criteria":{"genders":["female"]},"reminders":{"afterDays":5,"max":1}}""", "criteria.genders[0]" },
        { """{"mode":"panel","criteria":{"languages":["de"]},"reminders":{"afterDays":5,"max":1}}""", "criteria.languages[0]" },
        { """{"mode":"panel","criteria":{"municipalities":[""]},"reminders":{"afterDays":5,"max":1}}""", "criteria.municipalities[0]" },
        { """{"mode":"panel","criteria":{"municipalities":[" Tampere"]},"reminders":{"afterDays":5,"max":1}}""", "criteria.municipalities[0]" },
        { """{"mode":"panel","criteria":{"campaignCodes":["kino 1"]},"reminders":{"afterDays":5,"max":1}}""", "criteria.campaignCodes[0]" },
        { """{"mode":"panel","criteria":{"campaignCodes":["K"]},"reminders":{"afterDays":5,"max":1}}""", "criteria.campaignCodes[0]" },
        { """{"mode":"panel","quotas":[{"attribute":"shoeSize","values":["42"],"minShare":0.3}],"reminders":{"afterDays":5,"max":1}}""", "quotas[0].attribute" },
        { """{"mode":"panel","quotas":[{"attribute":"ageBand","values":[],"minShare":0.3}],"reminders":{"afterDays":5,"max":1}}""", "quotas[0].values" },
        { """{"mode":"panel","quotas":[{"attribute":"ageBand","values":["65-74"],"minShare":0}],"reminders":{"afterDays":5,"max":1}}""", "quotas[0].minShare" },
        { """{"mode":"panel","quotas":[{"attribute":"ageBand","values":["65-74"],"minShare":1.5}],"reminders":{"afterDays":5,"max":1}}""", "quotas[0].minShare" },
        { """{"mode":"panel","criteria":{"ageBands":["15-24"]},"quotas":[{"attribute":"ageBand","values":["65-74"],"minShare":0.3}],"reminders":{"afterDays":5,"max":1}}""", "quotas[0].values" },
        { """{"mode":"panel","criteria":{"isClient":true},"quotas":[{"attribute":"isClient","values":["false"],"minShare":0.3}],"reminders":{"afterDays":5,"max":1}}""", "quotas[0].values" },
        { """{"mode":"panel","quotas":[{"attribute":"gender","values":["woman"],"minShare":0.6},{"attribute":"gender","values":["man"],"minShare":0.6}],"reminders":{"afterDays":5,"max":1}}""", "quotas" },
        { """{"mode":"panel","quotas":[{"attribute":"gender","values":["woman"],"minShare":0.3},{"attribute":"gender","values":["woman","man"],"minShare":0.3}],"reminders":{"afterDays":5,"max":1}}""", "quotas" },
        { """{"mode":"panel","quotas":[null],"reminders":{"afterDays":5,"max":1}}""", "quotas[0]" },
        { """{"mode":"open-link","criteria":{"ageBands":["15-24"]}}""", "criteria" },
        { """{"mode":"open-link","sampleSize":100}""", "sampleSize" },
        { """{"mode":"open-link","quotas":[{"attribute":"ageBand","values":["65-74"],"minShare":0.3}]}""", "quotas" },
        { """{"mode":"open-link","reminders":{"afterDays":5,"max":1}}""", "reminders" },
        { """{"mode":"panel","sampleSize":"many","reminders":{"afterDays":5,"max":1}}""", "sampleSize" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Bad_input_is_a_400_naming_the_field_and_changes_nothing(string body, string field)
    {
        var author = Staff.Author();
        var id = await host.SurveyInStateAsync(author, "draft");
        (await PutAsync(author, id, Panel())).EnsureSuccessStatusCode();
        var before = await host.Database.ScalarAsync<string>("SELECT target_group::text FROM surveys WHERE id = @p0", id);

        var errors = await ErrorsAsync(await host.As(author).PutAsync($"/api/surveys/{id}/target-group", Json(body)));

        Assert.Contains(field, Keys(errors));
        Assert.Equal(before, await host.Database.ScalarAsync<string>("SELECT target_group::text FROM surveys WHERE id = @p0", id));
    }

    [Theory]
    [InlineData("in-review")]
    [InlineData("approved")]
    [InlineData("open")]
    public async Task The_target_group_is_not_changed_after_the_draft_stage(string state)
    {
        var id = await host.SurveyInStateAsync(Staff.Author(), state);

        var conflict = await ConflictAsync(await PutAsync(Staff.Coordinator(), id, Panel()));

        Assert.Contains("draft", conflict.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("null", await host.Database.ScalarAsync<string>("SELECT coalesce(target_group::text, 'null') FROM surveys WHERE id = @p0", id));
    }

    [Fact]
    public async Task Only_those_who_edit_the_draft_set_its_target_group()
    {
        var owner = Staff.Author();
        var id = await host.SurveyInStateAsync(owner, "draft");

        Assert.Equal(HttpStatusCode.OK, (await PutAsync(owner, id, Panel())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(Staff.Contact(), id, Panel())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(Staff.Coordinator(), id, Panel())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync(Staff.Author(), id, Panel())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync(Staff.Contact(SurveysHost.OtherArea), id, Panel())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PutAsync(Staff.Communications(), id, Panel())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PutAsync(Staff.ReportReader(), id, Panel())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PutAsync(Staff.ItAdmin(), id, Panel())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Public().PutJsonAsync($"/api/surveys/{id}/target-group", Panel())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client(null).PutJsonAsync($"/api/surveys/{id}/target-group", Panel())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync(owner, Guid.NewGuid(), Panel())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.As(Staff.Author()).GetAsync($"/api/surveys/{id}/target-group")).StatusCode);
    }
}
