using System.Text.Json;
using System.Text.Json.Nodes;
using Panel.Surveys.Definitions;
using Panel.Surveys.Responses;
using static Panel.Surveys.Tests.Samples;

namespace Panel.Surveys.Tests;

/// <summary>The pure answer validator the answering endpoint uses, on the sample with every question type.</summary>
public sealed class AnswerValidationTests
{
    private static readonly SurveyDefinition Definition = DefinitionValidationTests.Validate(Survey(), out _)!.Definition;

    private static SurveyDefinition With(Action<JsonObject> change)
    {
        var s = Survey();
        change(s);
        return DefinitionValidationTests.Validate(s, out var errors)?.Definition ?? throw new InvalidOperationException(string.Join("; ", errors.Keys));
    }

    private static Dictionary<string, JsonElement> Answers(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    private const string Complete = """
        {"used":"yes","channels":["web"],"satisfied":4,"nps":5,"visits":3,"why":"Slow to reach",
         "priorities":["b","a"],"aspects":{"r1":"ok","r2":"good"},"budget":{"x":6,"y":4}}
        """;

    private static Dictionary<string, JsonElement> CompleteWith(string id, string valueJson)
    {
        var answers = Answers(Complete);
        answers[id] = JsonDocument.Parse(valueJson).RootElement;
        return answers;
    }

    private static IReadOnlyList<AnswerError> Validate(Dictionary<string, JsonElement> answers, SurveyDefinition? definition = null,
        AnswerCompleteness completeness = AnswerCompleteness.Complete) =>
        AnswerValidation.Validate(definition ?? Definition, answers, completeness);

    [Fact]
    public void A_complete_answer_set_has_no_errors()
    {
        Assert.Empty(Validate(Answers(Complete)));
    }

    [Fact]
    public void Questions_hidden_by_a_page_condition_take_no_answers()
    {
        var answers = CompleteWith("used", "\"no\"");

        var errors = Validate(answers);

        Assert.Equal(["channels", "visits", "why", "priorities", "aspects", "budget"], errors.Select(e => e.QuestionId));
        Assert.All(errors, e => Assert.Equal(AnswerErrorCodes.Hidden, e.Code));
        Assert.Empty(Validate(Answers("""{"used":"no","satisfied":2,"nps":9}""")));
    }

    [Fact]
    public void A_question_hidden_by_a_range_condition_takes_no_answer()
    {
        var errors = Validate(CompleteWith("nps", "9"));

        Assert.Equal(new AnswerError("why", AnswerErrorCodes.Hidden, errors.Single().Message), errors.Single());
    }

    [Fact]
    public void A_condition_on_a_hidden_question_does_not_hold()
    {
        var definition = With(s => Question(s, 1, 1)["showIf"] = new JsonObject { ["questionId"] = "channels", ["anyOf"] = new JsonArray("web") });
        var answers = Answers("""{"used":"no","channels":["web"],"satisfied":2,"nps":9}""");

        var errors = Validate(answers, definition);

        Assert.Equal(["channels"], errors.Select(e => e.QuestionId));
    }

    [Fact]
    public void A_wrong_answer_that_conditions_depend_on_is_the_only_error_until_it_is_fixed()
    {
        var answers = CompleteWith("used", "\"perhaps\"");
        answers["visits"] = JsonDocument.Parse("\"many\"").RootElement;

        var errors = Validate(answers);

        Assert.Equal([("used", AnswerErrorCodes.NotAnOption)], errors.Select(e => (e.QuestionId, e.Code)));
        Assert.Equal(("visits", AnswerErrorCodes.WrongType), Validate(CompleteWith("visits", "\"many\"")).Select(e => (e.QuestionId, e.Code)).Single());
    }

    [Fact]
    public void Required_visible_questions_must_be_answered_unless_saving_part_way()
    {
        var answers = Answers("""{"used":"yes","nps":""}""");

        var complete = Validate(answers);
        var partial = Validate(answers, completeness: AnswerCompleteness.Partial);

        Assert.Equal(["satisfied", "nps"], complete.Select(e => e.QuestionId));
        Assert.All(complete, e => Assert.Equal(AnswerErrorCodes.Required, e.Code));
        Assert.Empty(partial);
    }

    [Fact]
    public void A_required_question_that_is_hidden_need_not_be_answered()
    {
        var definition = With(s => Question(s, 1, 0)["required"] = true);

        Assert.Empty(Validate(Answers("""{"used":"no","satisfied":2,"nps":9}"""), definition));
        Assert.Equal("visits", Validate(Answers("""{"used":"yes","satisfied":2,"nps":9}"""), definition).Single().QuestionId);
    }

    [Fact]
    public void Answers_to_questions_the_survey_does_not_have_are_named()
    {
        var answers = CompleteWith("ghost", "1");

        var error = Validate(answers).Single();

        Assert.Equal(("ghost", AnswerErrorCodes.UnknownQuestion), (error.QuestionId, error.Code));
    }

    [Theory]
    [InlineData("used", "3", AnswerErrorCodes.WrongType)]
    [InlineData("used", "[\"yes\"]", AnswerErrorCodes.WrongType)]
    [InlineData("used", "\"maybe\"", AnswerErrorCodes.NotAnOption)]
    [InlineData("channels", "\"web\"", AnswerErrorCodes.WrongType)]
    [InlineData("channels", "[1]", AnswerErrorCodes.WrongType)]
    [InlineData("channels", "[\"fax\"]", AnswerErrorCodes.NotAnOption)]
    [InlineData("channels", "[\"web\",\"web\"]", AnswerErrorCodes.Duplicate)]
    [InlineData("channels", "[\"web\",\"phone\",\"visit\"]", AnswerErrorCodes.TooManyPicks)]
    [InlineData("satisfied", "6", AnswerErrorCodes.OutOfRange)]
    [InlineData("satisfied", "0", AnswerErrorCodes.OutOfRange)]
    [InlineData("satisfied", "3.5", AnswerErrorCodes.WrongType)]
    [InlineData("satisfied", "\"3\"", AnswerErrorCodes.WrongType)]
    [InlineData("satisfied", "true", AnswerErrorCodes.WrongType)]
    [InlineData("nps", "11", AnswerErrorCodes.OutOfRange)]
    [InlineData("nps", "-1", AnswerErrorCodes.OutOfRange)]
    [InlineData("visits", "51", AnswerErrorCodes.OutOfRange)]
    [InlineData("visits", "-0.5", AnswerErrorCodes.OutOfRange)]
    [InlineData("visits", "2.5", AnswerErrorCodes.NotOnStep)]
    [InlineData("visits", "\"3\"", AnswerErrorCodes.WrongType)]
    [InlineData("visits", "1e400", AnswerErrorCodes.WrongType)]
    [InlineData("why", "5", AnswerErrorCodes.WrongType)]
    [InlineData("priorities", "[\"a\"]", AnswerErrorCodes.RankCount)]
    [InlineData("priorities", "[\"a\",\"b\",\"c\"]", AnswerErrorCodes.RankCount)]
    [InlineData("priorities", "[\"a\",\"a\"]", AnswerErrorCodes.Duplicate)]
    [InlineData("priorities", "[\"a\",\"e\"]", AnswerErrorCodes.NotAnOption)]
    [InlineData("priorities", "{\"a\":1}", AnswerErrorCodes.WrongType)]
    [InlineData("aspects", "[\"ok\"]", AnswerErrorCodes.WrongType)]
    [InlineData("aspects", "{\"r3\":\"ok\"}", AnswerErrorCodes.NotAnOption)]
    [InlineData("aspects", "{\"r1\":\"great\"}", AnswerErrorCodes.NotAnOption)]
    [InlineData("aspects", "{\"r1\":1}", AnswerErrorCodes.WrongType)]
    [InlineData("budget", "{\"x\":5,\"y\":4}", AnswerErrorCodes.VoucherTotal)]
    [InlineData("budget", "{\"x\":6,\"y\":4,\"z\":1}", AnswerErrorCodes.VoucherTotal)]
    [InlineData("budget", "{\"x\":7,\"y\":3}", AnswerErrorCodes.CapExceeded)]
    [InlineData("budget", "{\"x\":-1,\"y\":11}", AnswerErrorCodes.WrongType)]
    [InlineData("budget", "{\"x\":2.5,\"y\":7.5}", AnswerErrorCodes.WrongType)]
    [InlineData("budget", "{\"w\":10}", AnswerErrorCodes.NotAnOption)]
    [InlineData("budget", "[10]", AnswerErrorCodes.WrongType)]
    [InlineData("budget", "10", AnswerErrorCodes.WrongType)]
    public void A_bad_answer_is_named_with_its_reason(string questionId, string value, string code)
    {
        var errors = Validate(CompleteWith(questionId, value));

        var error = Assert.Single(errors);
        Assert.Equal((questionId, code), (error.QuestionId, error.Code));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Free_text_longer_than_its_limit_is_too_long_and_at_the_limit_is_fine()
    {
        Assert.Equal(AnswerErrorCodes.TooLong, Validate(CompleteWith("why", JsonSerializer.Serialize(new string('a', 501)))).Single().Code);
        Assert.Empty(Validate(CompleteWith("why", JsonSerializer.Serialize(new string('a', 500)))));
    }

    [Fact]
    public void Too_few_picks_are_named()
    {
        var definition = With(s => Question(s, 0, 1)["minPicks"] = 2);

        Assert.Equal(AnswerErrorCodes.TooFewPicks, Validate(Answers(Complete), definition).Single().Code);
    }

    [Fact]
    public void A_required_matrix_needs_every_row_and_an_optional_one_any()
    {
        var required = With(s => Question(s, 1, 3)["required"] = true);
        var oneRow = CompleteWith("aspects", "{\"r1\":\"ok\"}");

        Assert.Equal(AnswerErrorCodes.RowsMissing, Validate(oneRow, required).Single().Code);
        Assert.Empty(Validate(oneRow));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"\"")]
    [InlineData("\"   \"")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"r1\":null}")]
    public void Empty_values_are_no_answer(string empty)
    {
        Assert.Empty(Validate(CompleteWith("aspects", empty)));
        Assert.Equal(AnswerErrorCodes.Required, Validate(CompleteWith("satisfied", empty)).Single().Code);
    }

    [Fact]
    public void Errors_become_validation_problem_fields_under_answers()
    {
        var errors = Validate(CompleteWith("nps", "12"));

        var fields = AnswerValidation.ToValidationErrors(errors);

        Assert.Equal(["answers.nps"], fields.Keys);
    }

    // Property tests: many generated answer sets, from fixed seeds so that a failure repeats.

    [Fact]
    public void Every_generated_valid_answer_set_passes()
    {
        for (var seed = 0; seed < 2000; seed++)
        {
            var random = new Random(seed);
            var answers = AnswerGenerator.Valid(Definition, random);

            var errors = Validate(answers);

            Assert.True(errors.Count == 0, $"seed {seed}: {JsonSerializer.Serialize(answers)} → {string.Join("; ", errors)}");
        }
    }

    [Fact]
    public void A_budget_passes_exactly_when_it_adds_up_to_N_within_the_caps()
    {
        for (var seed = 0; seed < 3000; seed++)
        {
            var random = new Random(seed);
            int x = random.Next(0, 12), y = random.Next(0, 12), z = random.Next(0, 12);
            var answers = CompleteWith("budget", $"{{\"x\":{x},\"y\":{y},\"z\":{z}}}");

            var errors = Validate(answers);

            var expected = x + y + z == 10 && x <= 6;
            Assert.True(expected == (errors.Count == 0), $"x={x} y={y} z={z}: {string.Join("; ", errors)}");
        }
    }

    [Fact]
    public void A_number_passes_exactly_when_it_is_in_range_and_on_the_step()
    {
        var definition = With(s =>
        {
            Question(s, 1, 0)["min"] = -2.5;
            Question(s, 1, 0)["max"] = 7.5;
            Question(s, 1, 0)["step"] = 0.25;
        });
        for (var seed = 0; seed < 3000; seed++)
        {
            var random = new Random(seed);
            var hundredths = random.Next(-400, 1000);
            var value = hundredths / 100m;

            var errors = Validate(CompleteWith("visits", value.ToString(System.Globalization.CultureInfo.InvariantCulture)), definition);

            var expected = hundredths is >= -250 and <= 750 && (hundredths + 250) % 25 == 0;
            Assert.True(expected == (errors.Count == 0), $"{value}: {string.Join("; ", errors)}");
        }
    }

    [Fact]
    public void Any_JSON_for_any_question_gives_errors_and_never_throws()
    {
        var ids = Definition.Questions.Select(q => q.Id).Append("ghost").ToArray();
        for (var seed = 0; seed < 3000; seed++)
        {
            var random = new Random(seed);
            var answers = new Dictionary<string, JsonElement>();
            foreach (var id in ids.Where(_ => random.Next(3) > 0))
            {
                answers[id] = AnswerGenerator.AnyJson(random, depth: 0);
            }

            var errors = Validate(answers);

            Assert.All(errors, e => Assert.True(answers.ContainsKey(e.QuestionId) || e.Code == AnswerErrorCodes.Required, $"seed {seed}: {e}"));
        }
    }
}

/// <summary>Random answer sets: valid ones for a definition, and arbitrary JSON.</summary>
internal static class AnswerGenerator
{
    public static Dictionary<string, JsonElement> Valid(SurveyDefinition definition, Random random)
    {
        var answers = new Dictionary<string, JsonElement>();
        // Conditions look only backwards, so answering in order and asking what is visible so far is enough.
        foreach (var question in definition.Questions)
        {
            if (!Visibility.VisibleQuestions(definition, answers).Contains(question.Id))
            {
                continue;
            }

            if (!question.Required && random.Next(4) == 0)
            {
                continue;
            }

            answers[question.Id] = JsonSerializer.SerializeToElement<object>(question switch
            {
                SingleChoiceQuestion s => Pick(s.Options, random).Id,
                MultipleChoiceQuestion m => Shuffle(m.Options, random).Take(random.Next(Math.Max(1, m.MinPicks), m.MaxPicks + 1)).Select(o => o.Id).ToArray(),
                LikertQuestion l => random.Next(1, l.Points + 1),
                NpsQuestion => random.Next(0, 11),
                NumberQuestion n => n.Min + n.Step * random.Next(0, (int)((n.Max - n.Min) / n.Step) + 1),
                FreeTextQuestion f => new string('x', random.Next(1, f.MaxLength + 1)),
                RankingQuestion r => Shuffle(r.Options, random).Take(r.Ranked).Select(o => o.Id).ToArray(),
                MatrixQuestion m => m.Rows.ToDictionary(row => row.Id, _ => Pick(m.Scale, random).Id),
                BudgetQuestion b => Allocate(b, random),
                _ => throw new InvalidOperationException(question.Type),
            });
        }

        return answers;
    }

    private static Dictionary<string, int> Allocate(BudgetQuestion b, Random random)
    {
        var given = b.Options.ToDictionary(o => o.Id, _ => 0);
        for (var left = b.Vouchers; left > 0; left--)
        {
            var open = b.Options.Where(o => given[o.Id] < (o.Cap ?? int.MaxValue)).ToList();
            given[Pick(open, random).Id]++;
        }

        return given;
    }

    private static T Pick<T>(IReadOnlyList<T> items, Random random) => items[random.Next(items.Count)];

    private static List<T> Shuffle<T>(IEnumerable<T> items, Random random) => [.. items.OrderBy(_ => random.Next())];

    public static JsonElement AnyJson(Random random, int depth)
    {
        object? value = random.Next(depth > 1 ? 6 : 8) switch
        {
            0 => null,
            1 => random.Next(-20, 20),
            2 => random.NextDouble() * 100 - 50,
            3 => new[] { "yes", "no", "web", "a", "b", "r1", "ok", "x", "", "ghost" }[random.Next(10)],
            4 => random.Next(2) == 0,
            5 => new string('z', random.Next(0, 600)),
            6 => Enumerable.Range(0, random.Next(0, 5)).Select(_ => AnyJson(random, depth + 1)).ToArray(),
            _ => new[] { "x", "y", "z", "r1", "r2", "w" }.Where(_ => random.Next(3) == 0).ToDictionary(k => k, _ => AnyJson(random, depth + 1)),
        };
        return JsonSerializer.SerializeToElement(value);
    }
}
