namespace Panel.Privacy;

/// <summary>
/// Rounding of counts shown apart from a results table (progress, funnels), as statistical offices publish small
/// administrative counts: a count below k, zero included, is suppressed (one value, so an empty group and a group of
/// 1 to k - 1 cannot be told apart), and every other count is rounded down to a multiple of the base (5 by default,
/// the base the UK's ONS, Statistics Canada and Eurostat's guidance use for counts of people). Two rounded counts then
/// differ by a multiple of the base, which cannot be read as an exact number of fewer than the base people, and a
/// rounded count is never below the smallest multiple of the base that is at least k.
/// </summary>
public static class CountRounding
{
    public const int DefaultBase = 5;

    /// <summary>The count as shown: null below <paramref name="k"/> (zero included), else rounded down to a multiple of the base.</summary>
    public static long? Publish(long count, int k, int roundingBase = DefaultBase)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(roundingBase, 1);
        return count < k ? null : Math.Max(Floor(count, roundingBase), Lowest(k, roundingBase));
    }

    /// <summary>
    /// A count where zeros are shown (a time series of events of the whole panel, whose zero names nobody): 0 stays 0,
    /// any other count is published as above.
    /// </summary>
    public static long? PublishShowingZero(long count, int k) => count == 0 ? 0 : Publish(count, k);

    /// <summary>
    /// The cumulative numbers of a daily series (a funnel's invited, opened or answered to the end of each day), and its
    /// total, each published as above: hidden below k, zero included, and rounded down to a multiple of the base.
    /// </summary>
    public static (long?[] Cumulative, long? Total) Series(long[] daily, int k)
    {
        var result = new long?[daily.Length];
        long cumulative = 0;
        for (var i = 0; i < daily.Length; i++)
        {
            cumulative += daily[i];
            result[i] = Publish(cumulative, k);
        }

        return (result, Publish(cumulative, k));
    }

    /// <summary>The smallest number a count of k or more is shown as: the first multiple of the base that is at least k.</summary>
    public static long Lowest(int k, int roundingBase) => (k + roundingBase - 1) / roundingBase * (long)roundingBase;

    public static long Floor(long value, int roundingBase) => value >= 0
        ? value / roundingBase * roundingBase
        : -((-value + roundingBase - 1) / roundingBase * roundingBase);

    /// <summary>To the nearest multiple of the base, halves up.</summary>
    public static long Nearest(long value, int roundingBase) => Floor(value + roundingBase / 2, roundingBase);
}
