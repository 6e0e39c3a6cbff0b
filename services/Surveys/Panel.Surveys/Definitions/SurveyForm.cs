using System.Text.Json.Serialization;

namespace Panel.Surveys.Definitions;

/// <summary>
/// A survey as a resident sees it in one language: the model the answering pages render, and the
/// staff preview. Texts are resolved to the language; a text missing in it falls back to the survey's
/// first language that has it, and <see cref="MissingTranslations"/> names it. Conditions are kept, so
/// a renderer shows a page or question only when <c>showIf</c> holds for the answers so far.
/// </summary>
public sealed record SurveyForm(
    Guid SurveyId,
    int Version,
    string Language,
    string Title,
    string? Purpose,
    string? ResultsUse,
    IReadOnlyList<FormPage> Pages,
    IReadOnlyList<string> MissingTranslations);

public sealed record FormPage(
    string Id,
    int Number,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Title,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Condition? ShowIf,
    IReadOnlyList<FormQuestion> Questions);

/// <summary>
/// One question, flattened for renderers: <see cref="Type"/> says which fields are set.
/// Options (single/multiple choice, ranking, budget with Cap), Rows and Columns (matrix), Points
/// (Likert: every point labelled; NPS: 0–10, labels at the ends), Min/Max/Step/Unit (number),
/// MaxLength (free text), MinPicks/MaxPicks, RankCount (how many to rank), Vouchers.
/// </summary>
public sealed record FormQuestion(
    string Id,
    string Type,
    int Number,
    string Text,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Help,
    bool Required,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Condition? ShowIf,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<FormChoice>? Options = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<FormChoice>? Rows = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<FormChoice>? Columns = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<FormPoint>? Points = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MinPicks = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MaxPicks = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? RankCount = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Vouchers = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Min = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Max = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Step = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Unit = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MaxLength = null);

public sealed record FormChoice(
    string Id,
    string Label,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Cap = null);

/// <summary>A point of a Likert or NPS scale: the value answered, and its label if it has one.</summary>
public sealed record FormPoint(
    int Value,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Label);

public static class SurveyForms
{
    public static SurveyForm Build(Guid surveyId, int version, SurveyDefinition definition, string language)
    {
        string Resolve(LocalizedText text) =>
            text.TryGetValue(language, out var value) ? value
            : definition.Languages.Select(l => text.TryGetValue(l, out var v) ? v : null).FirstOrDefault(v => v is not null)
              ?? text.Values.FirstOrDefault() ?? "";
        string? Optional(LocalizedText? text) => text is null ? null : Resolve(text);
        List<FormChoice> Choices(IEnumerable<Choice> choices) => [.. choices.Select(c => new FormChoice(c.Id, Resolve(c.Label)))];

        var number = 0;
        var pages = definition.Pages.Select((page, p) => new FormPage(page.Id, p + 1, Optional(page.Title), page.ShowIf,
            [.. page.Questions.Select(q =>
            {
                var f = new FormQuestion(q.Id, q.Type, ++number, Resolve(q.Text), Optional(q.Help), q.Required, q.ShowIf);
                return q switch
                {
                    SingleChoiceQuestion s => f with { Options = Choices(s.Options) },
                    MultipleChoiceQuestion m => f with { Options = Choices(m.Options), MinPicks = m.MinPicks, MaxPicks = m.MaxPicks },
                    RankingQuestion r => f with { Options = Choices(r.Options), RankCount = r.Ranked },
                    BudgetQuestion b => f with { Options = [.. b.Options.Select(o => new FormChoice(o.Id, Resolve(o.Label), o.Cap))], Vouchers = b.Vouchers },
                    MatrixQuestion m => f with { Rows = Choices(m.Rows), Columns = Choices(m.Scale) },
                    LikertQuestion l => f with { Points = [.. l.Labels.Select((label, i) => new FormPoint(i + 1, Resolve(label)))] },
                    NpsQuestion n => f with
                    {
                        Points = [.. Enumerable.Range(0, 11).Select(v => new FormPoint(v, v == 0 ? Resolve(n.LowLabel) : v == 10 ? Resolve(n.HighLabel) : null))],
                    },
                    NumberQuestion n => f with { Min = n.Min, Max = n.Max, Step = n.Step, Unit = Optional(n.Unit) },
                    FreeTextQuestion t => f with { MaxLength = t.MaxLength },
                    _ => f,
                };
            })])).ToList();

        var missing = Translations.Missing(definition with { Languages = [language] })[language];
        return new SurveyForm(surveyId, version, language, Resolve(definition.Title), Optional(definition.Purpose), Optional(definition.ResultsUse),
            pages, missing);
    }
}
