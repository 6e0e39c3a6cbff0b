namespace Panel.Privacy;

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

    /// <summary>
    /// <see cref="Suppress"/>, then every number shown rounded down to a multiple of the base
    /// (<see cref="CountRounding.PublishShowingZero"/>: 0 stays 0, a count of k or more is never shown below the first
    /// multiple of the base that is at least k), and each total the sum of its rounded periods, so the table adds up
    /// and its totals tell nothing the periods do not. Exact counts of several measures could be subtracted from each
    /// other (joined minus verified members over a window is those who never verified).
    /// </summary>
    public static SuppressedTable SuppressRounded(IReadOnlyList<string> periods, IReadOnlyList<string> measures, int[,] counts, int k)
    {
        var table = Suppress(periods, measures, counts, k);
        int? Round(int? value) => value is { } v ? (int?)CountRounding.PublishShowingZero(v, k) : null;
        var cells = table.Cells.Select(row => row.Select(Round).ToArray()).ToArray();
        var totals = table.ColumnTotals.Select((total, j) => total is null || cells.Any(row => row[j] is null) ? null : (int?)cells.Sum(row => row[j]!.Value)).ToArray();
        return table with { Cells = cells, ColumnTotals = totals };
    }
}
