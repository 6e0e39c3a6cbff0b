using System.Text.Json.Nodes;
using Panel.Surveys.Definitions;
using static Panel.Surveys.Tests.Samples;

namespace Panel.Surveys.Tests;

public sealed class TranslationTests
{
    private static IReadOnlyDictionary<string, IReadOnlyList<string>> Missing(JsonObject survey) =>
        Translations.Missing(DefinitionValidationTests.Validate(survey, out _)!.Definition);

    [Fact]
    public void A_survey_with_every_text_in_its_languages_misses_nothing()
    {
        var missing = Missing(Survey());

        Assert.Equal(["fi", "sv", "en"], missing.Keys);
        Assert.All(missing.Values, Assert.Empty);
    }

    [Fact]
    public void Each_missing_text_is_named_under_its_language()
    {
        var s = Survey();
        Question(s, 0, 0)["options"]![1]!["label"]!.AsObject().Remove("sv");
        Question(s, 0, 2)["labels"]![4]!.AsObject().Remove("en");
        Question(s, 1, 3)["scale"]![0]!["label"]!["sv"] = "  ";
        Question(s, 0, 3)["lowLabel"]!.AsObject().Remove("sv");

        var missing = Missing(s);

        Assert.Equal(["pages[0].questions[0].options[1].label", "pages[0].questions[3].lowLabel", "pages[1].questions[3].scale[0].label"], missing["sv"]);
        Assert.Equal(["pages[0].questions[2].labels[4]"], missing["en"]);
        Assert.Empty(missing["fi"]);
    }

    [Fact]
    public void Purpose_and_results_use_are_missing_in_every_language_until_written()
    {
        var s = Survey();
        s.Remove("purpose");
        s.Remove("resultsUse");

        var missing = Missing(s);

        Assert.All(missing.Values, m => Assert.Equal(["purpose", "resultsUse"], m));
    }

    [Fact]
    public void An_optional_text_is_missing_only_where_another_language_has_it()
    {
        var s = Survey();
        Question(s, 0, 0)["help"] = new JsonObject { ["fi"] = "Ohje" };
        s["pages"]![0]!["title"] = null;

        var missing = Missing(s);

        Assert.Equal(["pages[0].questions[0].help"], missing["sv"]);
        Assert.Equal(["pages[0].questions[0].help"], missing["en"]);
        Assert.Empty(missing["fi"]);
    }

    [Fact]
    public void Only_the_survey_languages_are_checked()
    {
        var s = Survey();
        s["languages"] = new JsonArray("fi");
        Question(s, 0, 0)["text"]!.AsObject().Remove("sv");

        var missing = Missing(s);

        Assert.Equal(["fi"], missing.Keys);
        Assert.Empty(missing["fi"]);
    }
}
