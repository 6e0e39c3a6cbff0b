using Panel.Privacy;

namespace Panel.Privacy.Tests;

public sealed class SmallCountSuppressionTests
{
    private static SuppressedTable Suppress(int[,] counts, int k = 5) =>
        SmallCountSuppression.Suppress(
            Enumerable.Range(0, counts.GetLength(0)).Select(i => "r" + i).ToList(),
            Enumerable.Range(0, counts.GetLength(1)).Select(j => "c" + j).ToList(),
            counts, k);

    [Fact]
    public void A_small_cell_is_hidden_together_with_a_partner_in_its_row_and_column()
    {
        var table = Suppress(new[,] { { 3, 10, 12 }, { 20, 30, 40 } });

        Assert.Null(table.Cells[0][0]);
        // Row 0 and column 0 must each hide a second number, or 3 = total - rest.
        Assert.True(table.Cells[0].Count(c => c is null) + (table.RowTotals[0] is null ? 1 : 0) >= 2);
        Assert.True(table.Cells.Count(r => r[0] is null) + (table.ColumnTotals[0] is null ? 1 : 0) >= 2);
        Assert.Equal(115, table.Total);
    }

    [Fact]
    public void A_table_of_large_counts_hides_nothing()
    {
        var table = Suppress(new[,] { { 5, 10 }, { 20, 30 } });

        Assert.All(table.Cells.SelectMany(r => r), c => Assert.NotNull(c));
        Assert.Equal(65, table.Total);
    }

    [Fact]
    public void A_panel_smaller_than_k_shows_no_number_at_all()
    {
        var table = Suppress(new[,] { { 1, 2 }, { 0, 1 } });

        Assert.Null(table.Total);
        Assert.All(table.RowTotals, t => Assert.Null(t));
        Assert.All(table.ColumnTotals, t => Assert.Null(t));
        Assert.Null(table.Cells[0][0]);
        Assert.Null(table.Cells[0][1]);
        Assert.Null(table.Cells[1][1]);
    }

    [Fact]
    public void A_single_row_table_hides_the_total_when_its_only_small_cell_would_follow_from_it()
    {
        // One municipality: its total equals the grand total; hiding 2 alone would be undone by 12 - 10.
        var table = Suppress(new[,] { { 2, 10 } });

        Assert.Null(table.Cells[0][0]);
        Assert.False(table.Cells[0][1] is not null && table.RowTotals[0] is not null,
            "the hidden cell must not be recoverable as total minus the visible cell");
    }

    [Fact]
    public void Hidden_ones_cannot_be_pinned_down_by_their_sum()
    {
        // Total 8, one group of 5 and three groups of 1: showing the 5 would make the hidden three
        // add up to 3, and as zeros are shown, each of them would have to be exactly 1.
        var table = Suppress(new[,] { { 5 }, { 1 }, { 1 }, { 1 } });

        Assert.Null(table.Cells[0][0]);
    }

    [Fact]
    public void Random_tables_never_reveal_a_count_below_k_through_any_line()
    {
        var random = new Random(20261123);
        for (var round = 0; round < 2000; round++)
        {
            var rows = random.Next(1, 7);
            var cols = random.Next(1, 9);
            var k = random.Next(3, 11);
            var counts = new int[rows, cols];
            for (var i = 0; i < rows; i++)
            {
                for (var j = 0; j < cols; j++)
                {
                    counts[i, j] = random.Next(4) == 0 ? 0 : random.Next(1, 3 * k);
                }
            }

            var table = Suppress(counts, k);
            var grid = Extend(table, rows, cols);
            var truth = ExtendTruth(counts);

            for (var i = 0; i <= rows; i++)
            {
                for (var j = 0; j <= cols; j++)
                {
                    if (grid[i, j] is { } shown)
                    {
                        Assert.Equal(truth[i, j], shown);
                        Assert.True(shown == 0 || shown >= k, $"round {round}: visible {shown} < k={k}");
                    }
                }
            }

            var lines = Enumerable.Range(0, rows + 1).Select(i => Enumerable.Range(0, cols + 1).Select(j => (i, j)).ToArray())
                .Concat(Enumerable.Range(0, cols + 1).Select(j => Enumerable.Range(0, rows + 1).Select(i => (i, j)).ToArray()));
            foreach (var line in lines)
            {
                var hidden = line.Where(p => grid[p.Item1, p.Item2] is null).ToList();
                if (hidden.Count == 0)
                {
                    continue;
                }

                Assert.True(hidden.Count >= 2, $"round {round}: a line hides exactly one number, which its total gives away");
                var total = line[^1];
                if (grid[total.Item1, total.Item2] is null)
                {
                    continue;
                }

                // The total is shown, so the hidden numbers' sum is known; each is at least 1, so a small
                // sum would pin them down (three hidden numbers adding up to 3 are three ones).
                var hiddenSum = hidden.Sum(p => truth[p.Item1, p.Item2]);
                var visibleNonZero = line[..^1].Any(p => grid[p.Item1, p.Item2] is > 0);
                Assert.True(hiddenSum >= k || !visibleNonZero,
                    $"round {round}: hidden numbers of a line add up to {hiddenSum} < k={k} while more could be hidden");
            }
        }
    }

    private static int?[,] Extend(SuppressedTable t, int rows, int cols)
    {
        var grid = new int?[rows + 1, cols + 1];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < cols; j++)
            {
                grid[i, j] = t.Cells[i][j];
            }

            grid[i, cols] = t.RowTotals[i];
        }

        for (var j = 0; j < cols; j++)
        {
            grid[rows, j] = t.ColumnTotals[j];
        }

        grid[rows, cols] = t.Total;
        return grid;
    }

    private static int[,] ExtendTruth(int[,] counts)
    {
        int rows = counts.GetLength(0), cols = counts.GetLength(1);
        var grid = new int[rows + 1, cols + 1];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < cols; j++)
            {
                grid[i, j] = counts[i, j];
                grid[i, cols] += counts[i, j];
                grid[rows, j] += counts[i, j];
                grid[rows, cols] += counts[i, j];
            }
        }

        return grid;
    }
}
