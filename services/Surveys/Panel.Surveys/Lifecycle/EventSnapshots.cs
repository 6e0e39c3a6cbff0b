using System.Globalization;
using System.Text.Json;
using Panel.Contracts;
using Panel.Surveys.Definitions;

namespace Panel.Surveys.Lifecycle;

/// <summary>The survey as the integration events carry it (services/Contracts/SurveyEvents.cs).</summary>
public static class EventSnapshots
{
    private static readonly IReadOnlyDictionary<string, string> NoText = new Dictionary<string, string>();

    public static string KindName(SurveyKind kind) => JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString());

    public static SurveyDefinitionSnapshot Definition(Survey survey) => new(
        KindName(survey.Kind),
        survey.ServiceArea,
        survey.MinimumGroupSize,
        survey.Definition.Languages,
        survey.Definition.Title,
        survey.Definition.Purpose ?? NoText,
        survey.Definition.ResultsUse ?? NoText,
        [.. survey.Definition.Pages.Select(p => new SurveyPageSnapshot(p.Id, p.Title, Condition(p.ShowIf), [.. p.Questions.Select(Question)]))]);

    public static SurveyTargetGroupSnapshot? TargetGroup(Survey survey) =>
        survey.TargetGroup is { } group ? Targeting.TargetGroupValidator.Snapshot(group) : null;

    private static SurveyConditionSnapshot? Condition(Condition? c) => c is null ? null : new(c.QuestionId, c.AnyOf, c.Min, c.Max);

    private static SurveyChoiceSnapshot Choice(Choice c) => new(c.Id, c.Label, null);

    public static SurveyQuestionSnapshot Question(Question q)
    {
        var s = new SurveyQuestionSnapshot(q.Id, q.Type, q.Text, q.Required, Condition(q.ShowIf), [], [], [],
            null, null, null, null, null, null, null, null, null);
        return q switch
        {
            SingleChoiceQuestion c => s with { Options = [.. c.Options.Select(Choice)] },
            MultipleChoiceQuestion m => s with { Options = [.. m.Options.Select(Choice)], MinPicks = m.MinPicks, MaxPicks = m.MaxPicks },
            RankingQuestion r => s with { Options = [.. r.Options.Select(Choice)], RankCount = r.Ranked },
            BudgetQuestion b => s with { Options = [.. b.Options.Select(o => new SurveyChoiceSnapshot(o.Id, o.Label, o.Cap))], Vouchers = b.Vouchers },
            MatrixQuestion m => s with { Rows = [.. m.Rows.Select(Choice)], Scale = [.. m.Scale.Select(Choice)] },
            LikertQuestion l => s with
            {
                Min = 1,
                Max = l.Points,
                Step = 1,
                Scale = [.. l.Labels.Select((label, i) => new SurveyChoiceSnapshot((i + 1).ToString(CultureInfo.InvariantCulture), label, null))],
            },
            NpsQuestion n => s with
            {
                Min = 0,
                Max = 10,
                Step = 1,
                Scale = [new SurveyChoiceSnapshot("0", n.LowLabel, null), new SurveyChoiceSnapshot("10", n.HighLabel, null)],
            },
            NumberQuestion n => s with { Min = n.Min, Max = n.Max, Step = n.Step, Unit = n.Unit },
            FreeTextQuestion f => s with { MaxLength = f.MaxLength },
            _ => s,
        };
    }
}
