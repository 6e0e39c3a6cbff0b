using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Panel.Surveys.Definitions;
using Panel.Surveys.Templates;
using static Panel.Surveys.Tests.Samples;

namespace Panel.Surveys.Tests;

/// <summary>Built-in templates, surveys saved as templates, and drafts made from them.</summary>
public sealed class TemplateTests(SurveysHost host) : IClassFixture<SurveysHost>
{
    [Theory]
    [InlineData(BuiltInTemplates.CustomerExperience)]
    [InlineData(BuiltInTemplates.DigitalSkills)]
    public void The_built_in_templates_are_valid_and_complete_in_finnish_swedish_and_english(string id)
    {
        var template = BuiltInTemplates.Find(id)!;

        var valid = DefinitionValidator.Validate(template.Content with { ServiceArea = SurveysHost.Area }, [SurveysHost.Area], out var errors);

        Assert.Empty(errors);
        Assert.Equal(["fi", "sv", "en"], valid!.Definition.Languages);
        Assert.All(Translations.Missing(valid.Definition).Values, Assert.Empty);
        Assert.All(new[] { template.Title, template.Description }, t => Assert.Equal(["fi", "sv", "en"], t.Keys));
        Assert.Equal(3, valid.Definition.Title.Values.Distinct().Count());
    }

    [Fact]
    public void The_customer_experience_template_asks_NPS_and_open_reasons_with_a_follow_up_for_detractors()
    {
        var definition = DefinitionValidator.Validate(BuiltInTemplates.Find(BuiltInTemplates.CustomerExperience)!.Content with { ServiceArea = "x" }, ["x"], out _)!.Definition;

        var questions = definition.Questions.ToList();
        Assert.IsType<NpsQuestion>(questions[0]);
        Assert.IsType<FreeTextQuestion>(questions[1]);
        var followUp = Assert.IsType<FreeTextQuestion>(questions[2]);
        Assert.Equal(("nps", 0m, 6m), (followUp.ShowIf!.QuestionId, followUp.ShowIf.Min!.Value, followUp.ShowIf.Max!.Value));
    }

    [Fact]
    public async Task The_list_starts_with_the_built_in_templates()
    {
        var list = await host.As(Staff.Author()).GetFromJsonAsync<JsonElement>("/api/surveys/templates");

        Assert.Equal(BuiltInTemplates.CustomerExperience, list[0].GetProperty("id").GetString());
        Assert.Equal(BuiltInTemplates.DigitalSkills, list[1].GetProperty("id").GetString());
        Assert.True(list[0].GetProperty("builtIn").GetBoolean());
        Assert.Equal("Digitaitojen itsearvio", list[1].GetProperty("title").GetProperty("fi").GetString());
        Assert.Equal(4, list[0].GetProperty("questionCount").GetInt32());
    }

    [Fact]
    public async Task A_draft_from_a_built_in_template_is_ready_for_review_and_approval()
    {
        var author = Staff.Author();

        var response = await host.As(author).PostAsync("/api/surveys/from-template", new { templateId = BuiltInTemplates.DigitalSkills, serviceArea = SurveysHost.Area });

        var body = await response.BodyAsync(HttpStatusCode.Created);
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal("draft", body.GetProperty("state").GetString());
        Assert.Equal(BuiltInTemplates.DigitalSkills, body.GetProperty("templateId").GetString());
        Assert.True(body.GetProperty("translationsComplete").GetBoolean());
        Assert.Equal("matrix", body.GetProperty("pages")[0].GetProperty("questions")[0].GetProperty("type").GetString());
        Assert.Equal(author.Id, body.GetProperty("createdBy").GetString());
        (await host.As(author).PostAsync($"/api/surveys/{id}/submit")).EnsureSuccessStatusCode();
        var approved = await host.As(Staff.Coordinator()).PostAsync($"/api/surveys/{id}/approve", host.Schedule(TimeSpan.FromDays(1), TimeSpan.FromDays(10)));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
    }

    [Fact]
    public async Task A_survey_saved_as_a_template_starts_new_surveys_and_is_deleted_by_whoever_saved_it()
    {
        var author = Staff.Author();
        var source = await host.As(author).CreateIdAsync();

        var saved = await host.As(author).PostAsync($"/api/surveys/{source}/template",
            new { title = new { fi = "Kotihoidon pohja", sv = "Mall för hemvård", en = "Home care template" } });

        var template = await saved.BodyAsync(HttpStatusCode.Created);
        var templateId = template.GetProperty("id").GetString()!;
        Assert.Equal($"/api/surveys/templates/{templateId}", saved.Headers.Location?.OriginalString);
        Assert.False(template.GetProperty("builtIn").GetBoolean());
        var list = await host.As(Staff.Contact()).GetFromJsonAsync<JsonElement>("/api/surveys/templates");
        Assert.Contains(list.EnumerateArray(), t => t.GetProperty("id").GetString() == templateId && t.GetProperty("questionCount").GetInt32() == 9);
        var copy = await (await host.As(Staff.Contact()).PostAsync("/api/surveys/from-template", new { templateId, serviceArea = SurveysHost.Area, minimumGroupSize = 8 }))
            .BodyAsync(HttpStatusCode.Created);
        Assert.Equal(8, copy.GetProperty("minimumGroupSize").GetInt32());
        Assert.Equal("budget", copy.GetProperty("pages")[1].GetProperty("questions")[4].GetProperty("type").GetString());
        Assert.NotEqual(source, copy.GetProperty("id").GetGuid());

        Assert.Equal(HttpStatusCode.Forbidden, (await host.As(Staff.Author()).DeleteAsync($"/api/surveys/templates/{templateId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await host.As(author).DeleteAsync($"/api/surveys/templates/{templateId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.As(author).GetAsync($"/api/surveys/templates/{templateId}")).StatusCode);
    }

    [Fact]
    public async Task Built_in_templates_cannot_be_deleted_and_unknown_ones_are_404()
    {
        var coordinator = host.As(Staff.Coordinator());

        Assert.Equal(HttpStatusCode.Conflict, (await coordinator.DeleteAsync($"/api/surveys/templates/{BuiltInTemplates.CustomerExperience}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.DeleteAsync($"/api/surveys/templates/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.GetAsync("/api/surveys/templates/no-such-template")).StatusCode);
        Assert.Equal(BuiltInTemplates.CustomerExperience,
            (await coordinator.GetFromJsonAsync<JsonElement>($"/api/surveys/templates/{BuiltInTemplates.CustomerExperience}")).GetProperty("id").GetString());
    }

    public static TheoryData<string, string> BadFromTemplate() => new()
    {
        { "{\"serviceArea\":\"elderly-services\"}", "templateId" },
        { "{\"templateId\":\"no-such\",\"serviceArea\":\"elderly-services\"}", "templateId" },
        { "{\"templateId\":\"digital-skills\"}", "serviceArea" },
        { "{\"templateId\":\"digital-skills\",\"serviceArea\":\"moon-base\"}", "serviceArea" },
        { "{\"templateId\":\"digital-skills\",\"serviceArea\":\"elderly-services\",\"minimumGroupSize\":2}", "minimumGroupSize" },
        { "{\"templateId\":7}", "templateId" },
    };

    [Theory]
    [MemberData(nameof(BadFromTemplate))]
    public async Task A_bad_request_for_a_draft_from_a_template_is_a_400_and_stores_nothing(string json, string field)
    {
        var before = await host.SurveyCountAsync();

        var response = await host.As(Staff.Author()).PostAsync("/api/surveys/from-template", Json(json));

        Assert.True((await ErrorsAsync(response)).TryGetProperty(field, out _));
        Assert.Equal(before, await host.SurveyCountAsync());
    }

    [Fact]
    public async Task Saving_a_template_needs_a_visible_survey_and_valid_texts()
    {
        var owner = Staff.Author();
        var id = await host.As(owner).CreateIdAsync();
        var count = () => host.Database.ScalarAsync<long>("SELECT count(*) FROM survey_templates");
        var before = await count();

        var unseen = await host.As(Staff.Author()).PostAsync($"/api/surveys/{id}/template");
        var badTitle = await host.As(owner).PostAsync($"/api/surveys/{id}/template", new { title = new { de = "Vorlage" } });
        var byReader = await host.As(Staff.ReportReader()).PostAsync($"/api/surveys/{id}/template");

        Assert.Equal(HttpStatusCode.NotFound, unseen.StatusCode);
        Assert.True((await ErrorsAsync(badTitle)).TryGetProperty("title", out _));
        Assert.Equal(HttpStatusCode.Forbidden, byReader.StatusCode);
        Assert.Equal(before, await count());
    }

    [Fact]
    public async Task A_domain_contact_makes_drafts_from_templates_only_in_their_areas()
    {
        var response = await host.As(Staff.Contact(SurveysHost.OtherArea)).PostAsync("/api/surveys/from-template",
            new { templateId = BuiltInTemplates.CustomerExperience, serviceArea = SurveysHost.Area });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
