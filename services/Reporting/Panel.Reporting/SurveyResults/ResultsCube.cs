using Panel.Privacy;
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

    /// <summary>The audience the answer set is shown in: open-link apart from every other channel (the panel).</summary>
    public string Audience => Channel == OpenLinkChannel ? ResultsStore.OpenLink : ResultsStore.Panel;

    /// <summary>The cell's value of a profile attribute (a key of <see cref="ResultsAttributes.Columns"/>).</summary>
    public string ValueOf(string attribute) => attribute switch
    {
        "ageBand" => AgeBand,
        "municipality" => Municipality,
        "gender" => Gender,
        "language" => Language,
        "isClient" => IsClient,
        "channel" => Channel,
        _ => throw new ArgumentOutOfRangeException(nameof(attribute), attribute, "Not a profile attribute."),
    };

    private static string Clip(string? s, int max)
    {
        var t = (s ?? "").Trim();
        return t.Length <= max ? t : t[..max];
    }
}

/// <summary>One cube increment: <see cref="Respondents"/> answer sets more for (question, item, value), and <see cref="Total"/> more in the sum.</summary>
public readonly record struct CubeDelta(string QuestionId, string Item, string Value, long Respondents, decimal Total);

/// <summary>
/// What one answer set adds to the results cube (kept as per-attribute rollups). The consumer applies it per batch of
/// answer sets; the benchmark's fill path applies the same deltas summed over many answer sets. Per question type:
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

        Add(SurveyAnswerRollup.ResponsesQuestion, "", "");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var answer in message.Answers ?? [])
        {
            // A question is counted once per answer set, whatever a malformed message repeats.
            if (answer?.QuestionId is not { } q || q.StartsWith('#') || !seen.Add(q)) continue;
            Add(q, SurveyAnswerRollup.AnsweredItem, "");
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
    /// Adds the deltas of answer sets (each in its survey and profile cell) to every attribute's rollup in one
    /// statement: summed per rollup row (survey, attribute, audience, the attribute's value, question, item, value).
    /// Rows are sorted by that key, so concurrent consumers lock the rows they share in the same order (no deadlock).
    /// Run it last in the transaction: a survey's rollup rows are shared by all its answer sets, and their locks are
    /// held until the commit.
    /// </summary>
    public static Task ApplyAsync(ReportingDbContext db, IEnumerable<(Guid SurveyId, ProfileCell Cell, IReadOnlyList<CubeDelta> Deltas)> answerSets, CancellationToken ct)
    {
        var rows = new Dictionary<(Guid, string, string, string, string, string, string), (long N, decimal T)>();
        foreach (var (surveyId, cell, deltas) in answerSets)
        {
            foreach (var attribute in ResultsAttributes.Columns.Keys)
            {
                var attributeValue = cell.ValueOf(attribute);
                foreach (var d in deltas)
                {
                    var key = (surveyId, attribute, cell.Audience, attributeValue, d.QuestionId, d.Item, d.Value);
                    rows[key] = rows.TryGetValue(key, out var r) ? (r.N + d.Respondents, r.T + d.Total) : (d.Respondents, d.Total);
                }
            }
        }

        if (rows.Count == 0) return Task.CompletedTask;
        var sorted = rows.OrderBy(r => r.Key.Item1).ThenBy(r => r.Key.Item2, StringComparer.Ordinal).ThenBy(r => r.Key.Item3, StringComparer.Ordinal)
            .ThenBy(r => r.Key.Item4, StringComparer.Ordinal).ThenBy(r => r.Key.Item5, StringComparer.Ordinal)
            .ThenBy(r => r.Key.Item6, StringComparer.Ordinal).ThenBy(r => r.Key.Item7, StringComparer.Ordinal).ToArray();
        var surveys = sorted.Select(r => r.Key.Item1).ToArray();
        var attributes = sorted.Select(r => r.Key.Item2).ToArray();
        var audiences = sorted.Select(r => r.Key.Item3).ToArray();
        var attributeValues = sorted.Select(r => r.Key.Item4).ToArray();
        var questions = sorted.Select(r => r.Key.Item5).ToArray();
        var items = sorted.Select(r => r.Key.Item6).ToArray();
        var values = sorted.Select(r => r.Key.Item7).ToArray();
        var respondents = sorted.Select(r => r.Value.N).ToArray();
        var totals = sorted.Select(r => r.Value.T).ToArray();
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO survey_answer_rollups
                (survey_id, attribute, audience, attribute_value, question_id, item, value, respondents, total)
            SELECT d.s, d.a, d.c, d.g, d.q, d.i, d.v, d.n, d.t
            FROM unnest({surveys}::uuid[], {attributes}::text[], {audiences}::text[], {attributeValues}::text[], {questions}::text[],
                        {items}::text[], {values}::text[], {respondents}::bigint[], {totals}::numeric[]) WITH ORDINALITY AS d(s, a, c, g, q, i, v, n, t, o)
            ORDER BY d.o
            ON CONFLICT (survey_id, attribute, audience, attribute_value, question_id, item, value)
            DO UPDATE SET respondents = survey_answer_rollups.respondents + EXCLUDED.respondents,
                          total = survey_answer_rollups.total + EXCLUDED.total
            """, ct);
    }
}
