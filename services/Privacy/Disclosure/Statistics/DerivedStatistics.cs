namespace Panel.Privacy;

/// <summary>One scale point of a group's distribution: its value, how many chose it, and whether that count is shown.</summary>
public readonly record struct ScaleCell(int Value, long Count, bool Shown);

/// <summary>
/// Mean, median and NPS of a scale question for one group, shown where safe (issue 13: at 50 respondents the
/// coordinator sees the NPS, where it used to be hidden whenever any count of the distribution was).
/// <para>The rule:</para>
/// <list type="number">
/// <item>Nothing is shown for fewer than k respondents (or when their number is hidden).</item>
/// <item>When every count of the group's distribution is shown, the statistics are worked out from shown numbers
/// anyway, and are shown as before (mean to 0.01, NPS to 0.1, the exact median).</item>
/// <item>When counts are hidden, a reader knows their sum S (respondents minus the shown counts), and a statistic
/// adds one more fact about them: the mean tells the hidden respondents' sum of scale values, the NPS their
/// promoters minus detractors. So it is rounded (the mean to 0.1, the NPS to an integer), which leaves the reader
/// an interval for that sum, and then audited: for every hidden count from 1 to k − 1, some allocation of the S
/// hidden respondents over the hidden scale points, consistent with the rounded statistic, must make that count 0
/// or at least k. Only then is it shown: with the statistic in hand, a reader still cannot tell a small hidden
/// group from an empty or a large one. The audit counts allocations exactly (a small dynamic programme over the
/// sums reachable with s respondents); for a hidden sum over <see cref="MaxAudited"/> it does not run and the
/// statistic stays hidden.</item>
/// <item>Where counts are hidden, only one statistic is shown besides the median: the NPS of an NPS question, the
/// mean of any other scale; two would be two facts about the same hidden counts, which together can pin them.</item>
/// <item>The median is shown only when the shown counts alone decide it (the same for every allocation of the
/// hidden respondents), so it tells nothing the counts do not.</item>
/// </list>
/// A hidden statistic is itself one bit ("some allocation would be pinned"), which names no count and no group.
/// </summary>
public static class DerivedStatistics
{
    public const int MaxAudited = 600;

    public sealed record Stats(double? Mean, double? Median, double? Nps);

    public static Stats Compute(IReadOnlyList<ScaleCell> cells, long? respondents, int k, bool nps)
    {
        var answered = cells.Sum(c => c.Count);
        if (respondents is not { } n || n < k || answered == 0 || answered != n) return new Stats(null, null, null);
        var exactMean = (double)cells.Sum(c => (long)c.Value * c.Count) / n;
        var exactNps = nps ? (cells.Where(c => c.Value >= 9).Sum(c => c.Count) - cells.Where(c => c.Value <= 6).Sum(c => c.Count)) * 100.0 / n : (double?)null;
        if (cells.All(c => c.Shown))
        {
            return new Stats(Math.Round(exactMean, 2), Median(cells.Select(c => (c.Value, c.Count)).ToList()), exactNps is { } e ? Math.Round(e, 1) : null);
        }

        var hidden = cells.Where(c => !c.Shown).ToList();
        var shownSum = cells.Where(c => c.Shown).Sum(c => c.Count);
        var s = n - shownSum;

        // One statistic only where counts are hidden: each alone is audited below, but two together are two facts
        // about the same hidden counts (at 8 respondents an NPS of +50 and a mean of 8.4, each safe alone, left one
        // allocation of the hidden counts). An NPS question shows its NPS, any other scale its mean.
        double? mean = null;
        var roundedMean = Math.Floor(exactMean * 10 + 0.5) / 10; // half up: the bucket is [r - 0.05, r + 0.05)
        // The hidden respondents' sum of values lies where the mean rounds to what is shown.
        var shownWeighted = cells.Where(c => c.Shown).Sum(c => (long)c.Value * c.Count);
        if (!nps && Safe(hidden, c => c.Value, s, (roundedMean - 0.05) * n - shownWeighted, (roundedMean + 0.05) * n - shownWeighted, k))
        {
            mean = roundedMean;
        }

        double? npsShown = null;
        if (exactNps is { } raw)
        {
            var rounded = Math.Floor(raw + 0.5); // half up: the bucket is [r - 0.5, r + 0.5)
            static int Sign(ScaleCell c) => c.Value >= 9 ? 1 : c.Value <= 6 ? -1 : 0;
            var shownNet = cells.Where(c => c.Shown).Sum(c => Sign(c) * c.Count);
            if (Safe(hidden, Sign, s, (rounded - 0.5) * n / 100.0 - shownNet, (rounded + 0.5) * n / 100.0 - shownNet, k))
            {
                npsShown = rounded;
            }
        }

        // The median with every hidden respondent at the lowest hidden value, and at the highest: equal means decided.
        var low = cells.Select(c => (c.Value, Count: c.Shown ? c.Count : 0L)).ToList();
        var high = low.ToList();
        var lowIndex = cells.Select((c, i) => (c, i)).Where(x => !x.c.Shown).MinBy(x => x.c.Value).i;
        var highIndex = cells.Select((c, i) => (c, i)).Where(x => !x.c.Shown).MaxBy(x => x.c.Value).i;
        low[lowIndex] = (low[lowIndex].Value, low[lowIndex].Count + s);
        high[highIndex] = (high[highIndex].Value, high[highIndex].Count + s);
        var medianLow = Median(low);
        double? median = medianLow == Median(high) ? medianLow : null;
        return new Stats(mean, median, npsShown);
    }

    /// <summary>
    /// True when, for every hidden count from 1 to k − 1, some allocation of <paramref name="s"/> respondents over the
    /// hidden cells with a weighted sum in [<paramref name="lo"/>, <paramref name="hi"/>) makes that count 0 or at least k.
    /// </summary>
    public static bool Safe(IReadOnlyList<ScaleCell> hidden, Func<ScaleCell, int> weight, long s, double lo, double hi, int k)
    {
        if (s > MaxAudited) return false;
        var size = (int)s;
        var weights = hidden.Select(weight).ToArray();
        var min = weights.Min();
        var shifted = weights.Select(w => w - min).ToArray();
        var range = shifted.Max();
        // Shift every weight by -min: an allocation of s respondents has its sum lowered by s * min.
        lo -= (double)size * min;
        hi -= (double)size * min;
        for (var a = 0; a < hidden.Count; a++)
        {
            if (hidden[a].Count <= 0 || hidden[a].Count >= k) continue;
            var others = shifted.Where((_, i) => i != a).Distinct().ToArray();
            var reach = Reachable(others, size, range);
            bool Feasible(int t)
            {
                var rest = size - t;
                var from = Math.Max(0, (int)Math.Ceiling(lo - (double)shifted[a] * t - 1e-9));
                var to = Math.Min(rest * range, (int)Math.Ceiling(hi - (double)shifted[a] * t - 1e-9) - 1); // upper end excluded
                for (var w = from; w <= to; w++) if (reach[rest][w]) return true;
                return false;
            }

            if (Feasible(0)) continue;
            var protectedAbove = false;
            for (var t = k; t <= size && !protectedAbove; t++) protectedAbove = Feasible(t);
            if (!protectedAbove) return false;
        }

        return true;
    }

    /// <summary>reach[m][w]: m respondents over cells of the given (non-negative) weights can have a weight sum of w.</summary>
    private static bool[][] Reachable(int[] weights, int size, int range)
    {
        var reach = new bool[size + 1][];
        reach[0] = new bool[1];
        reach[0][0] = true;
        for (var m = 1; m <= size; m++)
        {
            reach[m] = new bool[m * range + 1];
            foreach (var w in weights)
            {
                var previous = reach[m - 1];
                for (var x = 0; x < previous.Length; x++) if (previous[x]) reach[m][x + w] = true;
            }
        }

        return reach;
    }

    private static double? Median(IReadOnlyList<(int Value, long Count)> cells)
    {
        var sorted = cells.Where(c => c.Count > 0).OrderBy(c => c.Value).ToList();
        var n = sorted.Sum(c => c.Count);
        if (n == 0) return null;
        int At(long index)
        {
            long seen = 0;
            foreach (var (value, count) in sorted)
            {
                seen += count;
                if (index < seen) return value;
            }

            return sorted[^1].Value;
        }

        return n % 2 == 1 ? At(n / 2) : (At(n / 2 - 1) + At(n / 2)) / 2.0;
    }
}
