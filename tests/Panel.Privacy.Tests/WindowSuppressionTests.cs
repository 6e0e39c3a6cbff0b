using Panel.Privacy;

namespace Panel.Privacy.Tests;

public sealed class WindowSuppressionTests
{
    private static SuppressedTable Suppress(int[,] counts, int k = 5) =>
        WindowSuppression.Suppress(
            Enumerable.Range(0, counts.GetLength(0)).Select(i => "p" + i).ToList(),
            Enumerable.Range(0, counts.GetLength(1)).Select(j => "m" + j).ToList(),
            counts, k);

    [Fact]
    public void Counts_below_k_are_hidden_and_zeros_and_larger_counts_shown()
    {
        var table = Suppress(new[,] { { 0, 4 }, { 5, 1 } });

        Assert.Equal([0, null], table.Cells[0]);
        Assert.Equal([5, null], table.Cells[1]);
    }

    [Fact]
    public void A_measure_total_is_shown_only_when_no_period_of_it_is_hidden()
    {
        var table = Suppress(new[,] { { 7, 3 }, { 6, 40 }, { 0, 9 } });

        Assert.Equal(13, table.ColumnTotals[0]);
        Assert.Null(table.ColumnTotals[1]); // 52 with a hidden 3: the next window's total would differ by it
        Assert.Null(table.Total);
        Assert.All(table.RowTotals, t => Assert.Null(t));
    }
}
