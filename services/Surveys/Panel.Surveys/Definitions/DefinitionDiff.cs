namespace Panel.Surveys.Definitions;

/// <summary>
/// Decides whether a change keeps the answers already given meaningful. Once a survey has answers its
/// structure is frozen: questions, their types, options, rows, scales, ranges, limits and conditions
/// stay as they are, and no question is added (earlier respondents never saw it). What may change:
/// every text (typo fixes), the order of pages, questions and options (scales keep theirs), whether a
/// question is required, help texts, languages, the service area, and k upwards.
/// </summary>
public static class DefinitionDiff
{
    /// <summary>Why <paramref name="next"/> would corrupt answers given to <paramref name="current"/>; empty when it would not.</summary>
    public static IReadOnlyList<string> BreakingChanges(SurveyKind currentKind, int currentK, SurveyDefinition current, ValidSurvey next)
    {
        var reasons = new List<string>();
        if (next.Kind != currentKind)
        {
            reasons.Add("The kind of survey cannot change once it has answers.");
        }

        if (next.MinimumGroupSize < currentK)
        {
            reasons.Add($"The minimum group size cannot be lowered below {currentK} once the survey has answers: respondents answered under it.");
        }

        var before = Shown(current);
        var after = Shown(next.Definition);
        foreach (var (id, (question, pageCondition)) in before)
        {
            if (!after.TryGetValue(id, out var now))
            {
                reasons.Add($"Question '{id}' cannot be removed: it has answers.");
                continue;
            }

            if (now.Question.Type != question.Type)
            {
                reasons.Add($"Question '{id}' cannot change from {question.Type} to {now.Question.Type}: it has answers.");
                continue;
            }

            if (!SameCondition(pageCondition, now.PageCondition) || !SameCondition(question.ShowIf, now.Question.ShowIf))
            {
                reasons.Add($"When question '{id}' is shown cannot change: it has answers.");
            }

            reasons.AddRange(Settings(question, now.Question));
        }

        reasons.AddRange(after.Keys.Where(id => !before.ContainsKey(id))
            .Select(id => $"Question '{id}' cannot be added: the survey has answers from people who never saw it."));
        return reasons;
    }

    private static Dictionary<string, (Question Question, Condition? PageCondition)> Shown(SurveyDefinition definition) =>
        definition.Pages.SelectMany(p => p.Questions.Select(q => (q, p.ShowIf))).ToDictionary(x => x.q.Id, x => (x.q, x.ShowIf));

    private static bool SameCondition(Condition? a, Condition? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.QuestionId == b.QuestionId && a.Min == b.Min && a.Max == b.Max
              && (a.AnyOf ?? []).ToHashSet().SetEquals(b.AnyOf ?? []);

    private static IEnumerable<string> Settings(Question before, Question after)
    {
        var id = before.Id;
        switch (before, after)
        {
            case (SingleChoiceQuestion b, SingleChoiceQuestion a):
                return Options(id, "options", b.Options.Select(o => o.Id), a.Options.Select(o => o.Id));
            case (MultipleChoiceQuestion b, MultipleChoiceQuestion a):
                return Options(id, "options", b.Options.Select(o => o.Id), a.Options.Select(o => o.Id))
                    .Concat(b.MinPicks != a.MinPicks || b.MaxPicks != a.MaxPicks
                        ? [$"How many options question '{id}' takes ({b.MinPicks}–{b.MaxPicks}) cannot change: it has answers."]
                        : []);
            case (RankingQuestion b, RankingQuestion a):
                return Options(id, "options", b.Options.Select(o => o.Id), a.Options.Select(o => o.Id))
                    .Concat(b.Ranked != a.Ranked ? [$"How many options question '{id}' ranks ({b.Ranked}) cannot change: it has answers."] : []);
            case (BudgetQuestion b, BudgetQuestion a):
                var budget = Options(id, "options", b.Options.Select(o => o.Id), a.Options.Select(o => o.Id)).ToList();
                if (b.Vouchers != a.Vouchers)
                {
                    budget.Add($"The number of vouchers of question '{id}' ({b.Vouchers}) cannot change: it has answers.");
                }

                var caps = a.Options.ToDictionary(o => o.Id, o => o.Cap);
                budget.AddRange(b.Options.Where(o => caps.TryGetValue(o.Id, out var cap) && cap != o.Cap)
                    .Select(o => $"The cap of option '{o.Id}' of question '{id}' cannot change: it has answers."));
                return budget;
            case (MatrixQuestion b, MatrixQuestion a):
                return Options(id, "rows", b.Rows.Select(o => o.Id), a.Rows.Select(o => o.Id))
                    .Concat(b.Scale.Select(s => s.Id).SequenceEqual(a.Scale.Select(s => s.Id))
                        ? []
                        : [$"The scale of question '{id}' cannot change: it has answers."]);
            case (LikertQuestion b, LikertQuestion a) when b.Points != a.Points:
                return [$"The scale of question '{id}' cannot change from {b.Points} to {a.Points} points: it has answers."];
            case (NumberQuestion b, NumberQuestion a) when b.Min != a.Min || b.Max != a.Max || b.Step != a.Step:
                return [$"The range of question '{id}' ({b.Min}–{b.Max}, step {b.Step}) cannot change: it has answers."];
            case (FreeTextQuestion b, FreeTextQuestion a) when a.MaxLength < b.MaxLength:
                return [$"The maximum length of question '{id}' cannot be lowered below {b.MaxLength}: it has answers."];
            default:
                return [];
        }
    }

    private static IEnumerable<string> Options(string id, string what, IEnumerable<string> before, IEnumerable<string> after)
    {
        var b = before.ToHashSet();
        var a = after.ToHashSet();
        var removed = b.Except(a).ToList();
        var added = a.Except(b).ToList();
        if (removed.Count > 0)
        {
            yield return $"{Capital(what)} {string.Join(", ", removed.Select(r => $"'{r}'"))} of question '{id}' cannot be removed: it has answers.";
        }

        if (added.Count > 0)
        {
            yield return $"{Capital(what)} {string.Join(", ", added.Select(r => $"'{r}'"))} cannot be added to question '{id}': earlier respondents could not choose them.";
        }
    }

    private static string Capital(string what) => char.ToUpperInvariant(what[0]) + what[1..];
}
