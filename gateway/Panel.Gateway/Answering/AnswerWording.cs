using System.Globalization;
using Panel.Gateway.Localization;
using Panel.Gateway.Backends.Surveys;

namespace Panel.Gateway.Answering;

/// <summary>
/// Surveys' answer problems and question conditions worded with the answering texts (the <c>answer.*</c> keys): the
/// resident answering page and the staff assisted answers page use the same words next to a question.
/// </summary>
public static class AnswerWording
{
    /// <summary>A problem worded with the question's own limits; <paramref name="invalidParts"/> gets the budget options over their cap.</summary>
    public static string Word(UiText t, AnswerProblem problem, FormQuestion q, AnswerFields.Values values, ISet<string> invalidParts)
    {
        string N(decimal? value) => (value ?? 0).ToString("0.##########", CultureInfo.CurrentCulture);
        switch (problem.Code)
        {
            case "required":
                return t[q.Type switch
                {
                    QuestionTypes.SingleChoice or QuestionTypes.Likert or QuestionTypes.Nps => "answer.error.requiredChoice",
                    QuestionTypes.MultipleChoice => "answer.error.requiredPicks",
                    QuestionTypes.Number => "answer.error.requiredNumber",
                    QuestionTypes.FreeText => "answer.error.requiredText",
                    QuestionTypes.Ranking => "answer.error.requiredRanking",
                    QuestionTypes.Matrix => "answer.error.rowsMissing",
                    QuestionTypes.Budget => "answer.error.requiredBudget",
                    _ => "answer.error.required",
                }];
            case "wrong-type" when q.Type == QuestionTypes.Number:
                return t.Format("answer.error.number", N((decimal?)q.Min), N((decimal?)q.Max));
            case "wrong-type" when q.Type == QuestionTypes.Budget:
                return t["answer.error.budgetNumber"];
            case "out-of-range" when q.Type == QuestionTypes.Number:
                return t.Format("answer.error.range", N((decimal?)q.Min), N((decimal?)q.Max), string.IsNullOrEmpty(q.Unit) ? "" : " " + q.Unit);
            case "not-on-step":
                return t.Format("answer.error.step", N((decimal?)q.Min), N((decimal?)q.Max), N((decimal?)q.Step));
            case "too-few-picks":
                return t.Format("answer.error.tooFew", q.MinPicks ?? 0);
            case "too-many-picks":
                return t.Format("answer.error.tooMany", q.MaxPicks ?? 0);
            case "too-long":
                return t.Format("answer.error.tooLong", q.MaxLength ?? 0,
                    values.First(AnswerFields.Field(q.Id)).Replace("\r\n", "\n", StringComparison.Ordinal).Length);
            case "duplicate" when q.Type == QuestionTypes.Ranking:
                return t["answer.error.rankDuplicate"];
            case "rank-count":
                return t.Format("answer.error.rankCount", q.Ranked);
            case "rows-missing":
                return t["answer.error.rowsMissing"];
            case "voucher-total":
                return t.Format("answer.error.voucherTotal", q.Vouchers ?? 0, q.OptionList.Sum(o => BudgetValue(q, o, values)));
            case "cap-exceeded":
                var over = q.OptionList.Where(o => o.Cap is { } cap && BudgetValue(q, o, values) > cap).ToList();
                foreach (var option in over)
                {
                    invalidParts.Add(option.Id);
                }

                return over.Count > 0 ? t.Format("answer.error.cap", over[0].Label, over[0].Cap!.Value) : t["answer.error.capAny"];
            case "wrong-type" or "out-of-range" or "not-an-option" or "duplicate":
                return t["answer.error.choice"];
            default:
                return t["answer.error.generic"];
        }
    }

    private static int BudgetValue(FormQuestion q, FormChoice option, AnswerFields.Values values) =>
        int.TryParse(values.First(AnswerFields.Field(q.Id, option.Id)).Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>"Answer this if …": the condition of a question or a page, worded with the question it follows.</summary>
    public static string? Condition(UiText t, SurveyForm form, Condition? condition)
    {
        if (condition is null || AnswerPages.Find(form, condition.QuestionId) is not { } source)
        {
            return null;
        }

        if (condition.AnyOf is { Count: > 0 } anyOf)
        {
            var labels = source.OptionList.Where(o => anyOf.Contains(o.Id)).Select(o => $"“{o.Label}”");
            return t.Format("answer.condition.anyOf", source.Number, string.Join(t["answer.condition.or"], labels));
        }

        string N(decimal value) => value.ToString("0.##########", CultureInfo.CurrentCulture);
        // Surveys keeps limits as decimals; its document says number (double): back to the decimals it gave.
        return ((decimal?)condition.Min, (decimal?)condition.Max) switch
        {
            ({ } min, { } max) => t.Format("answer.condition.between", source.Number, N(min), N(max)),
            ({ } min, null) => t.Format("answer.condition.atLeast", source.Number, N(min)),
            (null, { } max) => t.Format("answer.condition.atMost", source.Number, N(max)),
            _ => t.Format("answer.condition.answered", source.Number),
        };
    }
}
