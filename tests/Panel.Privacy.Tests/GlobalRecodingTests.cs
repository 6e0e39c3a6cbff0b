using Panel.Privacy;

namespace Panel.Privacy.Tests;

public sealed class GlobalRecodingTests
{
    private static readonly string[] Options = ["yes", "no", "cannot say"];

    [Fact]
    public void Adjacent_age_bands_with_small_counts_are_merged_when_that_hides_less()
    {
        // The two oldest bands hold small counts; as one band "75-84 + 85+" they hold 6, 7 and 5, and nothing
        // needs hiding at all.
        string[] bands = ["55-64", "65-74", "75-84", "85+"];
        var counts = new[,] { { 40, 35, 20 }, { 38, 30, 12 }, { 4, 3, 2 }, { 2, 4, 3 } };
        var before = SmallCountSuppression.Run(bands, Options, counts, 5, SuppressionOptions.Default);

        var recoded = GlobalRecoding.MergeRows(bands, Options, counts, 5, ordered: true);

        Assert.True(before.PeopleHidden > 0);
        Assert.Equal(["55-64", "65-74", "75-84 + 85+"], recoded.Rows);
        Assert.Equal([0, 1, 2, 2], recoded.GroupOf);
        Assert.Equal(new[,] { { 40, 35, 20 }, { 38, 30, 12 }, { 6, 7, 5 } }, recoded.Counts);
        Assert.Equal(0, recoded.Result.PeopleHidden);
        Assert.Equal(SuppressionMethod.None, recoded.Result.Method);
    }

    [Fact]
    public void An_ordered_dimension_merges_only_neighbours()
    {
        // The small band sits between two large ones: it joins a neighbour (the smaller one), never the far band.
        string[] bands = ["25-34", "35-44", "45-54"];
        var counts = new[,] { { 30, 25, 20 }, { 2, 1, 3 }, { 50, 40, 45 } };

        var recoded = GlobalRecoding.MergeRows(bands, Options, counts, 5, ordered: true);

        Assert.Equal(2, recoded.Rows.Count);
        Assert.True(recoded.GroupOf[1] == recoded.GroupOf[0] || recoded.GroupOf[1] == recoded.GroupOf[2]);
        Assert.NotEqual(recoded.GroupOf[0], recoded.GroupOf[2]);
        Assert.Equal("25-34 + 35-44", recoded.Rows[0]);
        Assert.True(SuppressionAuditor.Audit(recoded.Result.Table, recoded.Counts, 5).Passed);
    }

    [Fact]
    public void A_rare_category_of_a_nominal_dimension_joins_another_and_the_result_passes_the_audit()
    {
        string[] languages = ["fi", "sv", "other"];
        var counts = new[,] { { 120, 80, 40 }, { 9, 7, 6 }, { 1, 2, 1 } };

        var recoded = GlobalRecoding.MergeRows(languages, Options, counts, 5, ordered: false, label: parts => string.Join("/", parts));

        Assert.Equal(2, recoded.Rows.Count);
        Assert.Equal("sv/other", recoded.Rows[1]);
        Assert.Equal(0, recoded.Result.PeopleHidden);
    }

    [Fact]
    public void Nothing_is_merged_when_nothing_needs_hiding_or_merging_does_not_help()
    {
        string[] groups = ["a", "b"];
        var large = new[,] { { 30, 25, 20 }, { 12, 10, 9 } };
        Assert.Equal(groups, GlobalRecoding.MergeRows(groups, Options, large, 5, ordered: true).Rows);

        // One group only: there is nothing to merge with, and suppression does what it must.
        var single = new[,] { { 3, 40, 50 } };
        var recoded = GlobalRecoding.MergeRows(["only"], Options, single, 5, ordered: true);
        Assert.Equal(["only"], recoded.Rows);
        Assert.True(recoded.Result.PeopleHidden > 0);
    }
}
