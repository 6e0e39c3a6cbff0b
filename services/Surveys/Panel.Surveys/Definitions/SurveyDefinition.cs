using System.Text.Json.Serialization;

namespace Panel.Surveys.Definitions;

/// <summary>What kind of survey: a questionnaire now; pilot recruitment and participatory budget have their own rules later.</summary>
public enum SurveyKind
{
    Questionnaire,
    ParticipatoryBudget,
    PilotRecruitment,
}

/// <summary>
/// A survey's content as residents see it, stored as jsonb (<see cref="DefinitionJson"/>) and versioned:
/// every change raises the survey's definition version, and answers record the version they answered.
/// Kind, service area and the minimum group size are columns of the survey, not part of this.
/// </summary>
/// <param name="Languages">The languages the survey is offered in (fi, sv, en); every text must exist in each before approval.</param>
/// <param name="Purpose">Why the survey is made; shown to residents before they answer and on the results page.</param>
/// <param name="ResultsUse">How the results will be used; shown before answering, on the thank-you page and with the results.</param>
public sealed record SurveyDefinition(
    IReadOnlyList<string> Languages,
    LocalizedText Title,
    LocalizedText? Purpose,
    LocalizedText? ResultsUse,
    IReadOnlyList<SurveyPage> Pages)
{
    public IEnumerable<Question> Questions => Pages.SelectMany(p => p.Questions);
}

/// <summary>One page of questions; shown only when <paramref name="ShowIf"/> holds (if given).</summary>
public sealed record SurveyPage(string Id, LocalizedText? Title, Condition? ShowIf, IReadOnlyList<Question> Questions);

/// <summary>
/// "Show only if question X's answer matches": X is an earlier question (never this one or a later one, so
/// conditions cannot form cycles). Either <paramref name="AnyOf"/> (X is a single or multiple choice
/// question and one of these options is chosen) or a range (X is Likert, NPS or a number and its value
/// is within <paramref name="Min"/>..<paramref name="Max"/>, both inclusive, either may be open).
/// A condition on a hidden or unanswered question does not hold.
/// </summary>
public sealed record Condition(
    string QuestionId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? AnyOf,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Min,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Max);

/// <summary>An option of a choice, ranking or budget question, a matrix row or a matrix scale point.</summary>
public sealed record Choice(string Id, LocalizedText Label);

/// <summary>A budget option; <paramref name="Cap"/> is the most vouchers one resident may give it.</summary>
public sealed record BudgetOption(
    string Id,
    LocalizedText Label,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Cap);

/// <summary>The discriminators of the question types (the JSON "type").</summary>
public static class QuestionTypes
{
    public const string SingleChoice = "single-choice";
    public const string MultipleChoice = "multiple-choice";
    public const string Likert = "likert";
    public const string Nps = "nps";
    public const string Number = "number";
    public const string FreeText = "free-text";
    public const string Ranking = "ranking";
    public const string Matrix = "matrix";
    public const string Budget = "budget";

    public static readonly IReadOnlyList<string> All =
        [SingleChoice, MultipleChoice, Likert, Nps, Number, FreeText, Ranking, Matrix, Budget];
}

/// <summary>A question; the JSON "type" says which kind, each with its own settings.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(SingleChoiceQuestion), QuestionTypes.SingleChoice)]
[JsonDerivedType(typeof(MultipleChoiceQuestion), QuestionTypes.MultipleChoice)]
[JsonDerivedType(typeof(LikertQuestion), QuestionTypes.Likert)]
[JsonDerivedType(typeof(NpsQuestion), QuestionTypes.Nps)]
[JsonDerivedType(typeof(NumberQuestion), QuestionTypes.Number)]
[JsonDerivedType(typeof(FreeTextQuestion), QuestionTypes.FreeText)]
[JsonDerivedType(typeof(RankingQuestion), QuestionTypes.Ranking)]
[JsonDerivedType(typeof(MatrixQuestion), QuestionTypes.Matrix)]
[JsonDerivedType(typeof(BudgetQuestion), QuestionTypes.Budget)]
public abstract record Question(
    string Id,
    LocalizedText Text,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LocalizedText? Help,
    bool Required,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Condition? ShowIf)
{
    /// <summary>The type's discriminator ("likert", …); in JSON it is the "type" property.</summary>
    [JsonIgnore]
    public string Type => this switch
    {
        SingleChoiceQuestion => QuestionTypes.SingleChoice,
        MultipleChoiceQuestion => QuestionTypes.MultipleChoice,
        LikertQuestion => QuestionTypes.Likert,
        NpsQuestion => QuestionTypes.Nps,
        NumberQuestion => QuestionTypes.Number,
        FreeTextQuestion => QuestionTypes.FreeText,
        RankingQuestion => QuestionTypes.Ranking,
        MatrixQuestion => QuestionTypes.Matrix,
        BudgetQuestion => QuestionTypes.Budget,
        _ => throw new InvalidOperationException($"{GetType().Name} has no type name."),
    };
}

/// <summary>One option; the answer is the option's id.</summary>
public sealed record SingleChoiceQuestion(
    string Id, LocalizedText Text, LocalizedText? Help, bool Required, Condition? ShowIf,
    IReadOnlyList<Choice> Options) : Question(Id, Text, Help, Required, ShowIf);

/// <summary>Between <paramref name="MinPicks"/> and <paramref name="MaxPicks"/> options; the answer is an array of option ids.</summary>
public sealed record MultipleChoiceQuestion(
    string Id, LocalizedText Text, LocalizedText? Help, bool Required, Condition? ShowIf,
    IReadOnlyList<Choice> Options, int MinPicks, int MaxPicks) : Question(Id, Text, Help, Required, ShowIf);

/// <summary>A 5 or 7 point scale, every point labelled (Labels[0] is point 1); the answer is 1..Points.</summary>
public sealed record LikertQuestion(
    string Id, LocalizedText Text, LocalizedText? Help, bool Required, Condition? ShowIf,
    int Points, IReadOnlyList<LocalizedText> Labels) : Question(Id, Text, Help, Required, ShowIf);

/// <summary>"How likely would you recommend…" 0–10 with labelled ends; the answer is 0..10.</summary>
public sealed record NpsQuestion(
    string Id, LocalizedText Text, LocalizedText? Help, bool Required, Condition? ShowIf,
    LocalizedText LowLabel, LocalizedText HighLabel) : Question(Id, Text, Help, Required, ShowIf);

/// <summary>A number in Min..Max on the grid Min + k·Step (Step 1 for integers); the answer is a JSON number.</summary>
public sealed record NumberQuestion(
    string Id, LocalizedText Text, LocalizedText? Help, bool Required, Condition? ShowIf,
    decimal Min, decimal Max, decimal Step,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LocalizedText? Unit) : Question(Id, Text, Help, Required, ShowIf);

/// <summary>Free text of at most <paramref name="MaxLength"/> characters (at most 4000); the answer is a string.</summary>
public sealed record FreeTextQuestion(
    string Id, LocalizedText Text, LocalizedText? Help, bool Required, Condition? ShowIf,
    int MaxLength) : Question(Id, Text, Help, Required, ShowIf);

/// <summary>
/// Put options in order: all of them, or the top <paramref name="RankCount"/>. The answer is an array of
/// distinct option ids, best first, exactly <see cref="Ranked"/> long.
/// </summary>
public sealed record RankingQuestion(
    string Id, LocalizedText Text, LocalizedText? Help, bool Required, Condition? ShowIf,
    IReadOnlyList<Choice> Options,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? RankCount) : Question(Id, Text, Help, Required, ShowIf)
{
    /// <summary>How many options an answer ranks.</summary>
    [JsonIgnore]
    public int Ranked => RankCount ?? Options.Count;
}

/// <summary>Rows rated on one scale; the answer is an object {rowId: scalePointId}.</summary>
public sealed record MatrixQuestion(
    string Id, LocalizedText Text, LocalizedText? Help, bool Required, Condition? ShowIf,
    IReadOnlyList<Choice> Rows, IReadOnlyList<Choice> Scale) : Question(Id, Text, Help, Required, ShowIf);

/// <summary>
/// Distribute exactly <paramref name="Vouchers"/> vouchers among the options, at most an option's cap to
/// it; the answer is an object {optionId: vouchers} (options left out get 0).
/// </summary>
public sealed record BudgetQuestion(
    string Id, LocalizedText Text, LocalizedText? Help, bool Required, Condition? ShowIf,
    int Vouchers, IReadOnlyList<BudgetOption> Options) : Question(Id, Text, Help, Required, ShowIf);
