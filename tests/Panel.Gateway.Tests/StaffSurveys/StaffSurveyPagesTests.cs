using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;
using static Panel.Gateway.Tests.StaffSurveys.LiveSurveySetup;

namespace Panel.Gateway.Tests.StaffSurveys;

/// <summary>The staff survey pages in front of the real Surveys and Membership services (their answers, refusals and state).</summary>
[Collection(LiveGatewayCollection.Name)]
public sealed class StaffSurveyPagesTests(LiveGatewayHost host)
{
    private static async Task<JsonObject> QuestionAsync(Browser browser, Guid id, int page, int index) =>
        (await browser.SurveyAsync(id))["pages"]![page]!["questions"]![index]!.AsObject();

    [Fact]
    public async Task An_author_sees_the_surveys_with_their_state_and_the_forms_to_create_one()
    {
        var browser = await host.StaffBrowserAsync(PanelRoles.SurveyAuthor);
        var id = await host.SurveyInStateAsync("in-review", author: browser);

        var page = await browser.GetAsync("/staff/surveys");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains($"href=\"/staff/surveys/{id}\"", page.Html, StringComparison.Ordinal);
        Assert.Contains(Fi("surveys.state.in-review"), page.Text, StringComparison.Ordinal);
        Assert.True(page.HasForm("new-survey"));
        Assert.True(page.HasForm("from-template"));
        Assert.Contains("customer-experience", page.Html, StringComparison.Ordinal);
        Assert.Contains("digital-skills", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Communications_sees_the_list_but_no_forms_to_create_surveys()
    {
        var browser = await host.StaffBrowserAsync(PanelRoles.Communications);

        var page = await browser.GetAsync("/staff/surveys");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.False(page.HasForm("new-survey"));
        Assert.False(page.HasForm("from-template"));
    }

    [Fact]
    public async Task A_report_reader_is_sent_to_the_denied_page_and_a_visitor_to_sign_in()
    {
        var reader = await host.StaffBrowserAsync(PanelRoles.ReportReader);
        var id = await host.SurveyInStateAsync("draft");

        foreach (var path in new[] { "/staff/surveys", $"/staff/surveys/{id}", $"/staff/surveys/{id}/review", $"/staff/surveys/{id}/target-group" })
        {
            var denied = await reader.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, denied.Status);
            Assert.StartsWith("/staff/denied", denied.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        var anonymous = await host.NewBrowser().GetAsync("/staff/surveys");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.Status);
        Assert.StartsWith("/staff/sign-in", anonymous.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_a_blank_survey_posts_its_title_area_and_languages_and_opens_the_builder()
    {
        var browser = await host.StaffBrowserAsync(PanelRoles.SurveyAuthor);
        var page = await browser.GetAsync("/staff/surveys");

        var created = await browser.PostFormAsync(page, "new-survey",
            ("title", "Kotihoidon kysely"), ("serviceArea", "elderly-services"), ("kind", "questionnaire"), ("languages", "fi"), ("languages", "sv"));

        Assert.Equal(HttpStatusCode.Redirect, created.Status);
        Assert.Matches("^/staff/surveys/[0-9a-f-]{36}$", created.Location!.AbsolutePath);
        var body = await browser.SurveyAsync(Guid.Parse(created.Location.AbsolutePath.Split('/')[^1]));
        Assert.Equal("Kotihoidon kysely", body["title"]!["fi"]!.ToString());
        Assert.Equal("elderly-services", body["serviceArea"]!.ToString());
        Assert.Equal(["fi", "sv"], body["languages"]!.AsArray().Select(l => l!.ToString()));
        Assert.Equal("questionnaire", body["kind"]!.ToString());
    }

    [Fact]
    public async Task A_survey_without_a_title_shows_the_api_field_error_next_to_the_title_and_keeps_the_input()
    {
        var browser = await host.StaffBrowserAsync(PanelRoles.SurveyAuthor);
        var page = await browser.GetAsync("/staff/surveys");

        var refused = await browser.PostFormAsync(page, "new-survey", ("title", ""), ("serviceArea", "oral-health"), ("languages", "fi"));

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains("The text is required in at least one language.", refused.Text, StringComparison.Ordinal);
        Assert.Equal("true", refused.Element("title").GetValueOrDefault("aria-invalid"));
        Assert.Equal("title-error", refused.Element("title").GetValueOrDefault("aria-describedby"));
        Assert.True(refused.HasElement("title-error"));
        Assert.Contains(Fi("surveys.problem.invalid"), refused.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_from_a_built_in_template_posts_the_template_and_area()
    {
        var (browser, _) = await host.StaffAsync([PanelRoles.DomainContact], "social-work");
        var page = await browser.GetAsync("/staff/surveys");

        var created = await browser.PostFormAsync(page, "from-template", ("templateId", "digital-skills"), ("templateArea", "social-work"));

        Assert.Equal(HttpStatusCode.Redirect, created.Status);
        var body = await browser.SurveyAsync(Guid.Parse(created.Location!.AbsolutePath.Split('/')[^1]));
        Assert.Equal("digital-skills", body["templateId"]!.ToString());
        Assert.Equal("social-work", body["serviceArea"]!.ToString());
    }

    [Fact]
    public async Task The_builder_shows_pages_questions_and_the_actions_an_author_may_take()
    {
        var (browser, id) = await host.AuthorWithSurveyAsync();

        var page = await browser.GetAsync($"/staff/surveys/{id}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Kumpi?", page.Text, StringComparison.Ordinal);
        Assert.Contains(Fi("surveys.type.nps"), page.Text, StringComparison.Ordinal);
        Assert.True(page.HasForm("submit"));
        Assert.True(page.HasForm("settings"));
        Assert.True(page.HasForm("up-q2"));
        Assert.True(page.HasForm("remove-q1"));
        Assert.False(page.HasForm("close"));
        Assert.False(page.HasForm("publish"));
        Assert.True(page.HasElement("translations-complete"));
    }

    [Fact]
    public async Task Missing_translations_are_listed_and_marked_at_the_inputs()
    {
        var browser = await host.StaffBrowserAsync(PanelRoles.Coordinator);
        var id = await browser.CreateSurveyAsync(Content(complete: false));

        var page = await browser.GetAsync($"/staff/surveys/{id}?lang=en");

        Assert.True(page.HasElement("missing-translations"));
        Assert.True(page.HasElement("title-sv-missing"));
        Assert.True(page.HasElement("title-en-missing"));
        Assert.False(page.HasElement("title-fi-missing"));
        Assert.Equal("title-sv-missing", page.Element("title-sv").GetValueOrDefault("aria-describedby"));
    }

    [Fact]
    public async Task Moving_a_question_up_patches_the_pages_in_the_new_order_with_if_match()
    {
        var (browser, id) = await host.AuthorWithSurveyAsync();
        var page = await browser.GetAsync($"/staff/surveys/{id}");

        var moved = await browser.PostFormAsync(page, "up-q2");

        Assert.Equal(HttpStatusCode.OK, moved.Status);
        Assert.Equal(["q2", "q1"], (await browser.QuestionIdsAsync(id))[0]);
        Assert.Equal(2, (await browser.SurveyAsync(id))["definitionVersion"]!.GetValue<int>());
        Assert.Contains(Fi("surveys.done.moved"), moved.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_on_a_stale_version_shows_that_someone_else_changed_it()
    {
        var (browser, id) = await host.AuthorWithSurveyAsync();
        var page = await browser.GetAsync($"/staff/surveys/{id}");
        // Another author saves meanwhile: the survey is at version 2.
        await SucceedsAsync(await (await host.CoordinatorAsync()).Http.PatchAsJsonAsync($"/api/surveys/{id}",
            new JsonObject { ["title"] = Texts("Uusi nimi", "Nytt namn", "New name") }));

        var refused = await browser.PostFormAsync(page, "remove-q1");

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains(Fi("surveys.problem.stale"), refused.Text, StringComparison.Ordinal);
        Assert.Contains(Fi("surveys.reload"), refused.Text, StringComparison.Ordinal);
        Assert.Equal(["q1", "q2"], (await browser.QuestionIdsAsync(id))[0]);
    }

    [Fact]
    public async Task A_new_multiple_choice_question_is_added_with_its_options_picks_and_condition()
    {
        var (browser, id) = await host.AuthorWithSurveyAsync();
        var editor = await browser.GetAsync($"/staff/surveys/{id}/questions/new?page=p1&type=multiple-choice");
        Assert.Equal(HttpStatusCode.OK, editor.Status);

        var saved = await browser.PostFormAsync(editor, "question",
            ("text-fi", "Mitä palveluja käytät?"), ("text-sv", "Vilka tjänster använder du?"), ("text-en", "Which services do you use?"),
            ("required", "true"),
            ("opt0-id", "hc"), ("opt0-fi", "Terveysasema"), ("opt0-sv", "Hälsostation"), ("opt0-en", "Health centre"),
            ("opt1-id", ""), ("opt1-fi", "Hammashoito"), ("opt1-sv", "Tandvård"), ("opt1-en", "Dental care"),
            ("opt2-id", ""), ("opt2-fi", ""), ("opt2-sv", ""), ("opt2-en", ""),
            ("minPicks", "1"), ("maxPicks", "2"),
            ("showIf-question", "q1"), ("showIf-anyOf", "a1, a2"));

        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.Equal($"/staff/surveys/{id}", saved.Location!.AbsolutePath);
        Assert.Equal(2, (await browser.SurveyAsync(id))["definitionVersion"]!.GetValue<int>());
        var question = await QuestionAsync(browser, id, 0, 2);
        Assert.Equal("multiple-choice", question["type"]!.ToString());
        Assert.Equal("q3", question["id"]!.ToString());
        Assert.Equal("Which services do you use?", question["text"]!["en"]!.ToString());
        Assert.True(question["required"]!.GetValue<bool>());
        Assert.Equal(1, question["minPicks"]!.GetValue<int>());
        Assert.Equal(2, question["maxPicks"]!.GetValue<int>());
        var options = question["options"]!.AsArray();
        Assert.Equal(2, options.Count);
        Assert.Equal("hc", options[0]!["id"]!.ToString());
        Assert.Equal("a1", options[1]!["id"]!.ToString());
        Assert.Equal("Tandvård", options[1]!["label"]!["sv"]!.ToString());
        Assert.Equal("q1", question["showIf"]!["questionId"]!.ToString());
        Assert.Equal(["a1", "a2"], question["showIf"]!["anyOf"]!.AsArray().Select(a => a!.ToString()));
    }

    [Fact]
    public async Task A_refused_question_shows_the_api_errors_next_to_its_fields_and_keeps_what_was_typed()
    {
        var (browser, id) = await host.AuthorWithSurveyAsync();
        var editor = await browser.GetAsync($"/staff/surveys/{id}/questions/new?page=p1&type=multiple-choice");

        var refused = await browser.PostFormAsync(editor, "question",
            ("text-fi", "Valitse"), ("opt0-fi", "Yksi"), ("opt1-fi", "Kaksi"), ("minPicks", "2"), ("maxPicks", "1"));

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.True(refused.HasElement("maxPicks-error"));
        Assert.Contains("maxPicks cannot be below minPicks.", refused.Text, StringComparison.Ordinal);
        Assert.Equal("true", refused.Element("maxPicks").GetValueOrDefault("aria-invalid"));
        Assert.Contains(">Valitse</textarea>", refused.Html, StringComparison.Ordinal);
        Assert.Equal("2", refused.Element("minPicks")["value"]);
        Assert.Equal(["q1", "q2"], (await browser.QuestionIdsAsync(id))[0]);
    }

    [Fact]
    public async Task A_setting_that_is_not_a_number_is_named_at_its_field_and_nothing_is_sent()
    {
        var (browser, id) = await host.AuthorWithSurveyAsync();
        var editor = await browser.GetAsync($"/staff/surveys/{id}/questions/new?page=p1&type=free-text");

        var refused = await browser.PostFormAsync(editor, "question", ("text-fi", "Kerro lisää"), ("maxLength", "paljon"));

        Assert.True(refused.HasElement("maxLength-error"));
        Assert.Contains(Fi("surveys.error.number"), refused.Text, StringComparison.Ordinal);
        Assert.Equal(1, (await browser.SurveyAsync(id))["definitionVersion"]!.GetValue<int>());
    }

    [Fact]
    public async Task Editing_an_existing_nps_question_keeps_its_id_and_replaces_it_in_place()
    {
        var (browser, id) = await host.AuthorWithSurveyAsync();
        var editor = await browser.GetAsync($"/staff/surveys/{id}/questions/q2");
        Assert.Contains(">Suosittelisitko?</textarea>", editor.Html, StringComparison.Ordinal);

        var saved = await browser.PostFormAsync(editor, "question",
            ("text-fi", "Suosittelisitko palvelua?"), ("text-sv", "Rekommenderar du tjänsten?"), ("text-en", "Would you recommend it?"),
            ("lowLabel-fi", "En"), ("lowLabel-sv", "Nej"), ("lowLabel-en", "No"), ("highLabel-fi", "Kyllä"), ("highLabel-sv", "Ja"), ("highLabel-en", "Yes"),
            ("showIf-question", "q1"), ("showIf-anyOf", "a2"));

        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        var questions = (await browser.SurveyAsync(id))["pages"]![0]!["questions"]!.AsArray();
        Assert.Equal(2, questions.Count);
        Assert.Equal("q2", questions[1]!["id"]!.ToString());
        Assert.Equal("nps", questions[1]!["type"]!.ToString());
        Assert.Equal("Would you recommend it?", questions[1]!["text"]!["en"]!.ToString());
        Assert.Equal("En", questions[1]!["lowLabel"]!["fi"]!.ToString());
        Assert.False(questions[1]!["required"]!.GetValue<bool>());
        Assert.Equal("q1", questions[0]!["id"]!.ToString());
    }

    [Fact]
    public async Task A_page_is_added_and_given_a_title_and_a_condition_on_an_earlier_answer()
    {
        var (browser, id) = await host.AuthorWithSurveyAsync();
        var builder = await browser.GetAsync($"/staff/surveys/{id}");

        var added = await browser.PostFormAsync(builder, "add-page");
        Assert.Contains(Fi("surveys.done.pageAdded"), added.Text, StringComparison.Ordinal);
        Assert.Equal(["p1", "p2"], (await browser.SurveyAsync(id))["pages"]!.AsArray().Select(p => p!["id"]!.ToString()));

        var editor = await browser.GetAsync($"/staff/surveys/{id}/pages/p2");
        Assert.Contains("<option value=\"q1\"", editor.Html, StringComparison.Ordinal);
        var saved = await browser.PostFormAsync(editor, "page", ("pageTitle-fi", "Lisäkysymykset"), ("showIf-question", "q2"), ("showIf-min", "0"), ("showIf-max", "6"));

        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        var survey = await browser.SurveyAsync(id);
        var page = survey["pages"]![1]!;
        Assert.Equal(3, survey["definitionVersion"]!.GetValue<int>());
        Assert.Equal("Lisäkysymykset", page["title"]!["fi"]!.ToString());
        Assert.Equal("q2", page["showIf"]!["questionId"]!.ToString());
        Assert.Equal(6m, page["showIf"]!["max"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_question_moves_to_another_page_at_its_end()
    {
        var content = Content();
        content["pages"]!.AsArray().Add(new JsonObject { ["id"] = "p2", ["questions"] = new JsonArray() });
        var (browser, id) = await host.AuthorWithSurveyAsync(content);
        var editor = await browser.GetAsync($"/staff/surveys/{id}/questions/q1");
        Assert.True(editor.HasElement("targetPage"));

        var saved = await browser.PostFormAsync(editor, "question",
            ("text-fi", "Kumpi?"), ("text-sv", "Vilken?"), ("text-en", "Which?"), ("required", "true"),
            ("opt0-id", "a1"), ("opt0-fi", "Yksi"), ("opt0-sv", "Ett"), ("opt0-en", "One"),
            ("opt1-id", "a2"), ("opt1-fi", "Kaksi"), ("opt1-sv", "Två"), ("opt1-en", "Two"), ("targetPage", "p2"));

        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        var pages = await browser.QuestionIdsAsync(id);
        Assert.Equal(["q2"], pages[0]);
        Assert.Equal(["q1"], pages[1]);
    }

    [Fact]
    public async Task Every_question_type_has_an_editor_with_its_own_settings()
    {
        var browser = await host.StaffBrowserAsync(PanelRoles.Coordinator);
        var id = await browser.CreateSurveyAsync();
        var settings = new Dictionary<string, string>
        {
            ["single-choice"] = "opt0-fi", ["multiple-choice"] = "maxPicks", ["likert"] = "points", ["nps"] = "lowLabel-fi",
            ["number"] = "step", ["free-text"] = "maxLength", ["ranking"] = "rankCount", ["matrix"] = "scale0-fi", ["budget"] = "opt0-cap",
        };

        foreach (var (type, field) in settings)
        {
            var editor = await browser.GetAsync($"/staff/surveys/{id}/questions/new?page=p1&type={type}");
            Assert.Equal(HttpStatusCode.OK, editor.Status);
            Assert.True(editor.HasElement(field), $"{type}: no {field}");
            Assert.True(editor.HasForm("question"), type);
        }

        var budget = await browser.GetAsync($"/staff/surveys/{id}/questions/new?page=p1&type=budget");
        Assert.True(budget.HasElement("vouchers"));
        var matrix = await browser.GetAsync($"/staff/surveys/{id}/questions/new?page=p1&type=matrix");
        Assert.True(matrix.HasElement("row0-fi"));
    }

    [Fact]
    public async Task The_preview_shows_the_survey_in_the_chosen_language_with_disabled_inputs()
    {
        var browser = await host.StaffBrowserAsync(PanelRoles.Coordinator);
        var id = await browser.CreateSurveyAsync();

        var page = await browser.GetAsync($"/staff/surveys/{id}/preview?language=sv");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Vilken?", page.Text, StringComparison.Ordinal);
        Assert.Contains("Två", page.Text, StringComparison.Ordinal);
        Assert.Equal("sv", page.Element("preview")["lang"]);
        // The resident's own controls, inside a disabled fieldset: nothing can be answered.
        Assert.Matches("<fieldset[^>]*\\sdisabled[^>]*id=\"preview-p1\"", page.Html);
        Assert.Contains("type=\"radio\"", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saving_a_survey_as_a_template_posts_its_name()
    {
        var (browser, id) = await host.AuthorWithSurveyAsync();
        var page = await browser.GetAsync($"/staff/surveys/{id}");
        var name = $"Kotihoidon pohja {Guid.NewGuid():N}"[..24];

        var saved = await browser.PostFormAsync(page, "save-template", ("templateTitle-fi", name));

        Assert.Contains(Fi("surveys.done.template"), saved.Text, StringComparison.Ordinal);
        var templates = (await browser.Http.GetFromJsonAsync<JsonArray>("/api/surveys/templates"))!;
        Assert.Contains(templates, t => t!["title"]?["fi"]?.ToString() == name);
    }

    [Fact]
    public async Task The_survey_pages_are_in_swedish_and_english_too()
    {
        var browser = await host.StaffBrowserAsync(PanelRoles.Coordinator);
        var id = await host.SurveyInStateAsync("in-review");

        foreach (var language in new[] { "sv", "en" })
        {
            var list = await browser.GetAsync($"/staff/surveys?lang={language}");
            Assert.Contains(GatewayHost.Texts.Get(language, "surveys.newTitle"), list.Text, StringComparison.Ordinal);
            var review = await browser.GetAsync($"/staff/surveys/{id}/review?lang={language}");
            Assert.Contains(GatewayHost.Texts.Get(language, "surveys.approveTitle"), review.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("[surveys.", review.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("[surveys.", list.Text, StringComparison.Ordinal);
        }
    }
}
