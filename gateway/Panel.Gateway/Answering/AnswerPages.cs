using System.Text.Json;
using Panel.Gateway.Backends.Surveys;

namespace Panel.Gateway.Answering;

/// <summary>Where a page stands among the pages shown with the answers so far.</summary>
public sealed record PagePlace(FormPage Page, int Position, int Count, string? Previous, string? Next);

/// <summary>A question as a page renders it; <see cref="OnCondition"/>: shown with its condition worded (it follows an answer on the same page).</summary>
public sealed record RenderedQuestion(FormQuestion Question, bool OnCondition);

/// <summary>
/// Page-by-page navigation over a session from Surveys. Which pages and questions are shown is Surveys'
/// judgement (its navigation, evaluated with the saved answers); this only reads it.
/// </summary>
public static class AnswerPages
{
    public static PagePlace Place(AnswerSession session, string? pageId)
    {
        var shown = session.Navigation.Pages.Where(p => p.Shown).Select(p => p.Id).ToList();
        if (shown.Count == 0)
        {
            shown.Add(session.Form.Pages[0].Id);
        }

        var id = pageId is not null && shown.Contains(pageId) ? pageId
            : shown.Contains(session.Navigation.Page) ? session.Navigation.Page
            : shown[0];
        var at = shown.IndexOf(id);
        return new PagePlace(
            session.Form.Pages.First(p => p.Id == id),
            at + 1,
            shown.Count,
            at > 0 ? shown[at - 1] : null,
            at < shown.Count - 1 ? shown[at + 1] : null);
    }

    /// <summary>
    /// The questions of a page to render: those shown, and those whose condition looks at an answer on this page
    /// when that question is rendered too (without JavaScript the page cannot hide them as the resident answers).
    /// </summary>
    public static IReadOnlyList<RenderedQuestion> Questions(AnswerSession session, FormPage page)
    {
        var display = session.Navigation.Pages.FirstOrDefault(p => p.Id == page.Id)?.Questions
            .ToDictionary(q => q.Id, StringComparer.Ordinal) ?? [];
        var rendered = new List<RenderedQuestion>();
        var here = new HashSet<string>(StringComparer.Ordinal);
        foreach (var question in page.Questions)
        {
            var shown = display.TryGetValue(question.Id, out var d) && d.Shown;
            var onCondition = d is { DependsOnPage: true } && question.ShowIf is { } c && here.Contains(c.QuestionId);
            if (shown || onCondition)
            {
                rendered.Add(new RenderedQuestion(question, onCondition));
                here.Add(question.Id);
            }
        }

        return rendered;
    }

    /// <summary>The required questions of a page that are shown with the saved answers and still unanswered.</summary>
    public static IReadOnlyList<string> MissingRequired(AnswerSession session, string pageId)
    {
        var page = session.Form.Pages.FirstOrDefault(p => p.Id == pageId);
        var display = session.Navigation.Pages.FirstOrDefault(p => p.Id == pageId);
        if (page is null || display is null || !display.Shown)
        {
            return [];
        }

        // A question that follows an answer on its own page is "shown" (worded with its condition); it is
        // required only when its condition holds for the answers saved.
        var shown = display.Questions
            .Where(d => d.Shown && (!d.DependsOnPage || page.Questions.FirstOrDefault(q => q.Id == d.Id)?.ShowIf is not { } c || Holds(c, session.AnswerMap)))
            .Select(d => d.Id)
            .ToHashSet(StringComparer.Ordinal);
        return [.. page.Questions
            .Where(q => q.Required && shown.Contains(q.Id)
                && !(session.AnswerMap.TryGetValue(q.Id, out var answer) && AnswerFields.IsAnswered(answer)))
            .Select(q => q.Id)];
    }

    /// <summary>Whether a condition holds for the answers (Surveys' rule: one of the options chosen, or the number within range).</summary>
    public static bool Holds(Condition condition, IReadOnlyDictionary<string, JsonElement> answers)
    {
        if (!answers.TryGetValue(condition.QuestionId, out var answer) || !AnswerFields.IsAnswered(answer))
        {
            return false;
        }

        if (condition.AnyOf is { } anyOf)
        {
            return answer.ValueKind switch
            {
                JsonValueKind.String => anyOf.Contains(answer.GetString()!),
                JsonValueKind.Array => answer.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && anyOf.Contains(a.GetString()!)),
                _ => false,
            };
        }

        return answer.ValueKind == JsonValueKind.Number && answer.TryGetDecimal(out var n)
            && (condition.Min is null || n >= (decimal)condition.Min) && (condition.Max is null || n <= (decimal)condition.Max);
    }

    /// <summary>The first page, in the survey's order, that has a question with a problem.</summary>
    public static string? FirstPageWith(AnswerSession session, IEnumerable<AnswerProblem> problems)
    {
        var ids = problems.Select(p => p.QuestionId).ToHashSet(StringComparer.Ordinal);
        return session.Form.Pages.FirstOrDefault(p => p.Questions.Any(q => ids.Contains(q.Id)))?.Id;
    }

    public static FormQuestion? Find(SurveyForm form, string questionId) =>
        form.Pages.SelectMany(p => p.Questions).FirstOrDefault(q => q.Id == questionId);
}
