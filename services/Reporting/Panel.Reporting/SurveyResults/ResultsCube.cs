using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Panel.Contracts;
using Panel.Reporting.Data;

namespace Panel.Reporting.SurveyResults;

/// <summary>The coarse profile cell an answer set is counted in; "" where a value is not known (open link, no gender given).</summary>
public readonly record struct ProfileCell(string AgeBand, string Municipality, string Gender, string Language, string IsClient, string Channel)
{
    public const string OpenLinkChannel = "open-link";

    public static ProfileCell Of(ProfileSnapshot? profile, string channel) => new(
        Clip(profile?.AgeBand, 10),
        Clip(profile?.Municipality, 100),
        Clip(profile?.Gender, 20),
        Clip(profile?.Language, 10),
        profile?.IsClient is { } c ? (c ? "true" : "false") : "",
        Clip(channel, 20));

    private static string Clip(string? s, int max)
    {
        var t = (s ?? "").Trim();
        return t.Length <= max ? t : t[..max];
    }
}

/// <summary>One cube increment: <see cref="Respondents"/> answer sets more for (question, item, value), and <see cref="Total"/> more in the sum.</summary>
public readonly record struct CubeDelta(string QuestionId, string Item, string Value, long Respondents, decimal Total);

/// <summary>
/// What one answer set adds to the results cube. The consumer applies it per message; the benchmark's fill path
/// applies the same deltas summed over many answer sets. Per question type:
/// single- and multiple-choice: one per option picked (value = option id); likert, nps, number: value = the number;
/// ranking: item = option, value = its rank position (1 = best); matrix: item = row, value = scale point;
/// budget: item = option, total = vouchers given to it; every answered question: item "#" (answered).
/// Free texts are not in the cube (see <see cref="FreeTexts"/>).
/// </summary>
public static class ResultsCube
{
    public static IReadOnlyList<CubeDelta> Deltas(ResponseSubmitted message)
    {
        var deltas = new Dictionary<(string, string, string), (long N, decimal T)>();
        void Add(string q, string item, string value, decimal total = 0)
        {
            if (q.Length == 0 || q.Length > 40 || item.Length > 40 || value.Length > 40) return;
            var key = (q, item, value);
            deltas[key] = deltas.TryGetValue(key, out var d) ? (d.N + 1, d.T + total) : (1, total);
        }

        Add(SurveyAnswerCount.ResponsesQuestion, "", "");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var answer in message.Answers ?? [])
        {
            // A question is counted once per answer set, whatever a malformed message repeats.
            if (answer?.QuestionId is not { } q || q.StartsWith('#') || !seen.Add(q)) continue;
            Add(q, SurveyAnswerCount.AnsweredItem, "");
            switch (answer.Type)
            {
                case "single-choice":
                    if (answer.Options is [var one, ..]) Add(q, "", one);
                    break;
                case "multiple-choice":
                    foreach (var o in (answer.Options ?? []).Distinct(StringComparer.Ordinal)) Add(q, "", o);
                    break;
                case "ranking":
                    var rank = 0;
                    foreach (var o in (answer.Options ?? []).Distinct(StringComparer.Ordinal))
                    {
                        Add(q, o, (++rank).ToString(CultureInfo.InvariantCulture));
                    }

                    break;
                case "likert" or "nps" or "number":
                    if (answer.Number is { } n) Add(q, "", NumberKey(n));
                    break;
                case "matrix":
                    foreach (var (row, point) in answer.Matrix ?? new Dictionary<string, string>()) Add(q, row, point);
                    break;
                case "budget":
                    foreach (var (option, vouchers) in answer.Allocation ?? new Dictionary<string, int>()) Add(q, option, "", vouchers);
                    break;
            }
        }

        return deltas.Select(d => new CubeDelta(d.Key.Item1, d.Key.Item2, d.Key.Item3, d.Value.N, d.Value.T)).ToList();
    }

    /// <summary>Free texts of the answer set, masked again (Surveys masks them before they leave; Reporting does not rely on it).</summary>
    public static IReadOnlyList<(string QuestionId, string Text)> FreeTexts(ResponseSubmitted message) =>
        (message.Answers ?? [])
            .Where(a => a is { Type: "free-text", Text: { } t } && !string.IsNullOrWhiteSpace(t) && !a.QuestionId.StartsWith('#') && a.QuestionId.Length <= 40)
            .GroupBy(a => a.QuestionId, StringComparer.Ordinal)
            .Select(g => (g.Key, PersonalDataMasker.Mask(g.First().Text!.Trim())))
            .ToList();

    /// <summary>A number as the cube's value key: invariant, no trailing zeros ("4", "2.5", "-1").</summary>
    public static string NumberKey(decimal n) => (n / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Adds the deltas of one profile cell in one statement. Rows are sorted so that concurrent consumers lock
    /// them in the same order (no deadlock).
    /// </summary>
    public static Task ApplyAsync(ReportingDbContext db, Guid surveyId, ProfileCell cell, IReadOnlyList<CubeDelta> deltas, CancellationToken ct)
    {
        var sorted = deltas.OrderBy(d => d.QuestionId, StringComparer.Ordinal).ThenBy(d => d.Item, StringComparer.Ordinal)
            .ThenBy(d => d.Value, StringComparer.Ordinal).ToArray();
        var questions = sorted.Select(d => d.QuestionId).ToArray();
        var items = sorted.Select(d => d.Item).ToArray();
        var values = sorted.Select(d => d.Value).ToArray();
        var respondents = sorted.Select(d => d.Respondents).ToArray();
        var totals = sorted.Select(d => d.Total).ToArray();
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO survey_answer_counts
                (survey_id, question_id, item, value, age_band, municipality, gender, language, is_client, channel, respondents, total)
            SELECT {surveyId}, d.q, d.i, d.v, {cell.AgeBand}, {cell.Municipality}, {cell.Gender}, {cell.Language}, {cell.IsClient}, {cell.Channel}, d.n, d.t
            FROM unnest({questions}::text[], {items}::text[], {values}::text[], {respondents}::bigint[], {totals}::numeric[]) WITH ORDINALITY AS d(q, i, v, n, t, o)
            ORDER BY d.o
            ON CONFLICT (survey_id, question_id, item, value, age_band, municipality, gender, language, is_client, channel)
            DO UPDATE SET respondents = survey_answer_counts.respondents + EXCLUDED.respondents,
                          total = survey_answer_counts.total + EXCLUDED.total
            """, ct);
    }
}
