using System.Text.Json;
using Panel.Contracts;
using Panel.Surveys.Definitions;
using Panel.Privacy;
using Panel.Surveys.Responses;

namespace Panel.Surveys.Answering;

/// <summary>The answers to keep (draft or submitted) and what is wrong with the ones given.</summary>
public sealed record PreparedAnswers(IReadOnlyDictionary<string, JsonElement> Answers, IReadOnlyList<AnswerError> Errors);

/// <summary>
/// Puts together the answers of a save or submit. Two shapes of request:
/// <list type="bullet">
/// <item>with a page: the answers are that page's (a form posts all of its fields, so a question of the page
/// left out is cleared), merged into the saved draft;</item>
/// <item>without: the answers are the whole answer set and replace the draft (or, if none are given, the draft
/// is taken as it is).</item>
/// </list>
/// Answers to questions the resident's other answers hide are dropped, not refused: a page without JavaScript
/// shows a follow-up question even when the answer it follows makes it moot. Saved answers that no longer fit
/// the survey (it was revised) are dropped too; only the answers given in the request are judged.
/// </summary>
public static class AnswerSets
{
    /// <summary>Code of an answer given for another page than the one saved.</summary>
    public const string NotOnPage = "not-on-page";

    public static PreparedAnswers Prepare(
        SurveyDefinition definition,
        IReadOnlyDictionary<string, JsonElement>? draft,
        SurveyPage? page,
        IReadOnlyDictionary<string, JsonElement>? given,
        AnswerCompleteness completeness)
    {
        var known = definition.Questions.Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        var saved = (draft ?? new Dictionary<string, JsonElement>())
            .Where(a => known.Contains(a.Key) && Visibility.IsAnswered(a.Value))
            .ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);

        Dictionary<string, JsonElement> merged;
        HashSet<string> judged;
        var errors = new List<AnswerError>();
        if (page is not null)
        {
            var onPage = page.Questions.Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
            merged = saved.Where(a => !onPage.Contains(a.Key)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
            foreach (var (id, value) in given ?? new Dictionary<string, JsonElement>())
            {
                if (!known.Contains(id))
                {
                    errors.Add(new AnswerError(id, AnswerErrorCodes.UnknownQuestion, "The survey has no such question."));
                }
                else if (!onPage.Contains(id))
                {
                    errors.Add(new AnswerError(id, NotOnPage, $"The question is not on page '{page.Id}'."));
                }
                else if (Visibility.IsAnswered(value))
                {
                    merged[id] = value;
                }
            }

            judged = given?.Keys.ToHashSet(StringComparer.Ordinal) ?? [];
        }
        else if (given is not null)
        {
            // Unknown ids stay in, so the validator names them.
            merged = given.Where(a => !known.Contains(a.Key) || Visibility.IsAnswered(a.Value))
                .ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
            judged = given.Keys.ToHashSet(StringComparer.Ordinal);
        }
        else
        {
            merged = saved;
            judged = [];
        }


        // Each round drops saved answers that no longer fit; dropping one may hide others, so prune again.
        while (true)
        {
            DropHidden(definition, merged, known);
            var found = AnswerValidation.Validate(definition, merged, completeness);
            var stale = found.Where(e => !judged.Contains(e.QuestionId) && merged.ContainsKey(e.QuestionId) && e.Code != AnswerErrorCodes.Required)
                .Select(e => e.QuestionId).ToHashSet(StringComparer.Ordinal);
            if (stale.Count == 0)
            {
                return new PreparedAnswers(merged, [.. errors, .. found]);
            }

            foreach (var id in stale)
            {
                merged.Remove(id);
            }
        }
    }

    private static void DropHidden(SurveyDefinition definition, Dictionary<string, JsonElement> answers, HashSet<string> known)
    {
        var visible = Visibility.VisibleQuestions(definition, answers);
        foreach (var id in answers.Keys.Where(id => known.Contains(id) && !visible.Contains(id)).ToList())
        {
            answers.Remove(id);
        }
    }

    /// <summary>The answers with every free text masked for identity codes, phone numbers and emails.</summary>
    public static Dictionary<string, JsonElement> Masked(SurveyDefinition definition, IReadOnlyDictionary<string, JsonElement> answers)
    {
        var freeText = definition.Questions.OfType<FreeTextQuestion>().Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        return answers.ToDictionary(
            a => a.Key,
            a => freeText.Contains(a.Key) && a.Value.ValueKind == JsonValueKind.String
                ? JsonSerializer.SerializeToElement(PersonalDataMasker.Mask(a.Value.GetString()!))
                : a.Value,
            StringComparer.Ordinal);
    }

    /// <summary>The answers as ResponseSubmitted carries them, in the survey's order (answers are valid and masked already).</summary>
    public static List<AnswerSnapshot> Snapshots(SurveyDefinition definition, IReadOnlyDictionary<string, JsonElement> answers)
    {
        var snapshots = new List<AnswerSnapshot>();
        foreach (var question in definition.Questions)
        {
            if (!answers.TryGetValue(question.Id, out var value) || !Visibility.IsAnswered(value))
            {
                continue;
            }

            var answer = new AnswerSnapshot(question.Id, question.Type, null, null, null, null, null);
            snapshots.Add(question switch
            {
                SingleChoiceQuestion => answer with { Options = [value.GetString()!] },
                MultipleChoiceQuestion or RankingQuestion => answer with { Options = [.. value.EnumerateArray().Select(v => v.GetString()!)] },
                LikertQuestion or NpsQuestion or NumberQuestion => answer with { Number = value.GetDecimal() },
                FreeTextQuestion => answer with { Text = value.GetString() },
                MatrixQuestion => answer with
                {
                    Matrix = value.EnumerateObject().Where(r => r.Value.ValueKind == JsonValueKind.String)
                        .ToDictionary(r => r.Name, r => r.Value.GetString()!, StringComparer.Ordinal),
                },
                BudgetQuestion b => answer with
                {
                    Allocation = b.Options.ToDictionary(
                        o => o.Id,
                        o => value.TryGetProperty(o.Id, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 0,
                        StringComparer.Ordinal),
                },
                _ => answer,
            });
        }

        return snapshots;
    }
}
