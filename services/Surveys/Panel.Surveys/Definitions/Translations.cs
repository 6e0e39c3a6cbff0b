namespace Panel.Surveys.Definitions;

/// <summary>
/// Which texts lack a translation into which of the survey's languages. A text residents always see
/// (title, purpose, how results are used, question texts, option and scale labels) is missing where it
/// is empty; an optional text (page title, help, unit) only where it exists in another language.
/// Approval requires that nothing is missing.
/// </summary>
public static class Translations
{
    /// <summary>For each of the survey's languages, the JSON paths of the texts missing in it (an empty list when complete).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Missing(SurveyDefinition definition)
    {
        var missing = definition.Languages.ToDictionary(l => l, _ => new List<string>());

        void Check(string path, LocalizedText? text, bool required)
        {
            if (text is null && !required)
            {
                return;
            }

            foreach (var (language, list) in missing)
            {
                if (text is null || !text.TryGetValue(language, out var value) || string.IsNullOrWhiteSpace(value))
                {
                    list.Add(path);
                }
            }
        }

        Check("title", definition.Title, true);
        Check("purpose", definition.Purpose, true);
        Check("resultsUse", definition.ResultsUse, true);
        for (var p = 0; p < definition.Pages.Count; p++)
        {
            var page = definition.Pages[p];
            Check($"pages[{p}].title", page.Title, false);
            for (var q = 0; q < page.Questions.Count; q++)
            {
                var path = $"pages[{p}].questions[{q}]";
                var question = page.Questions[q];
                Check($"{path}.text", question.Text, true);
                Check($"{path}.help", question.Help, false);
                foreach (var (field, text) in Texts(question))
                {
                    Check($"{path}.{field}", text.Text, text.Required);
                }
            }
        }

        return missing.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value);
    }

    public static bool AreComplete(SurveyDefinition definition) => Missing(definition).Values.All(v => v.Count == 0);

    /// <summary>The type-specific texts of a question, with their JSON path below the question.</summary>
    internal static IEnumerable<(string Field, (LocalizedText? Text, bool Required) Text)> Texts(Question question)
    {
        static IEnumerable<(string, (LocalizedText?, bool))> Labels(string field, IEnumerable<LocalizedText> labels) =>
            labels.Select((l, i) => ($"{field}[{i}].label", ((LocalizedText?)l, true)));

        return question switch
        {
            SingleChoiceQuestion s => Labels("options", s.Options.Select(o => o.Label)),
            MultipleChoiceQuestion m => Labels("options", m.Options.Select(o => o.Label)),
            RankingQuestion r => Labels("options", r.Options.Select(o => o.Label)),
            BudgetQuestion b => Labels("options", b.Options.Select(o => o.Label)),
            MatrixQuestion m => Labels("rows", m.Rows.Select(o => o.Label)).Concat(Labels("scale", m.Scale.Select(o => o.Label))),
            LikertQuestion l => l.Labels.Select((t, i) => ($"labels[{i}]", ((LocalizedText?)t, true))),
            NpsQuestion n => [("lowLabel", (n.LowLabel, true)), ("highLabel", (n.HighLabel, true))],
            NumberQuestion n => [("unit", (n.Unit, false))],
            _ => [],
        };
    }
}
