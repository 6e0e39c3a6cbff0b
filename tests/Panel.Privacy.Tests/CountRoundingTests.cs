using Panel.Privacy;

namespace Panel.Privacy.Tests;

public sealed class CountRoundingTests
{
    private const int K = 5;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public void Zero_and_counts_below_k_show_as_the_same_suppressed_value(long count) =>
        Assert.Null(CountRounding.Publish(count, k: 5));

    [Theory]
    [InlineData(5, 5)]
    [InlineData(9, 5)]
    [InlineData(10, 10)]
    [InlineData(48, 45)]
    [InlineData(1234, 1230)]
    public void Counts_of_k_or_more_are_rounded_down_to_a_multiple_of_five(long count, long shown) =>
        Assert.Equal(shown, CountRounding.Publish(count, k: 5));

    [Fact]
    public void A_shown_count_is_never_below_k_when_k_is_not_a_multiple_of_the_base()
    {
        Assert.Null(CountRounding.Publish(2, k: 3));
        Assert.Equal(5, CountRounding.Publish(3, k: 3));
        Assert.Equal(10, CountRounding.Publish(7, k: 7));
    }

    [Fact]
    public void Two_shown_counts_never_differ_by_fewer_than_the_base_unless_equal()
    {
        var shown = Enumerable.Range(0, 300).Select(n => CountRounding.Publish(n, k: 5)).OfType<long>().Distinct().Order().ToList();
        Assert.All(shown.Zip(shown.Skip(1)), p => Assert.True(p.Second - p.First >= 5));
    }

    [Fact]
    public void Zero_and_counts_below_k_are_hidden_alike_and_the_rest_rounded_down_to_five()
    {
        var (cumulative, total) = CountRounding.Series([0, 3, 1, 4, 0, 9, 1], K);

        Assert.Equal([null, null, null, 5, 5, 15, 15], cumulative);
        Assert.Equal(15, total);
        Assert.Null(CountRounding.Series([2], K).Total);
        Assert.Null(CountRounding.Series([0], K).Total);
    }

    [Theory]
    [InlineData(-3, -5)]
    [InlineData(12, 10)]
    [InlineData(13, 15)]
    public void Nearest_rounds_halves_up(long value, long rounded) => Assert.Equal(rounded, CountRounding.Nearest(value, 5));
}

public sealed class QueryAuditTests
{
    private static readonly long[] Cells = [100, 3, 2, 50];

    [Fact]
    public void A_set_a_small_group_away_from_an_earlier_one_is_matched_to_it()
    {
        IReadOnlyList<IReadOnlyList<bool>> earlier = [new[] { true, false, false, false }];

        Assert.Equal(0, QueryAudit.FindNear(Cells, [true, true, false, false], earlier, k: 5));
        Assert.Equal(0, QueryAudit.FindNear(Cells, [true, false, true, false], earlier, k: 5));
        // Swapping one small group for another: each side is small.
        Assert.Equal(0, QueryAudit.FindNear(Cells, [true, true, false, false], [new[] { true, false, true, false }], k: 5));
    }

    [Fact]
    public void Sets_with_the_same_members_or_k_or_more_apart_are_answered_on_their_own()
    {
        IReadOnlyList<IReadOnlyList<bool>> earlier = [new[] { true, false, false, false }];

        Assert.Equal(-1, QueryAudit.FindNear(Cells, [true, false, false, false], earlier, k: 5));
        Assert.Equal(-1, QueryAudit.FindNear(Cells, [true, true, true, false], earlier, k: 5));
        Assert.Equal(-1, QueryAudit.FindNear(Cells, [true, false, false, true], earlier, k: 5));
    }

    [Fact]
    public void The_nearest_of_several_near_sets_is_chosen()
    {
        IReadOnlyList<IReadOnlyList<bool>> earlier = [new[] { true, true, true, false }, new[] { true, true, false, false }];

        Assert.Equal(1, QueryAudit.FindNear(Cells, [true, false, false, false], earlier, k: 6));
    }
}
