using System.Globalization;
using Panel.Contracts;
using Panel.Privacy;

namespace Panel.Reporting.SurveyResults;

/// <summary>One summed row of the cube: the group (value of the attribute the results are broken down by, "" when not broken down).</summary>
public sealed record CubeEntry(string Group, string QuestionId, string Item, string Value, long Respondents, decimal Total);

/// <summary>A number that may be hidden: <see cref="Value"/> is null exactly when <see cref="Suppressed"/> is true.</summary>
public sealed record Count(string Id, long? Value, double? Percent, bool Suppressed);

/// <summary>
/// One question's results for one group of respondents. Null means suppressed (fewer than k respondents, or a
/// number that would reveal such a count); <see cref="Suppressed"/> says whether anything in it is.
/// </summary>
/// <param name="Respondents">Answer sets that answered the question.</param>
/// <param name="Counts">single-choice, multiple-choice, likert, nps: per option or scale point (percent of respondents).</param>
/// <param name="Mean">likert, nps, number.</param>
/// <param name="Median">likert, nps, number.</param>
/// <param name="Nps">nps: promoters (9–10) minus detractors (0–6), percentage points.</param>
/// <param name="Rows">matrix: per row, counts per scale point (percent of those who rated the row); ranking: per option, counts per rank position.</param>
/// <param name="Options">budget: vouchers per option and share of all vouchers; ranking: average rank per option (1 = best).</param>
/// <param name="Texts">free-text: the masked answers, sorted; only in unfiltered results, null when hidden or filtered.</param>
public sealed record QuestionResult(
    string QuestionId,
    string Type,
    IReadOnlyDictionary<string, string> Text,
    long? Respondents,
    bool Suppressed,
    IReadOnlyList<Count>? Counts,
    double? Mean,
    double? Median,
    double? Nps,
    IReadOnlyList<RowResult>? Rows,
    IReadOnlyList<OptionResult>? Options,
    IReadOnlyList<string>? Texts)
{
    /// <summary>The question's option, matrix row and scale point labels per language, so a reader needs no other source.</summary>
    public QuestionLabels? Labels { get; init; }
}

/// <summary>Labels by id and language (e.g. Options["a"]["fi"]); empty where the question has none.</summary>
public sealed record QuestionLabels(
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Options,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Rows,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Scale)
{
    public static QuestionLabels Of(SurveyQuestionSnapshot q)
    {
        static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Map(IReadOnlyList<SurveyChoiceSnapshot> choices) =>
            choices.GroupBy(c => c.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Label, StringComparer.Ordinal);
        return new QuestionLabels(Map(q.Options), Map(q.Rows), Map(q.Scale));
    }
}

public sealed record RowResult(string Id, long? Respondents, IReadOnlyList<Count> Counts, bool Suppressed);

public sealed record OptionResult(string Id, long? Total, double? Share, double? AverageRank, bool Suppressed);

/// <summary>The results of one audience (panel answers, or open-link answers) for one group.</summary>
/// <param name="Respondents">Answer sets in the group; null when hidden.</param>
/// <param name="Suppressed">
/// The whole group is hidden: its size cannot be shown (below k, empty included, or hidden to protect such a group),
/// or what is left of the audience without it has 1 to k - 1 respondents. The answer is the same whichever it is.
/// </param>
public sealed record AudienceResult(string Audience, long? Respondents, bool Suppressed, IReadOnlyList<QuestionResult> Questions);

/// <summary>
/// Results of a survey computed from sums over its cube (<see cref="CubeEntry"/>), with the suppression of
/// <see cref="SharedMarginSuppression"/> (Panel.Privacy). The cube entries are grouped by one profile attribute's
/// values (or by nothing); a group is a set of those values.
/// </summary>
public sealed class ResultsCalculator
{
    public const string Rest = "#rest";
    public const string Answered = "answered";
    public const string Picked = "picked";

    private readonly int _k;
    private readonly IReadOnlyList<SurveyQuestionSnapshot> _questions;
    private readonly string[] _groups;
    private readonly long[] _n;
    private readonly long _total;
    private readonly bool _totalShown;
    private readonly bool[] _groupShown;
    private readonly Dictionary<(string Q, string Item, string Value), (long[] N, decimal[] T)> _cube = new();
    private readonly Dictionary<string, Distribution> _distributions = new(StringComparer.Ordinal);

    /// <param name="entries">The audience's cube summed by group.</param>
    /// <param name="domain">
    /// Every value the attribute can take (<see cref="ResultsDomain"/>), whether anyone answered or not: an empty group
    /// is a group like any other, so that a cross-tab or filter cannot tell it from a group below k. Groups seen in the
    /// answers but outside the domain are added after it.
    /// </param>
    public ResultsCalculator(int k, IReadOnlyList<SurveyQuestionSnapshot> questions, IReadOnlyList<CubeEntry> entries, IReadOnlyList<string>? domain = null)
    {
        _k = k;
        _questions = questions;
        var seen = entries.Where(e => e.QuestionId == "#" && e.Respondents > 0).Select(e => e.Group).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        _groups = (domain ?? []).Distinct(StringComparer.Ordinal).Concat(seen.Where(g => domain?.Contains(g) != true)).ToArray();
        var index = _groups.Select((g, i) => (g, i)).ToDictionary(x => x.g, x => x.i, StringComparer.Ordinal);
        foreach (var e in entries)
        {
            if (!index.TryGetValue(e.Group, out var i)) continue;
            var key = (e.QuestionId, e.Item, e.Value);
            if (!_cube.TryGetValue(key, out var cell)) _cube[key] = cell = (new long[_groups.Length], new decimal[_groups.Length]);
            cell.N[i] += e.Respondents;
            cell.T[i] += e.Total;
        }

        _n = Column("#", "", "");
        _total = _n.Sum();
        _totalShown = _total >= k;
        _groupShown = _totalShown ? SharedMarginSuppression.Groups(_n, true, k) : new bool[_groups.Length];
    }

    public IReadOnlyList<string> Groups => _groups;
    public int MinimumGroupSize => _k;

    private long[] Column(string q, string item, string value) =>
        _cube.TryGetValue((q, item, value), out var c) ? c.N : new long[_groups.Length];

    private decimal[] Totals(string q, string item, string value) =>
        _cube.TryGetValue((q, item, value), out var c) ? c.T : new decimal[_groups.Length];

    private IEnumerable<string> Seen(string q, string item) =>
        _cube.Keys.Where(x => x.Q == q && x.Item == item).Select(x => x.Value).Where(v => v.Length > 0);

    private IEnumerable<string> SeenItems(string q) =>
        _cube.Keys.Where(x => x.Q == q && x.Item is not ("" or "#")).Select(x => x.Item).Distinct(StringComparer.Ordinal);

    /// <summary>The groups in <paramref name="values"/> (null: all) as a membership mask.</summary>
    public bool[] Mask(IReadOnlyCollection<string>? values) =>
        _groups.Select(g => values is null || values.Contains(g)).ToArray();

    /// <summary>Respondents of a group, if shown.</summary>
    public long? GroupSize(bool[] inGroup) => SharedMarginSuppression.Derive(_n, _groupShown, _total, _totalShown, inGroup);

    /// <summary>
    /// A group is shown when its size is known and at least k, and the rest of the audience is empty or at least k
    /// (<see cref="SharedMarginSuppression.SubsetShown"/>): an empty group is hidden like a group of 1 to k - 1.
    /// </summary>
    public bool GroupShown(bool[] inGroup) => SharedMarginSuppression.SubsetShown(GroupSize(inGroup), _total, _k);

    public AudienceResult Compute(string audience, bool[] inGroup, bool withTexts, IReadOnlyDictionary<string, IReadOnlyList<string>>? texts = null)
    {
        if (!GroupShown(inGroup))
        {
            return new AudienceResult(audience, null, true, _questions.Select(q => Hidden(q)).ToList());
        }

        var size = GroupSize(inGroup);
        var results = _questions.Select(q => Question(q, inGroup, size!.Value, withTexts, texts)).ToList();
        return new AudienceResult(audience, size, false, results);
    }

    private static QuestionResult Hidden(SurveyQuestionSnapshot q) =>
        new(q.Id, q.Type, q.Text, null, true, null, null, null, null, null, null, null);

    /// <summary>A distribution: categories of a question part that, with the last one (the rest), add up to the group's respondents.</summary>
    private sealed class Distribution
    {
        public required string[] Categories;
        public required long[][] Columns; // [category][group]
        public required bool[][] Shown;    // [category][group]
        public required long[] ColumnTotals;
        public required bool[] ColumnTotalShown;

        public long? Derive(int j, bool[] inGroup) =>
            SharedMarginSuppression.Derive(Columns[j], Shown[j], ColumnTotals[j], ColumnTotalShown[j], inGroup);
    }

    private Distribution Dist(string key, string[] categories, Func<string, long[]> column)
    {
        if (_distributions.TryGetValue(key, out var d)) return d;
        int r = _groups.Length, c = categories.Length + 1;
        var columns = categories.Select(column).ToList();
        var rest = new long[r];
        for (var i = 0; i < r; i++) rest[i] = Math.Max(0, _n[i] - columns.Sum(col => col[i]));
        columns.Add(rest);
        var totals = columns.Select(col => col.Sum()).ToArray();
        var totalShown = _totalShown ? SharedMarginSuppression.Line(totals, true, _k) : new bool[c];
        var grid = new long[r, c];
        for (var i = 0; i < r; i++) for (var j = 0; j < c; j++) grid[i, j] = columns[j][i];
        var shown = SharedMarginSuppression.Table(grid, _groupShown, totalShown, _k);
        d = new Distribution
        {
            Categories = [.. categories, Rest],
            Columns = columns.ToArray(),
            Shown = Enumerable.Range(0, c).Select(j => Enumerable.Range(0, r).Select(i => shown[i, j]).ToArray()).ToArray(),
            ColumnTotals = totals,
            ColumnTotalShown = totalShown,
        };
        _distributions[key] = d;
        return d;
    }

    /// <summary>Answered or not: the respondents of a question whose parts do not add up to them.</summary>
    private Distribution AnsweredDist(string q) => Dist(q + "|answered", [Answered], _ => Column(q, "#", ""));

    private static string[] Ordered(IEnumerable<string> defined, IEnumerable<string> seen)
    {
        var list = defined.ToList();
        list.AddRange(seen.Where(s => !list.Contains(s)).Order(StringComparer.Ordinal));
        return list.ToArray();
    }

    private static string NumberId(decimal d) => ResultsCube.NumberKey(d);

    private QuestionResult Question(SurveyQuestionSnapshot q, bool[] inGroup, long size, bool withTexts, IReadOnlyDictionary<string, IReadOnlyList<string>>? texts) =>
        Numbers(q, inGroup, size, withTexts, texts) with { Labels = QuestionLabels.Of(q) };

    private QuestionResult Numbers(SurveyQuestionSnapshot q, bool[] inGroup, long size, bool withTexts, IReadOnlyDictionary<string, IReadOnlyList<string>>? texts)
    {
        switch (q.Type)
        {
            case "single-choice" or "likert" or "nps":
            {
                var defined = q.Type switch
                {
                    "nps" => Enumerable.Range(0, 11).Select(i => i.ToString(CultureInfo.InvariantCulture)),
                    "likert" => q.Scale.Count > 0 ? q.Scale.Select(s => s.Id)
                        : Enumerable.Range(1, (int)(q.Max ?? 5)).Select(i => i.ToString(CultureInfo.InvariantCulture)),
                    _ => q.Options.Select(o => o.Id),
                };
                var cats = Ordered(defined, Seen(q.Id, ""));
                var d = Dist(q.Id + "|value", cats, v => Column(q.Id, "", v));
                var rest = d.Derive(cats.Length, inGroup);
                long? respondents = rest is { } r ? size - r : null;
                var counts = cats.Select((c, j) => Counted(c, d.Derive(j, inGroup), respondents)).ToList();
                double? mean = null, median = null, nps = null;
                var numeric = q.Type != "single-choice";
                if (numeric && respondents is { } answered && answered >= _k)
                {
                    // Rounded and audited where counts are hidden (DerivedStatistics): shown whenever it cannot
                    // narrow a hidden count of 1 to k - 1 to "small and not empty".
                    var scale = new List<ScaleCell>();
                    var parsed = true;
                    for (var j = 0; j < cats.Length && parsed; j++)
                    {
                        parsed = int.TryParse(cats[j], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v);
                        var truth = Sum(d.Columns[j], inGroup);
                        scale.Add(new ScaleCell(v, truth, counts[j].Value is not null));
                    }

                    if (parsed)
                    {
                        (mean, median, nps) = DerivedStatistics.Compute(scale, answered, _k, q.Type == "nps");
                    }
                }

                return new QuestionResult(q.Id, q.Type, q.Text, respondents, respondents is null || counts.Any(c => c.Suppressed) || (numeric && mean is null && respondents > 0),
                    counts, mean, median, nps, null, null, null);
            }

            case "multiple-choice":
            {
                var respondents = AnsweredDist(q.Id).Derive(0, inGroup);
                var options = Ordered(q.Options.Select(o => o.Id), Seen(q.Id, ""));
                var counts = options.Select(o => Counted(o, Dist(q.Id + "|opt|" + o, [Picked], _ => Column(q.Id, "", o)).Derive(0, inGroup), respondents)).ToList();
                return new QuestionResult(q.Id, q.Type, q.Text, respondents, respondents is null || counts.Any(c => c.Suppressed),
                    counts, null, null, null, null, null, null);
            }

            case "ranking":
            {
                var respondents = AnsweredDist(q.Id).Derive(0, inGroup);
                var options = Ordered(q.Options.Select(o => o.Id), SeenItems(q.Id));
                var positions = Math.Max(q.RankCount ?? options.Length, 1);
                var rows = new List<RowResult>();
                var averages = new List<OptionResult>();
                foreach (var o in options)
                {
                    var ranks = Ordered(Enumerable.Range(1, positions).Select(i => i.ToString(CultureInfo.InvariantCulture)), Seen(q.Id, o));
                    var d = Dist(q.Id + "|rank|" + o, ranks, v => Column(q.Id, o, v));
                    var counts = ranks.Select((rk, j) => d.Derive(j, inGroup)).ToList();
                    long? ranked = counts.All(c => c is not null) ? counts.Sum(c => c!.Value) : null;
                    var row = ranks.Select((rk, j) => Counted(rk, counts[j], ranked)).ToList();
                    rows.Add(new RowResult(o, ranked, row, ranked is null || row.Any(c => c.Suppressed)));
                    double? average = ranked is { } n && n >= _k
                        ? Math.Round(ranks.Select((rk, j) => int.Parse(rk, CultureInfo.InvariantCulture) * (double)counts[j]!.Value).Sum() / n, 2)
                        : null;
                    averages.Add(new OptionResult(o, null, null, average, average is null && ranked != 0));
                }

                return new QuestionResult(q.Id, q.Type, q.Text, respondents, respondents is null || rows.Any(r => r.Suppressed),
                    null, null, null, null, rows, averages, null);
            }

            case "matrix":
            {
                var respondents = AnsweredDist(q.Id).Derive(0, inGroup);
                var rowIds = Ordered(q.Rows.Select(r => r.Id), SeenItems(q.Id));
                var rows = new List<RowResult>();
                foreach (var rowId in rowIds)
                {
                    var points = Ordered(q.Scale.Select(s => s.Id), Seen(q.Id, rowId));
                    var d = Dist(q.Id + "|row|" + rowId, points, v => Column(q.Id, rowId, v));
                    var counts = points.Select((p, j) => d.Derive(j, inGroup)).ToList();
                    var rest = d.Derive(points.Length, inGroup);
                    long? rated = rest is { } r ? size - r : null;
                    var row = points.Select((p, j) => Counted(p, counts[j], rated)).ToList();
                    rows.Add(new RowResult(rowId, rated, row, rated is null || row.Any(c => c.Suppressed)));
                }

                return new QuestionResult(q.Id, q.Type, q.Text, respondents, respondents is null || rows.Any(r => r.Suppressed),
                    null, null, null, null, rows, null, null);
            }

            case "budget":
            {
                var respondents = AnsweredDist(q.Id).Derive(0, inGroup);
                var options = Ordered(q.Options.Select(o => o.Id), SeenItems(q.Id));
                // Sums over a group of k or more whose size is shown: what a filter or the rest of the panel adds up to.
                var shown = respondents is { } n && n >= _k;
                var totals = options.Select(o => Sum(Totals(q.Id, o, ""), inGroup)).ToList();
                var all = totals.Sum();
                var result = options.Select((o, j) => shown
                    ? new OptionResult(o, (long)totals[j], all == 0 ? null : Math.Round((double)(totals[j] / all), 4), null, false)
                    : new OptionResult(o, null, null, null, respondents != 0)).ToList();
                return new QuestionResult(q.Id, q.Type, q.Text, respondents, respondents is null || result.Any(r => r.Suppressed),
                    null, null, null, null, null, result, null);
            }

            case "number":
            {
                var respondents = AnsweredDist(q.Id).Derive(0, inGroup);
                double? mean = null, median = null;
                if (respondents is { } n && n >= _k)
                {
                    var values = Seen(q.Id, "").Distinct(StringComparer.Ordinal)
                        .Select(v => (Value: decimal.Parse(v, NumberStyles.Number, CultureInfo.InvariantCulture), N: (long)Sum(Column(q.Id, "", v), inGroup)))
                        .Where(x => x.N > 0).ToList();
                    (mean, median) = Stats(values);
                }

                return new QuestionResult(q.Id, q.Type, q.Text, respondents, respondents is null || (mean is null && respondents != 0),
                    null, mean, median, null, null, null, null);
            }

            default: // free-text and any type added later: how many answered; free texts only unfiltered and for k or more.
            {
                var respondents = AnsweredDist(q.Id).Derive(0, inGroup);
                IReadOnlyList<string>? list = null;
                // Listed when k or more wrote; where that number is hidden, without the count (FreeTextSample).
                var wrote = Sum(Column(q.Id, "#", ""), inGroup);
                if (q.Type == "free-text" && withTexts && wrote >= _k && texts is not null)
                {
                    var all = texts.TryGetValue(q.Id, out var t) ? t : [];
                    list = respondents is null ? FreeTextSample.WithoutCount(all, q.Id, size, _k) : all;
                }

                return new QuestionResult(q.Id, q.Type, q.Text, respondents,
                    respondents is null || (q.Type == "free-text" && withTexts && list is null && wrote != 0),
                    null, null, null, null, null, null, list);
            }
        }
    }

    private static decimal Sum(decimal[] values, bool[] inGroup) => values.Where((_, i) => inGroup[i]).Sum();

    private static long Sum(long[] values, bool[] inGroup) => values.Where((_, i) => inGroup[i]).Sum();

    private static Count Counted(string id, long? value, long? of) =>
        new(id, value, value is { } v && of is > 0 ? Math.Round(v * 100.0 / of.Value, 1) : null, value is null);

    private static (double? Mean, double? Median) Stats(IReadOnlyList<(decimal Value, long N)> values)
    {
        var n = values.Sum(v => v.N);
        if (n == 0) return (null, null);
        var mean = (double)values.Sum(v => v.Value * v.N) / n;
        var sorted = values.OrderBy(v => v.Value).ToList();
        decimal At(long index)
        {
            long seen = 0;
            foreach (var (value, count) in sorted)
            {
                seen += count;
                if (index < seen) return value;
            }

            return sorted[^1].Value;
        }

        var median = n % 2 == 1 ? At(n / 2) : (At(n / 2 - 1) + At(n / 2)) / 2;
        return (Math.Round(mean, 2), (double)median);
    }
}
