namespace Panel.Surveys.Definitions;

/// <summary>
/// A survey's editable content as the API takes it: the same JSON shape the API returns, read loosely
/// (every field optional, every question setting on one record) so that <see cref="DefinitionValidator"/>
/// can name each bad or missing field instead of failing on the first.
/// </summary>
public sealed record SurveyContent(
    string? Kind,
    string? ServiceArea,
    int? MinimumGroupSize,
    IReadOnlyList<string>? Languages,
    LocalizedText? Title,
    LocalizedText? Purpose,
    LocalizedText? ResultsUse,
    IReadOnlyList<PageInput>? Pages);

public sealed record PageInput(string? Id, LocalizedText? Title, ConditionInput? ShowIf, IReadOnlyList<QuestionInput>? Questions);

public sealed record ConditionInput(string? QuestionId, IReadOnlyList<string>? AnyOf, decimal? Min, decimal? Max);

public sealed record OptionInput(string? Id, LocalizedText? Label, int? Cap);

/// <summary>A question of any type; settings that do not belong to the type are refused.</summary>
public sealed record QuestionInput(
    string? Type,
    string? Id,
    LocalizedText? Text,
    LocalizedText? Help,
    bool? Required,
    ConditionInput? ShowIf,
    IReadOnlyList<OptionInput>? Options = null,
    int? MinPicks = null,
    int? MaxPicks = null,
    int? Points = null,
    IReadOnlyList<LocalizedText?>? Labels = null,
    LocalizedText? LowLabel = null,
    LocalizedText? HighLabel = null,
    decimal? Min = null,
    decimal? Max = null,
    decimal? Step = null,
    LocalizedText? Unit = null,
    int? MaxLength = null,
    int? RankCount = null,
    IReadOnlyList<OptionInput>? Rows = null,
    IReadOnlyList<OptionInput>? Scale = null,
    int? Vouchers = null);

public static class SurveyContents
{
    /// <summary>A stored survey as input again (a PATCH starts from it; a test round-trips it).</summary>
    public static SurveyContent From(SurveyKind kind, string serviceArea, int minimumGroupSize, SurveyDefinition definition) => new(
        System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString()),
        serviceArea,
        minimumGroupSize,
        definition.Languages,
        definition.Title,
        definition.Purpose,
        definition.ResultsUse,
        Pages(definition.Pages));

    public static IReadOnlyList<PageInput> Pages(IEnumerable<SurveyPage> pages) =>
        [.. pages.Select(p => new PageInput(p.Id, p.Title, Condition(p.ShowIf), [.. p.Questions.Select(Question)]))];

    private static ConditionInput? Condition(Condition? c) => c is null ? null : new(c.QuestionId, c.AnyOf, c.Min, c.Max);

    private static List<OptionInput> Options(IEnumerable<Choice> choices) => [.. choices.Select(c => new OptionInput(c.Id, c.Label, null))];

    private static QuestionInput Question(Question q)
    {
        var input = new QuestionInput(q.Type, q.Id, q.Text, q.Help, q.Required, Condition(q.ShowIf));
        return q switch
        {
            SingleChoiceQuestion s => input with { Options = Options(s.Options) },
            MultipleChoiceQuestion m => input with { Options = Options(m.Options), MinPicks = m.MinPicks, MaxPicks = m.MaxPicks },
            LikertQuestion l => input with { Points = l.Points, Labels = [.. l.Labels] },
            NpsQuestion n => input with { LowLabel = n.LowLabel, HighLabel = n.HighLabel },
            NumberQuestion n => input with { Min = n.Min, Max = n.Max, Step = n.Step, Unit = n.Unit },
            FreeTextQuestion f => input with { MaxLength = f.MaxLength },
            RankingQuestion r => input with { Options = Options(r.Options), RankCount = r.RankCount },
            MatrixQuestion m => input with { Rows = Options(m.Rows), Scale = Options(m.Scale) },
            BudgetQuestion b => input with { Options = [.. b.Options.Select(o => new OptionInput(o.Id, o.Label, o.Cap))], Vouchers = b.Vouchers },
            _ => input,
        };
    }
}
