namespace Panel.Privacy;

/// <summary>What a shown zero means, and so which cells need protection.</summary>
public enum ZeroCells
{
    /// <summary>
    /// Zeros are shown. A reader may then take every hidden count as at least 1 (the engine assumes so whenever the
    /// count is not zero), so a hidden small count is protected when the numbers shown still allow it to be k or
    /// more. The reader learns that the group exists, not that it is small.
    /// </summary>
    Shown,

    /// <summary>
    /// Zeros are treated as small counts: every count from 0 to k - 1 is hidden, and its possible values must reach
    /// both 0 and k, so neither the size nor the existence of a group smaller than k shows. Costs more hiding.
    /// </summary>
    Protected,
}

/// <summary>
/// A table of counts with its margins as one (rows + 1) × (columns + 1) grid: row <c>Rows</c> holds the column
/// totals, column <c>Columns</c> the row totals and the corner the grand total. Every number of the grid, totals
/// included, is a cell that may be hidden; a reader knows the lines (each row and each column of the grid adds up
/// to its last cell) and that no count is negative.
/// </summary>
internal sealed class ExtendedTable
{
    public ExtendedTable(int[,] counts, int k, ZeroCells zeros)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        Rows = counts.GetLength(0);
        Columns = counts.GetLength(1);
        K = k;
        Zeros = zeros;
        Width = Columns + 1;
        Values = new long[(Rows + 1) * Width];
        for (var i = 0; i < Rows; i++)
        {
            for (var j = 0; j < Columns; j++)
            {
                var v = counts[i, j];
                ArgumentOutOfRangeException.ThrowIfNegative(v, nameof(counts));
                Values[Index(i, j)] = v;
                Values[Index(i, Columns)] += v;
                Values[Index(Rows, j)] += v;
                Values[Index(Rows, Columns)] += v;
            }
        }

        var lines = new List<int[]>();
        for (var i = 0; i <= Rows; i++)
        {
            lines.Add(Enumerable.Range(0, Columns + 1).Select(j => Index(i, j)).ToArray());
        }

        for (var j = 0; j <= Columns; j++)
        {
            lines.Add(Enumerable.Range(0, Rows + 1).Select(i => Index(i, j)).ToArray());
        }

        Lines = lines;
        Sensitive = Enumerable.Range(0, Values.Length).Where(IsSensitive).ToArray();
    }

    public int Rows { get; }

    public int Columns { get; }

    public int Width { get; }

    public int K { get; }

    public ZeroCells Zeros { get; }

    /// <summary>Every cell of the grid, row by row.</summary>
    public long[] Values { get; }

    public int Count => Values.Length;

    /// <summary>Each line's cells, its total last.</summary>
    public IReadOnlyList<int[]> Lines { get; }

    /// <summary>The cells that must be hidden and protected: counts from 1 (0 when zeros are protected) to k - 1.</summary>
    public int[] Sensitive { get; }

    public int Index(int row, int column) => row * Width + column;

    public bool IsSensitive(int cell) => Values[cell] < K && (Values[cell] > 0 || Zeros == ZeroCells.Protected);

    /// <summary>The least value a reader can assume for a hidden cell: 1 for a non-zero count when zeros are shown.</summary>
    public long LowerBound(int cell) => Zeros == ZeroCells.Shown && Values[cell] > 0 ? 1 : 0;

    /// <summary>How far above its value a sensitive cell must be able to go: to k.</summary>
    public long UpwardProtection(int cell) => K - Values[cell];

    /// <summary>How far below its value a sensitive cell must be able to go: to 0 when zeros are protected.</summary>
    public long DownwardProtection(int cell) => Zeros == ZeroCells.Protected ? Values[cell] : 0;

    /// <summary>The protection requirements: (cell, +1 up / -1 down, amount).</summary>
    public IEnumerable<(int Cell, int Direction, long Amount)> Requirements()
    {
        foreach (var s in Sensitive)
        {
            yield return (s, 1, UpwardProtection(s));
            if (DownwardProtection(s) > 0)
            {
                yield return (s, -1, DownwardProtection(s));
            }
        }
    }

    /// <summary>The information lost by hiding a cell, in one number: its people first, then one per cell.</summary>
    public long Cost(int cell) => Values[cell] * (Count + 1L) + 1;

    public long PeopleHidden(bool[] hidden) => Enumerable.Range(0, Count).Where(c => hidden[c]).Sum(c => Values[c]);

    public SuppressedTable ToTable(IReadOnlyList<string> rows, IReadOnlyList<string> columns, bool[] hidden)
    {
        int? Show(int i, int j) => hidden[Index(i, j)] ? null : checked((int)Values[Index(i, j)]);
        return new SuppressedTable(
            rows,
            columns,
            Enumerable.Range(0, Rows).Select(i => Enumerable.Range(0, Columns).Select(j => Show(i, j)).ToArray()).ToArray(),
            Enumerable.Range(0, Rows).Select(i => Show(i, Columns)).ToArray(),
            Enumerable.Range(0, Columns).Select(j => Show(Rows, j)).ToArray(),
            Show(Rows, Columns));
    }
}
