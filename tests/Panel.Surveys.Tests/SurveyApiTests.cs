using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Panel.Surveys.Tests.Samples;

namespace Panel.Surveys.Tests;

/// <summary>Creating, reading, listing, changing and previewing surveys through the REST API.</summary>
public sealed class SurveyApiTests(SurveysHost host) : IClassFixture<SurveysHost>
{
    [Fact]
    public async Task The_builder_options_list_kinds_question_types_languages_and_areas()
    {
        var options = await host.As(Staff.Author()).GetFromJsonAsync<JsonElement>("/api/surveys/options");

        Assert.Equal(["questionnaire", "participatory-budget"], options.GetProperty("kinds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(9, options.GetProperty("questionTypes").GetArrayLength());
        Assert.Contains(SurveysHost.Area, options.GetProperty("serviceAreas").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(5, options.GetProperty("defaultMinimumGroupSize").GetInt32());
    }

    [Fact]
    public async Task Creating_a_draft_stores_it_as_version_1_with_its_owner_and_typed_jsonb()
    {
        var author = Staff.Author();

        var response = await host.As(author).PostAsync("/api/surveys", Json(Survey()));

        var body = await response.BodyAsync(HttpStatusCode.Created);
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"/api/surveys/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("draft", body.GetProperty("state").GetString());
        Assert.Equal("questionnaire", body.GetProperty("kind").GetString());
        Assert.Equal(1, body.GetProperty("definitionVersion").GetInt32());
        Assert.Equal(5, body.GetProperty("minimumGroupSize").GetInt32());
        Assert.Equal(author.Id, body.GetProperty("createdBy").GetString());
        Assert.True(body.GetProperty("translationsComplete").GetBoolean());
        Assert.Equal(["edit", "submit", "save-as-template"], body.GetProperty("allowedActions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("budget", body.GetProperty("pages")[1].GetProperty("questions")[4].GetProperty("type").GetString());
        Assert.Equal("single-choice", await host.Database.ScalarAsync<string>(
            "SELECT definition->'pages'->0->'questions'->0->>'type' FROM surveys WHERE id = @p0", id));
        Assert.Equal("Draft", await host.StateAsync(id));
        Assert.Empty(await host.EventNamesAsync(id));
    }

    [Fact]
    public async Task What_GET_returns_can_be_PUT_back_unchanged()
    {
        var client = host.As(Staff.Author());
        var id = await client.CreateIdAsync();
        var read = await client.GetStringAsync($"/api/surveys/{id}");

        var put = await client.PutAsync($"/api/surveys/{id}", Json(read));

        var body = await put.BodyAsync(HttpStatusCode.OK);
        Assert.Equal(1, body.GetProperty("definitionVersion").GetInt32());
        Assert.Equal(
            JsonNode.Parse(read)!["pages"]!.ToJsonString(),
            JsonNode.Parse(body.GetRawText())!["pages"]!.ToJsonString());
    }

    [Fact]
    public async Task Missing_translations_are_reported_per_language_but_a_draft_keeps_them()
    {
        var s = Survey();
        Question(s, 0, 0)["text"]!.AsObject().Remove("sv");
        s.Remove("resultsUse");

        var body = await host.As(Staff.Author()).CreateAsync(s);

        Assert.False(body.GetProperty("translationsComplete").GetBoolean());
        var missing = body.GetProperty("missingTranslations");
        Assert.Equal(["resultsUse", "pages[0].questions[0].text"], missing.GetProperty("sv").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["resultsUse"], missing.GetProperty("fi").EnumerateArray().Select(e => e.GetString()));
    }

    public static TheoryData<string> BadSurveys() => [.. DefinitionValidationTests.Bad.Keys];

    [Theory]
    [MemberData(nameof(BadSurveys))]
    public async Task A_bad_survey_is_a_400_naming_the_field_and_stores_nothing(string name)
    {
        var survey = Survey();
        var (change, field) = DefinitionValidationTests.Bad[name];
        change(survey);
        var before = await host.SurveyCountAsync();

        var response = await host.As(Staff.Coordinator()).PostAsync("/api/surveys", Json(survey));

        var errors = await ErrorsAsync(response);
        Assert.True(errors.TryGetProperty(field, out _), $"expected {field} in {errors}");
        Assert.Equal(before, await host.SurveyCountAsync());
    }

    [Theory]
    [InlineData("{\"kind\":5}", "kind")]
    [InlineData("{\"minimumGroupSize\":\"five\"}", "minimumGroupSize")]
    [InlineData("{\"languages\":\"fi\"}", "languages")]
    [InlineData("{\"title\":\"Survey\"}", "title")]
    [InlineData("{\"title\":{\"fi\":5}}", "title.fi")]
    [InlineData("{\"pages\":{}}", "pages")]
    [InlineData("{\"pages\":[{\"questions\":[{\"required\":\"yes\"}]}]}", "pages[0].questions[0].required")]
    [InlineData("{\"pages\":[{\"questions\":[{\"maxPicks\":1.5}]}]}", "pages[0].questions[0].maxPicks")]
    [InlineData("{\"pages\":[{\"questions\":[{\"options\":[{\"cap\":\"all\"}]}]}]}", "pages[0].questions[0].options[0].cap")]
    [InlineData("{\"pages\":[{\"showIf\":{\"anyOf\":\"yes\"}}]}", "pages[0].showIf.anyOf")]
    public async Task A_value_of_the_wrong_JSON_type_is_a_400_naming_the_field(string json, string field)
    {
        var before = await host.SurveyCountAsync();

        var response = await host.As(Staff.Author()).PostAsync("/api/surveys", Json(json));

        var errors = await ErrorsAsync(response);
        Assert.True(errors.TryGetProperty(field, out _), $"expected {field} in {errors}");
        Assert.Equal(before, await host.SurveyCountAsync());
    }

    public static TheoryData<string, string> Nulls() => new()
    {
        { "pages[0]", "pages" },
        { "languages", "languages" },
        { "pages[0].questions[0].options[1]", "pages[0].questions[0].options" },
        { "pages[0].questions[2].labels[0]", "pages[0].questions[2].labels[0]" },
        { "pages[0].questions[0].text.fi", "" },
        { "pages[1].showIf.anyOf[0]", "pages[1].showIf.anyOf" },
        { "pages[0].questions[1]", "pages[0].questions" },
    };

    /// <summary>Sets the value at a path like pages[0].questions[2].labels[0] to JSON null.</summary>
    private static void SetNull(JsonObject survey, string path)
    {
        JsonNode node = survey;
        var steps = path.Replace("[", ".[", StringComparison.Ordinal).Split('.');
        for (var i = 0; i < steps.Length; i++)
        {
            var last = i == steps.Length - 1;
            var step = steps[i];
            if (step.StartsWith('['))
            {
                var index = int.Parse(step[1..^1], System.Globalization.CultureInfo.InvariantCulture);
                if (last)
                {
                    node.AsArray()[index] = null;
                    return;
                }

                node = node[index]!;
            }
            else if (last && node is JsonObject o && o[step] is JsonArray array)
            {
                array.Add(null);
                return;
            }
            else if (last)
            {
                node[step] = null;
                return;
            }
            else
            {
                node = node[step]!;
            }
        }
    }

    [Theory]
    [MemberData(nameof(Nulls))]
    public async Task A_null_where_a_value_belongs_is_a_400_naming_the_place_never_a_500(string path, string field)
    {
        var survey = Survey();
        SetNull(survey, path);
        var before = await host.SurveyCountAsync();

        var response = await host.As(Staff.Author()).PostAsync("/api/surveys", Json(survey));

        if (field == "")
        {
            // A text missing in one language is a missing translation, not an error.
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return;
        }

        var errors = await ErrorsAsync(response);
        Assert.True(Keys(errors).Any(k => k.StartsWith(field, StringComparison.Ordinal)), $"expected {field} in {errors}");
        Assert.Equal(before, await host.SurveyCountAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("null")]
    public async Task A_body_that_is_not_a_survey_is_a_400(string json)
    {
        var response = await host.As(Staff.Author()).PostAsync("/api/surveys", Json(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unknown_survey_is_a_404_everywhere()
    {
        var client = host.As(Staff.Coordinator());
        var id = Guid.NewGuid();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/surveys/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsync($"/api/surveys/{id}", Json(Survey()))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PatchAsync($"/api/surveys/{id}", Json("{}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/surveys/{id}/preview")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/surveys/{id}/reviews")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/api/surveys/{id}/submit")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/api/surveys/{id}/template")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/surveys/not-a-guid")).StatusCode);
    }

    [Fact]
    public async Task Replacing_a_draft_raises_its_version_and_an_identical_replace_does_not()
    {
        var client = host.As(Staff.Author());
        var id = await client.CreateIdAsync();
        var changed = Survey();
        changed["title"] = T("Better title");
        Question(changed, 0, 2)["points"] = 7;
        Question(changed, 0, 2)["labels"] = new JsonArray(T("1"), T("2"), T("3"), T("4"), T("5"), T("6"), T("7"));

        var first = await client.PutAsync($"/api/surveys/{id}", Json(changed));
        var second = await client.PutAsync($"/api/surveys/{id}", Json(changed));

        var body = await first.BodyAsync(HttpStatusCode.OK);
        Assert.Equal(2, body.GetProperty("definitionVersion").GetInt32());
        Assert.Equal("\"2\"", first.Headers.ETag?.Tag);
        Assert.Equal(7, body.GetProperty("pages")[0].GetProperty("questions")[2].GetProperty("points").GetInt32());
        Assert.Equal(2, (await second.BodyAsync(HttpStatusCode.OK)).GetProperty("definitionVersion").GetInt32());
        Assert.Equal("Better title (fi)", await host.Database.ScalarAsync<string>("SELECT title->>'fi' FROM surveys WHERE id = @p0", id));
        Assert.Empty(await host.EventNamesAsync(id));
    }

    [Fact]
    public async Task A_stale_If_Match_is_a_412_and_changes_nothing()
    {
        var client = host.As(Staff.Author());
        var id = await client.CreateIdAsync();
        var read = await client.GetAsync($"/api/surveys/{id}");
        var etag = read.Headers.ETag!;
        var changed = Survey();
        changed["title"] = T("First editor");
        (await client.PutAsync($"/api/surveys/{id}", Json(changed))).EnsureSuccessStatusCode();

        var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/surveys/{id}") { Content = Json(Survey()) };
        stale.Headers.IfMatch.Add(etag);
        var response = await client.SendAsync(stale);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("First editor (fi)", await host.Database.ScalarAsync<string>("SELECT title->>'fi' FROM surveys WHERE id = @p0", id));
        var current = new HttpRequestMessage(HttpMethod.Put, $"/api/surveys/{id}") { Content = Json(Survey()) };
        current.Headers.IfMatch.Add(new EntityTagHeaderValue("\"2\""));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(current)).StatusCode);
    }

    [Fact]
    public async Task Patching_changes_only_the_given_fields()
    {
        var client = host.As(Staff.Author());
        var id = await client.CreateIdAsync();

        var response = await client.PatchAsync($"/api/surveys/{id}", Json(new JsonObject { ["title"] = T("Patched"), ["minimumGroupSize"] = 7 }));

        var body = await response.BodyAsync(HttpStatusCode.OK);
        Assert.Equal("Patched (sv)", body.GetProperty("title").GetProperty("sv").GetString());
        Assert.Equal(7, body.GetProperty("minimumGroupSize").GetInt32());
        Assert.Equal(2, body.GetProperty("pages").GetArrayLength());
        Assert.Equal(9, body.GetProperty("pages").EnumerateArray().Sum(p => p.GetProperty("questions").GetArrayLength()));
        Assert.Equal(2, body.GetProperty("definitionVersion").GetInt32());
    }

    [Fact]
    public async Task A_bad_replace_or_patch_is_a_400_and_keeps_the_stored_survey()
    {
        var client = host.As(Staff.Author());
        var id = await client.CreateIdAsync();
        var bad = Survey();
        Question(bad, 1, 4)["vouchers"] = -3;

        var put = await client.PutAsync($"/api/surveys/{id}", Json(bad));
        var patch = await client.PatchAsync($"/api/surveys/{id}", Json("{\"minimumGroupSize\":1}"));

        Assert.True((await ErrorsAsync(put)).TryGetProperty("pages[1].questions[4].vouchers", out _));
        Assert.True((await ErrorsAsync(patch)).TryGetProperty("minimumGroupSize", out _));
        Assert.Equal(1, await host.VersionAsync(id));
        Assert.Equal(10, await host.Database.ScalarAsync<int>("SELECT (definition->'pages'->1->'questions'->4->>'vouchers')::int FROM surveys WHERE id = @p0", id));
    }

    [Fact]
    public async Task A_survey_in_review_cannot_be_changed_until_returned_to_draft()
    {
        var owner = Staff.Author();
        var id = await host.SurveyInStateAsync(owner, "in-review");

        var response = await host.As(owner).PutAsync($"/api/surveys/{id}", Json(Survey()));

        var problem = await ConflictAsync(response);
        Assert.Contains("review", problem.GetProperty("detail").GetString());
        Assert.Equal("in-review", problem.GetProperty("state").GetString());
    }

    [Fact]
    public async Task The_preview_is_the_resident_form_in_the_chosen_language_with_its_conditions()
    {
        var client = host.As(Staff.Author());
        var s = Survey();
        Question(s, 0, 0)["options"]![1]!["label"]!.AsObject().Remove("sv");
        var id = await client.CreateIdAsync(s);

        var sv = await client.GetFromJsonAsync<JsonElement>($"/api/surveys/{id}/preview?language=sv");
        var first = await client.GetFromJsonAsync<JsonElement>($"/api/surveys/{id}/preview");

        Assert.Equal("sv", sv.GetProperty("language").GetString());
        Assert.Equal("Home care survey (sv)", sv.GetProperty("title").GetString());
        Assert.Equal("The home care team chooses what to improve (sv)", sv.GetProperty("resultsUse").GetString());
        var used = sv.GetProperty("pages")[0].GetProperty("questions")[0];
        Assert.Equal("Option no (fi)", used.GetProperty("options")[1].GetProperty("label").GetString());
        Assert.Equal(["pages[0].questions[0].options[1].label"], sv.GetProperty("missingTranslations").EnumerateArray().Select(e => e.GetString()));
        var page2 = sv.GetProperty("pages")[1];
        Assert.Equal("used", page2.GetProperty("showIf").GetProperty("questionId").GetString());
        Assert.Equal(5, page2.GetProperty("questions")[0].GetProperty("number").GetInt32());
        var nps = sv.GetProperty("pages")[0].GetProperty("questions")[3];
        Assert.Equal(11, nps.GetProperty("points").GetArrayLength());
        Assert.Equal("Never (sv)", nps.GetProperty("points")[0].GetProperty("label").GetString());
        Assert.False(nps.GetProperty("points")[5].TryGetProperty("label", out _));
        var likert = sv.GetProperty("pages")[0].GetProperty("questions")[2];
        Assert.Equal([1, 2, 3, 4, 5], likert.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("value").GetInt32()));
        var budget = page2.GetProperty("questions")[4];
        Assert.Equal(10, budget.GetProperty("vouchers").GetInt32());
        Assert.Equal(6, budget.GetProperty("options")[0].GetProperty("cap").GetInt32());
        var matrix = page2.GetProperty("questions")[3];
        Assert.Equal(["bad", "ok", "good"], matrix.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal(6, page2.GetProperty("questions")[1].GetProperty("showIf").GetProperty("max").GetInt32());
        Assert.Equal("fi", first.GetProperty("language").GetString());
    }

    [Fact]
    public async Task A_preview_in_an_unknown_language_is_a_400()
    {
        var client = host.As(Staff.Author());
        var id = await client.CreateIdAsync();

        var errors = await ErrorsAsync(await client.GetAsync($"/api/surveys/{id}/preview?language=de"));

        Assert.True(errors.TryGetProperty("language", out _));
    }

    [Fact]
    public async Task The_list_filters_by_state_and_service_area()
    {
        var owner = Staff.Author();
        var draft = await host.SurveyInStateAsync(owner, "draft");
        var inReview = await host.SurveyInStateAsync(owner, "in-review");
        var elsewhere = await host.SurveyInStateAsync(owner, "draft", Survey(SurveysHost.OtherArea));
        var client = host.As(owner);

        var all = await client.GetFromJsonAsync<JsonElement>("/api/surveys");
        var drafts = await client.GetFromJsonAsync<JsonElement>("/api/surveys?state=draft");
        var reviewed = await client.GetFromJsonAsync<JsonElement>("/api/surveys?state=in-review");
        var area = await client.GetFromJsonAsync<JsonElement>($"/api/surveys?serviceArea={SurveysHost.OtherArea}");

        static Guid[] Ids(JsonElement list) => [.. list.EnumerateArray().Select(e => e.GetProperty("id").GetGuid())];
        Assert.Equal(new[] { draft, inReview, elsewhere }.Order(), Ids(all).Order());
        Assert.Equal(new[] { draft, elsewhere }.Order(), Ids(drafts).Order());
        Assert.Equal([inReview], Ids(reviewed));
        Assert.Equal([elsewhere], Ids(area));
        Assert.Equal("Home care survey (en)", all[0].GetProperty("title").GetProperty("en").GetString());
        Assert.True((await ErrorsAsync(await client.GetAsync("/api/surveys?state=sleeping"))).TryGetProperty("state", out _));
    }
}
