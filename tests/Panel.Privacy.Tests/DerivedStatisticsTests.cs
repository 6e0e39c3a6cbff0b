using Panel.Privacy;

namespace Panel.Privacy.Tests;

public sealed class DerivedStatisticsTests
{
    private const int K = 5;

    private static List<ScaleCell> Nps(params (int Value, long Count, bool Shown)[] cells) =>
        Enumerable.Range(0, 11).Select(v => cells.Where(c => c.Value == v).Select(c => new ScaleCell(v, c.Count, c.Shown))
            .DefaultIfEmpty(new ScaleCell(v, 0, true)).First()).ToList();

    [Fact]
    public void At_50_respondents_the_nps_is_shown_when_the_hidden_counts_are_all_detractors()
    {
        // 19 × 10, 10 × 9, 8 × 8, 6 × 7 shown; 4 × 5 and 3 × 3 hidden: whatever they are, they are detractors.
        var cells = Nps((10, 19, true), (9, 10, true), (8, 8, true), (7, 6, true), (5, 4, false), (3, 3, false));
        var stats = DerivedStatistics.Compute(cells, 50, K, nps: true);
        Assert.Equal(44, stats.Nps);
        Assert.Equal(9, stats.Median); // 25th and 26th answers are both 9 whatever the hidden ones are
    }

    [Fact]
    public void The_nps_is_hidden_when_it_would_pin_a_hidden_count_between_1_and_k()
    {
        // Hidden: 2 × 6 (detractors) and 3 × 7 (passives). Their sum 5 is known; an exact NPS gives the detractors, 2.
        var cells = Nps((10, 25, true), (9, 10, true), (8, 10, true), (7, 3, false), (6, 2, false));
        Assert.Null(DerivedStatistics.Compute(cells, 50, K, nps: true).Nps);
    }

    [Fact]
    public void Every_count_shown_gives_the_exact_statistics()
    {
        var cells = Nps((10, 20, true), (9, 10, true), (8, 10, true), (3, 10, true));
        var stats = DerivedStatistics.Compute(cells, 50, K, nps: true);
        Assert.Equal(40.0, stats.Nps);
        Assert.Equal(Math.Round((200 + 90 + 80 + 30) / 50.0, 2), stats.Mean);
        Assert.Equal(9, stats.Median);
    }

    [Fact]
    public void Fewer_than_k_respondents_show_no_statistic()
    {
        var cells = Nps((10, 4, true));
        Assert.Equal(new DerivedStatistics.Stats(null, null, null), DerivedStatistics.Compute(cells, 4, K, nps: true));
    }

    [Fact]
    public void A_mean_is_rounded_to_one_decimal_where_counts_are_hidden_when_each_small_count_could_still_be_empty()
    {
        // Likert 1–5, 60 respondents: 2 × 1, 3 × 2 and 4 × 5 hidden (9 in all); the exact mean is 3.45.
        List<ScaleCell> cells = [new(1, 2, false), new(2, 3, false), new(3, 25, true), new(4, 26, true), new(5, 4, false)];
        Assert.Equal(3.5, DerivedStatistics.Compute(cells, 60, K, nps: false).Mean);
    }

    [Fact]
    public void A_mean_that_would_pin_the_hidden_counts_is_hidden()
    {
        // 2 × 1 and 3 × 5 hidden: a mean of 3.2 at 60 respondents leaves only "two at 1, three at 5".
        List<ScaleCell> cells = [new(1, 2, false), new(2, 10, true), new(3, 25, true), new(4, 20, true), new(5, 3, false)];
        Assert.Null(DerivedStatistics.Compute(cells, 60, K, nps: false).Mean);
    }

    [Fact]
    public void The_audit_refuses_an_interval_that_leaves_a_small_count_only_between_1_and_k()
    {
        // Two hidden points 3 and 4 with 5 respondents; the sum of values pinned to 19 means one at 3 and four at 4.
        List<ScaleCell> hidden = [new(3, 1, false), new(4, 4, false)];
        Assert.False(DerivedStatistics.Safe(hidden, c => c.Value, 5, 19, 20, K));
        // The whole range of sums (15..20) allows all at 4 (the 1 becomes 0) or all at 3 (the 4 becomes 5).
        Assert.True(DerivedStatistics.Safe(hidden, c => c.Value, 5, 15, 21, K));
    }

    [Fact]
    public void The_median_is_shown_only_when_the_shown_counts_decide_it()
    {
        // 30 respondents, 12 at 1 shown, 13 at 5 shown, 5 hidden over 2 and 4: the middle could be 2, 3 or 4.
        List<ScaleCell> cells = [new(1, 12, true), new(2, 3, false), new(3, 0, true), new(4, 2, false), new(5, 13, true)];
        Assert.Null(DerivedStatistics.Compute(cells, 30, K, nps: false).Median);
    }
}

public sealed class FreeTextSampleTests
{
    [Fact]
    public void A_sample_leaves_out_fewer_than_k_texts_the_same_way_every_time_and_never_pins_a_small_skipped_count()
    {
        const int k = 5;
        for (var total = 10; total < 60; total++)
        for (var skipped = 1; skipped < k; skipped++)
        {
            var texts = Enumerable.Range(0, total - skipped).Select(i => $"t{i:000}").ToList();
            var sample = FreeTextSample.WithoutCount(texts, "q" + total, total, k);
            Assert.InRange(sample.Count, texts.Count - (k - 1), texts.Count);
            Assert.Equal(sample, FreeTextSample.WithoutCount(texts, "q" + total, total, k));
            var (low, high) = (total - sample.Count - (k - 1), total - sample.Count);
            Assert.True(low <= 0 || high >= k, $"{total} answer sets, {skipped} skipped: a reader gets {low}..{high}");
        }
    }
}

/// <summary>The statistics together, as a reader with every shown number would combine them (no database needed).</summary>
public sealed class DerivedStatisticsTogetherTests
{
    [Fact]
    public void An_nps_question_with_hidden_counts_shows_its_nps_but_not_a_mean_that_would_pin_them_together()
    {
        // 8 respondents: one 3, two 8s, two 9s, three 10s, every count below k = 5 and hidden. NPS +50 and mean 8.4
        // were each safe alone; together they left one allocation of the hidden counts (seen on the results page).
        var cells = Enumerable.Range(0, 11).Select(v => new ScaleCell(v, v switch { 3 => 1, 8 => 2, 9 => 2, 10 => 3, _ => 0 }, v is not (3 or 8 or 9 or 10))).ToList();

        var stats = DerivedStatistics.Compute(cells, 8, 5, nps: true);

        Assert.Null(stats.Mean);
        Assert.Equal(50, stats.Nps);
        var allocations = Allocations(8, [3, 8, 9, 10]).Where(a => Nps(a) == 50).ToList();
        Assert.True(allocations.Count > 1, "the NPS alone leaves more than one allocation");
        Assert.Contains(allocations, a => a.Any(c => c is 0 or >= 5) && a[0] != 1);
    }

    [Fact]
    public void A_likert_question_with_hidden_counts_shows_its_mean_where_safe_and_no_nps()
    {
        var cells = new List<ScaleCell> { new(1, 3, false), new(2, 2, false), new(3, 20, true), new(4, 15, true), new(5, 10, true) };

        var stats = DerivedStatistics.Compute(cells, 50, 5, nps: false);

        Assert.Null(stats.Nps);
        Assert.NotNull(stats.Mean);
    }

    private static double Nps(int[] counts)
    {
        // counts of the values 3, 8, 9, 10
        var n = counts.Sum();
        return Math.Floor((counts[2] + counts[3] - counts[0]) * 100.0 / n + 0.5);
    }

    private static IEnumerable<int[]> Allocations(int n, int[] values)
    {
        for (var a = 0; a <= n; a++)
            for (var b = 0; a + b <= n; b++)
                for (var c = 0; a + b + c <= n; c++)
                    yield return [a, b, c, n - a - b - c];
    }
}
