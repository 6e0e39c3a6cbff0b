using System.Text.Json;
using System.Text.Json.Serialization;
using Panel.Surveys.Definitions;
using Panel.Surveys.Responses;

namespace Panel.Surveys.Answering;

/// <summary>
/// The body of every resident answering call. The invitation token travels here (or the open link's resume
/// code), never in a URL, so it reaches no access log or trace.
/// </summary>
/// <param name="Token">The invitation link's token (invitation calls only).</param>
/// <param name="ResumeCode">The code an open link's save returned, to resume those answers (open-link calls only).</param>
/// <param name="Language">fi, sv or en; by default the invitation's language (open link: the survey's first).</param>
/// <param name="Page">Opening: the page to show. Saving or submitting: the page these answers are from (its questions left out are cleared); without it the answers are the whole set.</param>
/// <param name="Answers">Question id → answer, shaped as <see cref="AnswerValidation"/> describes.</param>
public sealed record AnswerRequest(
    string? Token = null,
    string? ResumeCode = null,
    string? Language = null,
    string? Page = null,
    IReadOnlyDictionary<string, JsonElement>? Answers = null);

/// <summary>
/// What an answering page needs: the form in one language, the answers saved so far, and where the resident is.
/// </summary>
/// <param name="Channel">invitation, signed-in or open-link.</param>
/// <param name="Languages">The languages the survey is offered in (for a language switch).</param>
/// <param name="Answers">The saved answers (answers hidden by others left out).</param>
/// <param name="ResumeCode">Open link: the code to give back to resume these answers later. Secret; never put it in a URL.</param>
public sealed record AnswerSession(
    string Channel,
    IReadOnlyList<string> Languages,
    SurveyForm Form,
    IReadOnlyDictionary<string, JsonElement> Answers,
    AnswerNavigation Navigation,
    DateTimeOffset ClosesAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ResumeCode);

/// <summary>
/// Page-by-page navigation over the pages shown with the answers saved so far (conditions look only
/// backwards, so a page's display is known once the pages before it are saved).
/// </summary>
/// <param name="Page">The page to show now.</param>
/// <param name="Position">Its place among the pages shown (1-based), of <paramref name="Count"/>.</param>
/// <param name="Previous">The page shown before it, null on the first.</param>
/// <param name="Next">The page shown after it; null: this is the last page, whose button submits.</param>
public sealed record AnswerNavigation(
    string Page,
    int Position,
    int Count,
    string? Previous,
    string? Next,
    IReadOnlyList<PageDisplay> Pages);

/// <summary>Whether a page is shown, and which of its questions.</summary>
public sealed record PageDisplay(string Id, int Number, bool Shown, IReadOnlyList<QuestionDisplay> Questions);

/// <summary>
/// Whether a question is shown. <paramref name="DependsOnPage"/>: its condition looks at an answer on the same page,
/// so a page without JavaScript shows it with its condition worded ("answer if …"); an answer given while the
/// condition does not hold is dropped on saving.
/// </summary>
public sealed record QuestionDisplay(string Id, bool Shown, bool DependsOnPage);

/// <summary>The thank-you page: the answers were received; repeats how results will be used.</summary>
public sealed record AnswerReceived(string Status, string Language, string Title, string? ResultsUse);

public static class AnswerNavigator
{
    public static AnswerNavigation Navigate(
        SurveyDefinition definition, IReadOnlyDictionary<string, JsonElement> answers, string? requestedPage, string? savedPage)
    {
        var visible = Visibility.VisibleQuestions(definition, answers);
        var pageOf = definition.Pages.SelectMany(p => p.Questions.Select(q => (q.Id, Page: p.Id))).ToDictionary(x => x.Id, x => x.Page, StringComparer.Ordinal);
        var none = new HashSet<string>();
        var pages = new List<PageDisplay>();
        for (var i = 0; i < definition.Pages.Count; i++)
        {
            var page = definition.Pages[i];
            var pageShown = Visibility.Evaluate(page.ShowIf, visible, none, answers) == true;
            var shownHere = new Dictionary<string, bool>(StringComparer.Ordinal);
            var questions = new List<QuestionDisplay>();
            foreach (var question in page.Questions)
            {
                var dependsOnPage = question.ShowIf is { } c && pageOf.TryGetValue(c.QuestionId, out var p) && p == page.Id;
                var shown = pageShown && (dependsOnPage ? shownHere.GetValueOrDefault(question.ShowIf!.QuestionId) : visible.Contains(question.Id));
                shownHere[question.Id] = shown;
                questions.Add(new QuestionDisplay(question.Id, shown, dependsOnPage));
            }

            pages.Add(new PageDisplay(page.Id, i + 1, pageShown && questions.Any(q => q.Shown), questions));
        }

        var shownPages = pages.Where(p => p.Shown).Select(p => p.Id).ToList();
        if (shownPages.Count == 0)
        {
            shownPages.Add(definition.Pages[0].Id);
        }

        var current = new[] { requestedPage, savedPage }.FirstOrDefault(p => p is not null && shownPages.Contains(p)) ?? shownPages[0];
        var at = shownPages.IndexOf(current);
        return new AnswerNavigation(
            current,
            at + 1,
            shownPages.Count,
            at > 0 ? shownPages[at - 1] : null,
            at < shownPages.Count - 1 ? shownPages[at + 1] : null,
            pages);
    }
}
