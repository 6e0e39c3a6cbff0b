using System.Text.Json.Nodes;
using Panel.Surveys.Definitions;
using static Panel.Surveys.Tests.Samples;

namespace Panel.Surveys.Tests;

/// <summary>Which changes a survey with answers may take: texts yes, structure no.</summary>
public sealed class DefinitionDiffTests
{
    private static IReadOnlyList<string> Breaking(Action<JsonObject> change)
    {
        var before = DefinitionValidationTests.Validate(Survey(), out _)!;
        var changed = Survey();
        change(changed);
        var after = DefinitionValidationTests.Validate(changed, out var errors);
        Assert.True(after is not null, string.Join("; ", errors.Keys));
        return DefinitionDiff.BreakingChanges(before.Kind, before.MinimumGroupSize, before.Definition, after!);
    }

    public static TheoryData<string> Harmless() =>
    [
        "typo in a question", "typo in an option", "typo in a likert label", "typo in nps labels", "new help text", "new page title",
        "purpose and results use", "reordered options", "reordered questions on a page", "question made optional", "k raised",
        "free text allowed longer", "another service area", "one language less", "nothing",
    ];

    private static readonly Dictionary<string, Action<JsonObject>> HarmlessChanges = new()
    {
        ["typo in a question"] = s => Question(s, 0, 0)["text"]!["fi"] = "Käytitkö kotihoitoa?",
        ["typo in an option"] = s => Question(s, 0, 0)["options"]![0]!["label"]!["en"] = "Yes, I did",
        ["typo in a likert label"] = s => Question(s, 0, 2)["labels"]![0]!["sv"] = "Helt av annan åsikt",
        ["typo in nps labels"] = s => Question(s, 0, 3)["highLabel"] = T("Certainly"),
        ["new help text"] = s => Question(s, 1, 4)["help"] = T("Vouchers are points"),
        ["new page title"] = s => s["pages"]![1]!["title"] = T("More"),
        ["purpose and results use"] = s => { s["purpose"] = T("Better purpose"); s["resultsUse"] = T("Better use"); },
        ["reordered options"] = s => Question(s, 0, 1)["options"] = Options("letter", "visit", "phone", "web"),
        ["reordered questions on a page"] = s =>
        {
            var questions = s["pages"]![1]!["questions"]!.AsArray();
            var last = questions[4]!;
            questions.RemoveAt(4);
            questions.Insert(0, last);
        },
        ["question made optional"] = s => Question(s, 0, 2)["required"] = false,
        ["k raised"] = s => s["minimumGroupSize"] = 8,
        ["free text allowed longer"] = s => Question(s, 1, 1)["maxLength"] = 900,
        ["another service area"] = s => s["serviceArea"] = SurveysHost.OtherArea,
        ["one language less"] = s => s["languages"] = new JsonArray("fi", "sv"),
        ["nothing"] = _ => { },
    };

    [Theory]
    [MemberData(nameof(Harmless))]
    public void Text_and_order_changes_keep_answers_meaningful(string name)
    {
        Assert.Empty(Breaking(HarmlessChanges[name]));
    }

    /// <summary>A breaking change and a word its reason must contain.</summary>
    private static readonly Dictionary<string, (Action<JsonObject> Change, string Reason)> BreakingChanges = new()
    {
        ["question removed"] = (s => s["pages"]![1]!["questions"]!.AsArray().RemoveAt(4), "'budget' cannot be removed"),
        ["question added"] = (s => s["pages"]![1]!["questions"]!.AsArray().Add(new JsonObject { ["type"] = "free-text", ["id"] = "extra", ["text"] = T("More?") }), "'extra' cannot be added"),
        ["type changed"] = (s => { var q = Question(s, 0, 3); q["type"] = "likert"; q.Remove("lowLabel"); q.Remove("highLabel"); q["points"] = 5; q["labels"] = new JsonArray(T("1"), T("2"), T("3"), T("4"), T("5")); }, "from nps to likert"),
        ["option removed"] = (s => Question(s, 0, 0)["options"] = Options("yes", "maybe"), "'no' of question 'used' cannot be removed"),
        ["option added"] = (s => Question(s, 0, 1)["options"] = Options("web", "phone", "visit", "letter", "chat"), "'chat' cannot be added"),
        ["picks changed"] = (s => Question(s, 0, 1)["maxPicks"] = 3, "How many options question 'channels' takes"),
        ["likert points changed"] = (s => { Question(s, 0, 2)["points"] = 7; Question(s, 0, 2)["labels"] = new JsonArray(T("1"), T("2"), T("3"), T("4"), T("5"), T("6"), T("7")); }, "from 5 to 7 points"),
        ["number range changed"] = (s => Question(s, 1, 0)["max"] = 40, "range of question 'visits'"),
        ["number step changed"] = (s => Question(s, 1, 0)["step"] = 0.5, "range of question 'visits'"),
        ["free text shortened"] = (s => Question(s, 1, 1)["maxLength"] = 100, "cannot be lowered below 500"),
        ["rank count changed"] = (s => Question(s, 1, 2)["rankCount"] = 3, "ranks"),
        ["matrix row removed"] = (s => Question(s, 1, 3)["rows"] = Options("r1"), "'r2' of question 'aspects' cannot be removed"),
        ["matrix scale reordered"] = (s => Question(s, 1, 3)["scale"] = Options("good", "ok", "bad"), "scale of question 'aspects'"),
        ["vouchers changed"] = (s => Question(s, 1, 4)["vouchers"] = 12, "vouchers of question 'budget'"),
        ["cap changed"] = (s => Question(s, 1, 4)["options"]![0]!["cap"] = 5, "cap of option 'x'"),
        ["question condition changed"] = (s => Question(s, 1, 1)["showIf"]!["max"] = 7, "When question 'why' is shown"),
        ["question condition removed"] = (s => Question(s, 0, 1).Remove("showIf"), "When question 'channels' is shown"),
        ["page condition removed"] = (s => s["pages"]![1]!.AsObject().Remove("showIf"), "When question 'visits' is shown"),
        ["kind changed"] = (s => s["kind"] = "participatory-budget", "kind"),
        ["k lowered"] = (s => s["minimumGroupSize"] = 3, "lowered below 5"),
    };

    public static TheoryData<string> Breakers() => [.. BreakingChanges.Keys];

    [Theory]
    [MemberData(nameof(Breakers))]
    public void Structural_changes_are_refused_with_a_reason(string name)
    {
        var (change, reason) = BreakingChanges[name];

        var reasons = Breaking(change);

        Assert.Contains(reasons, r => r.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Moving_a_question_to_a_page_shown_on_other_terms_is_a_change_of_when_it_is_shown()
    {
        var reasons = Breaking(s =>
        {
            var visits = s["pages"]![1]!["questions"]!.AsArray()[0]!;
            s["pages"]![1]!["questions"]!.AsArray().RemoveAt(0);
            s["pages"]![0]!["questions"]!.AsArray().Add(visits);
        });

        Assert.Equal(["When question 'visits' is shown cannot change: it has answers."], reasons);
    }
}
