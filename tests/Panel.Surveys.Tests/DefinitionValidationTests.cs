using System.Text.Json;
using System.Text.Json.Nodes;
using Panel.Surveys.Definitions;
using static Panel.Surveys.Tests.Samples;

namespace Panel.Surveys.Tests;

/// <summary>The definition validator, as the API reads bodies: JSON in, fields named by JSON path.</summary>
public sealed class DefinitionValidationTests
{
    private static readonly string[] Areas = [SurveysHost.Area, SurveysHost.OtherArea];

    public static ValidSurvey? Validate(JsonObject survey, out Dictionary<string, string[]> errors) =>
        DefinitionValidator.Validate(survey.Deserialize<SurveyContent>(DefinitionJson.Options)!, Areas, out errors);

    private static JsonObject Q(JsonObject s, int page, int index) => Question(s, page, index);

    [Fact]
    public void A_survey_with_every_question_type_is_valid_and_typed()
    {
        var valid = Validate(Survey(), out var errors);

        Assert.Empty(errors);
        Assert.NotNull(valid);
        Assert.Equal(SurveyKind.Questionnaire, valid.Kind);
        Assert.Equal(5, valid.MinimumGroupSize);
        Assert.Equal(QuestionTypes.All, valid.Definition.Questions.Select(q => q.Type));
        var budget = Assert.IsType<BudgetQuestion>(valid.Definition.Questions.Last());
        Assert.Equal(6, budget.Options[0].Cap);
        Assert.Null(budget.Options[1].Cap);
        Assert.Equal(new Condition("used", ["yes"], null, null).QuestionId, valid.Definition.Pages[1].ShowIf!.QuestionId);
        Assert.Equal(6, valid.Definition.Questions.OfType<FreeTextQuestion>().Single().ShowIf!.Max);
    }

    [Fact]
    public void Defaults_fill_unset_settings_and_texts_are_trimmed()
    {
        var s = Survey();
        s.Remove("minimumGroupSize");
        Q(s, 0, 1).Remove("minPicks");
        Q(s, 0, 1).Remove("maxPicks");
        Q(s, 1, 1).Remove("maxLength");
        Q(s, 1, 0).Remove("step");
        Q(s, 1, 2).Remove("rankCount");
        s["title"]!["fi"] = "  Kotihoito  ";
        s["title"]!["sv"] = "   ";

        var valid = Validate(s, out var errors)!;

        Assert.Empty(errors);
        var multiple = valid.Definition.Questions.OfType<MultipleChoiceQuestion>().Single();
        Assert.Equal((0, 4), (multiple.MinPicks, multiple.MaxPicks));
        Assert.Equal(1000, valid.Definition.Questions.OfType<FreeTextQuestion>().Single().MaxLength);
        Assert.Equal(1m, valid.Definition.Questions.OfType<NumberQuestion>().Single().Step);
        Assert.Equal(4, valid.Definition.Questions.OfType<RankingQuestion>().Single().Ranked);
        Assert.Equal("Kotihoito", valid.Definition.Title["fi"]);
        Assert.False(valid.Definition.Title.ContainsKey("sv"));
    }

    [Fact]
    public void The_stored_JSON_names_each_question_type_and_reads_back_with_the_discriminator_anywhere()
    {
        var definition = Validate(Survey(), out _)!.Definition;

        var json = DefinitionJson.Serialize(definition);
        var node = JsonNode.Parse(json)!;
        Assert.Equal("single-choice", node["pages"]![0]!["questions"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("budget", node["pages"]![1]!["questions"]![4]!["type"]!.GetValue<string>());

        // PostgreSQL's jsonb puts "type" wherever it likes; move it last in every question.
        foreach (var question in node["pages"]!.AsArray().SelectMany(p => p!["questions"]!.AsArray()))
        {
            var type = question!["type"]!.GetValue<string>();
            question.AsObject().Remove("type");
            question["type"] = type;
        }

        var back = DefinitionJson.Deserialize<SurveyDefinition>(node.ToJsonString());
        Assert.Equal(json, DefinitionJson.Serialize(back));
    }

    [Fact]
    public void A_stored_survey_turned_back_into_input_validates_to_the_same_definition()
    {
        var valid = Validate(Survey(), out _)!;

        var again = DefinitionValidator.Validate(SurveyContents.From(valid.Kind, valid.ServiceArea, valid.MinimumGroupSize, valid.Definition), Areas, out var errors);

        Assert.Empty(errors);
        Assert.Equal(DefinitionJson.Serialize(valid.Definition), DefinitionJson.Serialize(again!.Definition));
    }

    private const string P0 = "pages[0].questions";
    private const string P1 = "pages[1].questions";

    /// <summary>Each bad survey: what is changed in the sample, and the field the error must name.</summary>
    internal static readonly Dictionary<string, (Action<JsonObject> Change, string Field)> Bad = new()
    {
        // Survey level
        ["no kind"] = (s => s.Remove("kind"), "kind"),
        ["unknown kind"] = (s => s["kind"] = "poll", "kind"),
        ["pilot recruitment not yet"] = (s => s["kind"] = "pilot-recruitment", "kind"),
        ["no service area"] = (s => s.Remove("serviceArea"), "serviceArea"),
        ["unknown service area"] = (s => s["serviceArea"] = "space-travel", "serviceArea"),
        ["k below 3"] = (s => s["minimumGroupSize"] = 2, "minimumGroupSize"),
        ["no languages"] = (s => s["languages"] = new JsonArray(), "languages"),
        ["unknown language"] = (s => s["languages"] = new JsonArray("fi", "de"), "languages"),
        ["language twice"] = (s => s["languages"] = new JsonArray("fi", "fi"), "languages"),
        ["no title"] = (s => s.Remove("title"), "title"),
        ["empty title"] = (s => s["title"] = new JsonObject { ["fi"] = " " }, "title"),
        ["title in German"] = (s => s["title"] = new JsonObject { ["de"] = "Umfrage" }, "title"),
        ["title too long"] = (s => s["title"]!["fi"] = new string('x', 201), "title.fi"),
        ["purpose too long"] = (s => s["purpose"]!["sv"] = new string('x', 4001), "purpose.sv"),
        ["page without id"] = (s => s["pages"]![0]!.AsObject().Remove("id"), "pages[0].id"),
        ["two pages with one id"] = (s => s["pages"]![1]!["id"] = "p1", "pages[1].id"),
        ["too many pages"] = (s => s["pages"] = new JsonArray([.. Enumerable.Range(0, 51).Select(i => (JsonNode)new JsonObject { ["id"] = $"p{i}" })]), "pages"),
        // Any question
        ["unknown type"] = (s => Question(s, 0, 0)["type"] = "slider", $"{P0}[0].type"),
        ["no type"] = (s => Question(s, 0, 0).Remove("type"), $"{P0}[0].type"),
        ["no question id"] = (s => Question(s, 0, 0).Remove("id"), $"{P0}[0].id"),
        ["question id with a space"] = (s => Question(s, 0, 0)["id"] = "my question", $"{P0}[0].id"),
        ["question id used twice"] = (s => Question(s, 1, 0)["id"] = "used", $"{P1}[0].id"),
        ["no question text"] = (s => Question(s, 0, 2).Remove("text"), $"{P0}[2].text"),
        ["question text too long"] = (s => Question(s, 0, 2)["text"]!["en"] = new string('x', 1001), $"{P0}[2].text.en"),
        ["setting of another type"] = (s => Question(s, 0, 0)["points"] = 5, $"{P0}[0].points"),
        // single-choice
        ["single choice with one option"] = (s => Question(s, 0, 0)["options"] = Options("yes"), $"{P0}[0].options"),
        ["single choice without options"] = (s => Question(s, 0, 0).Remove("options"), $"{P0}[0].options"),
        ["two options with one id"] = (s => Question(s, 0, 0)["options"] = Options("yes", "yes"), $"{P0}[0].options[1].id"),
        ["option without a label"] = (s => Question(s, 0, 0)["options"]![0]!.AsObject().Remove("label"), $"{P0}[0].options[0].label"),
        ["cap on a choice option"] = (s => Question(s, 0, 0)["options"]![0]!["cap"] = 3, $"{P0}[0].options[0].cap"),
        // multiple-choice
        ["more picks than options"] = (s => Question(s, 0, 1)["maxPicks"] = 5, $"{P0}[1].maxPicks"),
        ["min picks above max picks"] = (s => { Question(s, 0, 1)["minPicks"] = 3; Question(s, 0, 1)["maxPicks"] = 2; }, $"{P0}[1].maxPicks"),
        ["negative min picks"] = (s => Question(s, 0, 1)["minPicks"] = -1, $"{P0}[1].minPicks"),
        ["zero max picks"] = (s => Question(s, 0, 1)["maxPicks"] = 0, $"{P0}[1].maxPicks"),
        // likert
        ["likert of 6 points"] = (s => Question(s, 0, 2)["points"] = 6, $"{P0}[2].points"),
        ["likert without points"] = (s => Question(s, 0, 2).Remove("points"), $"{P0}[2].points"),
        ["7 points with 5 labels"] = (s => Question(s, 0, 2)["points"] = 7, $"{P0}[2].labels"),
        ["an empty likert label"] = (s => Question(s, 0, 2)["labels"]![2] = new JsonObject { ["fi"] = "" }, $"{P0}[2].labels[2]"),
        // nps
        ["nps without low label"] = (s => Question(s, 0, 3).Remove("lowLabel"), $"{P0}[3].lowLabel"),
        ["nps with empty high label"] = (s => Question(s, 0, 3)["highLabel"] = new JsonObject(), $"{P0}[3].highLabel"),
        // number
        ["number min above max"] = (s => { Question(s, 1, 0)["min"] = 10; Question(s, 1, 0)["max"] = 5; }, $"{P1}[0].max"),
        ["number without min"] = (s => Question(s, 1, 0).Remove("min"), $"{P1}[0].min"),
        ["number step zero"] = (s => Question(s, 1, 0)["step"] = 0, $"{P1}[0].step"),
        ["number step wider than the range"] = (s => Question(s, 1, 0)["step"] = 100, $"{P1}[0].step"),
        ["number with 5 decimals"] = (s => Question(s, 1, 0)["min"] = 0.12345, $"{P1}[0].min"),
        // free-text
        ["free text over 4000"] = (s => Question(s, 1, 1)["maxLength"] = 4001, $"{P1}[1].maxLength"),
        ["free text of 0"] = (s => Question(s, 1, 1)["maxLength"] = 0, $"{P1}[1].maxLength"),
        // ranking
        ["rank more than the options"] = (s => Question(s, 1, 2)["rankCount"] = 5, $"{P1}[2].rankCount"),
        ["rank zero"] = (s => Question(s, 1, 2)["rankCount"] = 0, $"{P1}[2].rankCount"),
        ["ranking one option"] = (s => Question(s, 1, 2)["options"] = Options("a"), $"{P1}[2].options"),
        // matrix
        ["matrix without rows"] = (s => Question(s, 1, 3).Remove("rows"), $"{P1}[3].rows"),
        ["matrix scale of one"] = (s => Question(s, 1, 3)["scale"] = Options("only"), $"{P1}[3].scale"),
        ["two rows with one id"] = (s => Question(s, 1, 3)["rows"] = Options("r", "r"), $"{P1}[3].rows[1].id"),
        // budget
        ["no vouchers"] = (s => Question(s, 1, 4)["vouchers"] = 0, $"{P1}[4].vouchers"),
        ["vouchers missing"] = (s => Question(s, 1, 4).Remove("vouchers"), $"{P1}[4].vouchers"),
        ["too many vouchers"] = (s => Question(s, 1, 4)["vouchers"] = 1001, $"{P1}[4].vouchers"),
        ["cap above the vouchers"] = (s => Question(s, 1, 4)["options"]![0]!["cap"] = 11, $"{P1}[4].options[0].cap"),
        ["caps that cannot reach N"] = (s =>
        {
            foreach (var option in Question(s, 1, 4)["options"]!.AsArray())
            {
                option!["cap"] = 3;
            }
        }, $"{P1}[4].options"),
        ["budget of one option"] = (s => Question(s, 1, 4)["options"] = new JsonArray(new JsonObject { ["id"] = "x", ["label"] = T("X") }), $"{P1}[4].options"),
        // conditions
        ["condition on a later question"] = (s => Question(s, 0, 0)["showIf"] = new JsonObject { ["questionId"] = "nps", ["min"] = 0 }, $"{P0}[0].showIf.questionId"),
        ["condition on a later page"] = (s => Question(s, 0, 3)["showIf"] = new JsonObject { ["questionId"] = "visits", ["min"] = 1 }, $"{P0}[3].showIf.questionId"),
        ["condition on itself"] = (s => Question(s, 0, 3)["showIf"] = new JsonObject { ["questionId"] = "nps", ["min"] = 1 }, $"{P0}[3].showIf.questionId"),
        ["condition on no question"] = (s => Question(s, 0, 3)["showIf"] = new JsonObject { ["questionId"] = "ghost", ["min"] = 1 }, $"{P0}[3].showIf.questionId"),
        ["condition without question"] = (s => Question(s, 0, 3)["showIf"] = new JsonObject { ["min"] = 1 }, $"{P0}[3].showIf.questionId"),
        ["page condition on its own question"] = (s => s["pages"]![0]!["showIf"] = new JsonObject { ["questionId"] = "used", ["anyOf"] = new JsonArray("yes") }, "pages[0].showIf.questionId"),
        ["page condition on a later page"] = (s => s["pages"]![0]!["showIf"] = new JsonObject { ["questionId"] = "visits", ["min"] = 1 }, "pages[0].showIf.questionId"),
        ["anyOf on a likert"] = (s => Question(s, 0, 3)["showIf"] = new JsonObject { ["questionId"] = "satisfied", ["anyOf"] = new JsonArray("1") }, $"{P0}[3].showIf.anyOf"),
        ["anyOf naming no option"] = (s => Question(s, 0, 3)["showIf"] = new JsonObject { ["questionId"] = "used", ["anyOf"] = new JsonArray("maybe") }, $"{P0}[3].showIf.anyOf"),
        ["empty anyOf"] = (s => Question(s, 0, 3)["showIf"] = new JsonObject { ["questionId"] = "used", ["anyOf"] = new JsonArray() }, $"{P0}[3].showIf.anyOf"),
        ["range on a choice"] = (s => Question(s, 0, 3)["showIf"] = new JsonObject { ["questionId"] = "used", ["min"] = 1 }, $"{P0}[3].showIf"),
        ["anyOf and a range"] = (s => Question(s, 0, 3)["showIf"] = new JsonObject { ["questionId"] = "used", ["anyOf"] = new JsonArray("yes"), ["min"] = 1 }, $"{P0}[3].showIf"),
        ["neither anyOf nor range"] = (s => Question(s, 0, 3)["showIf"] = new JsonObject { ["questionId"] = "used" }, $"{P0}[3].showIf"),
        ["range that never holds"] = (s => Question(s, 1, 1)["showIf"] = new JsonObject { ["questionId"] = "nps", ["min"] = 11 }, $"{P1}[1].showIf"),
        ["range min above max"] = (s => Question(s, 1, 1)["showIf"] = new JsonObject { ["questionId"] = "nps", ["min"] = 6, ["max"] = 2 }, $"{P1}[1].showIf.min"),
    };

    public static TheoryData<string> BadCases() => [.. Bad.Keys];

    [Theory]
    [MemberData(nameof(BadCases))]
    public void A_bad_survey_names_the_bad_field(string name)
    {
        var survey = Survey();
        var (change, field) = Bad[name];
        change(survey);

        var valid = Validate(survey, out var errors);

        Assert.Null(valid);
        Assert.True(errors.ContainsKey(field), $"expected an error for {field}; got {string.Join(", ", errors.Keys)}");
        Assert.All(errors[field], message => Assert.False(string.IsNullOrWhiteSpace(message)));
    }

    [Fact]
    public void Every_problem_of_a_survey_is_reported_at_once()
    {
        var s = Survey();
        s["kind"] = "poll";
        Q(s, 0, 2)["points"] = 4;
        Q(s, 1, 4)["vouchers"] = 0;

        Validate(s, out var errors);

        Assert.Equal(["kind", $"{P0}[2].points", $"{P1}[4].vouchers"], errors.Keys.Order());
    }

    [Fact]
    public void A_condition_on_an_earlier_question_of_the_same_page_or_an_earlier_page_is_valid()
    {
        var s = Survey();
        Q(s, 0, 3)["showIf"] = new JsonObject { ["questionId"] = "satisfied", ["min"] = 1, ["max"] = 3 };
        Q(s, 1, 0)["showIf"] = new JsonObject { ["questionId"] = "channels", ["anyOf"] = new JsonArray("web", "phone") };
        s["pages"]![1]!["showIf"] = new JsonObject { ["questionId"] = "nps", ["max"] = 8 };

        Assert.NotNull(Validate(s, out var errors));
        Assert.Empty(errors);
    }

    [Fact]
    public void A_participatory_budget_is_a_kind_with_k_of_its_own()
    {
        var s = Survey();
        s["kind"] = "participatory-budget";
        s["minimumGroupSize"] = 10;

        var valid = Validate(s, out _)!;

        Assert.Equal(SurveyKind.ParticipatoryBudget, valid.Kind);
        Assert.Equal(10, valid.MinimumGroupSize);
    }
}
