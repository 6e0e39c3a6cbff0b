namespace Panel.Privacy;

/// <summary>A table of counts with its margins, where a null is a suppressed number.</summary>
public sealed record SuppressedTable(
    IReadOnlyList<string> Rows,
    IReadOnlyList<string> Columns,
    int?[][] Cells,
    int?[] RowTotals,
    int?[] ColumnTotals,
    int? Total);

/// <summary>
/// Primary and complementary suppression of small counts (DESIGN.md section 5, rule 4).
/// Every count below k (and above zero) is hidden. Then every line of the table with its margin
/// (a row with its row total, a column with its column total, the totals row and column) must hide
/// either nothing or at least two numbers, because one hidden number in a line is its total minus
/// the rest. And since zeros are shown, a reader knows every hidden number is at least 1: three
/// hidden numbers adding up to 3 are three ones. So a line that hides anything must hide at least k
/// in all, which leaves every hidden number a range of possible values reaching k. Where a line
/// breaks either rule, the smallest visible non-zero number in it is hidden too, and so on until
/// every line holds. Zeros are hidden only when nothing else in the line is left.
/// </summary>
public static class SmallCountSuppression
{
    public static SuppressedTable Suppress(IReadOnlyList<string> rows, IReadOnlyList<string> columns, int[,] counts, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        int r = rows.Count, c = columns.Count;
        if (counts.GetLength(0) != r || counts.GetLength(1) != c)
        {
            throw new ArgumentException("The counts do not match the rows and columns.", nameof(counts));
        }

        // The extended grid: row r holds the column totals, column c the row totals, [r, c] the grand total.
        var grid = new int[r + 1, c + 1];
        for (var i = 0; i < r; i++)
        {
            for (var j = 0; j < c; j++)
            {
                grid[i, j] = counts[i, j];
                grid[i, c] += counts[i, j];
                grid[r, j] += counts[i, j];
                grid[r, c] += counts[i, j];
            }
        }

        var hidden = new bool[r + 1, c + 1];
        for (var i = 0; i <= r; i++)
        {
            for (var j = 0; j <= c; j++)
            {
                hidden[i, j] = grid[i, j] > 0 && grid[i, j] < k;
            }
        }

        var lines = new List<(int Row, int Col)[]>();
        for (var i = 0; i <= r; i++)
        {
            lines.Add(Enumerable.Range(0, c + 1).Select(j => (i, j)).ToArray());
        }

        for (var j = 0; j <= c; j++)
        {
            lines.Add(Enumerable.Range(0, r + 1).Select(i => (i, j)).ToArray());
        }

        bool changed;
        do
        {
            changed = false;
            foreach (var line in lines)
            {
                var hiddenCount = line.Count(p => hidden[p.Row, p.Col]);
                if (hiddenCount == 0)
                {
                    continue;
                }

                // With its total hidden, a line is no equation a reader can solve; with the total shown,
                // the hidden numbers add up to a known sum, which must leave each of them a wide range.
                var totalHidden = hidden[line[^1].Row, line[^1].Col];
                var hiddenSum = line[..^1].Where(p => hidden[p.Row, p.Col]).Sum(p => grid[p.Row, p.Col]);
                if (hiddenCount >= 2 && (totalHidden || hiddenSum >= k))
                {
                    continue;
                }

                var candidates = line.Where(p => !hidden[p.Row, p.Col] && (hiddenCount < 2 || grid[p.Row, p.Col] > 0)).ToList();
                if (candidates.Count == 0)
                {
                    continue;
                }

                // Prefer a small non-zero inner cell; a total or a zero only when nothing else is left.
                var pick = candidates
                    .OrderBy(p => grid[p.Row, p.Col] == 0 ? 1 : 0)
                    .ThenBy(p => p.Row == r || p.Col == c ? 1 : 0)
                    .ThenBy(p => grid[p.Row, p.Col])
                    .First();
                hidden[pick.Row, pick.Col] = true;
                changed = true;
            }
        }
        while (changed);

        int? Show(int i, int j) => hidden[i, j] ? null : grid[i, j];
        return new SuppressedTable(
            rows,
            columns,
            Enumerable.Range(0, r).Select(i => Enumerable.Range(0, c).Select(j => Show(i, j)).ToArray()).ToArray(),
            Enumerable.Range(0, r).Select(i => Show(i, c)).ToArray(),
            Enumerable.Range(0, c).Select(j => Show(r, j)).ToArray(),
            Show(r, c));
    }
}

/// <summary>
/// Suppression of a time series: rows are the periods of a window the caller chooses (the last N months or
/// weeks), columns are measures, and the only margins shown are each measure's total over the window.
/// Complementary suppression within one table is not enough here: the totals of two windows one period
/// apart differ by exactly the older period's row, so any total over a column that hides a cell would
/// give that cell away. Hence every count from 1 to k - 1 is hidden, and a column's total is shown only
/// when no cell of the column is hidden; every number shown is then either a cell of k or more (or zero)
/// or a sum of shown cells, whatever windows a reader compares. Row totals (sums over different
/// measures) are not computed at all.
/// </summary>
public static class WindowSuppression
{
    public static SuppressedTable Suppress(IReadOnlyList<string> periods, IReadOnlyList<string> measures, int[,] counts, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        int r = periods.Count, c = measures.Count;
        if (counts.GetLength(0) != r || counts.GetLength(1) != c)
        {
            throw new ArgumentException("The counts do not match the periods and measures.", nameof(counts));
        }

        var cells = Enumerable.Range(0, r)
            .Select(i => Enumerable.Range(0, c).Select(j => counts[i, j] > 0 && counts[i, j] < k ? null : (int?)counts[i, j]).ToArray())
            .ToArray();
        var columnTotals = Enumerable.Range(0, c)
            .Select(j => cells.Any(row => row[j] is null) ? null : (int?)cells.Sum(row => row[j]!.Value))
            .ToArray();
        return new SuppressedTable(periods, measures, cells, new int?[r], columnTotals, null);
    }
}
