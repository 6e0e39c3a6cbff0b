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

/// <summary>A number of the grid decided before the engine runs (a total shared with other tables).</summary>
public enum FixedCell : byte
{
    /// <summary>The engine decides.</summary>
    Free,

    /// <summary>Shown, whatever the engine would choose (it is shown elsewhere with the same value).</summary>
    Shown,

    /// <summary>
    /// Hidden, because something else hides it (a group whose size is hidden): it needs no protection of its own, and
    /// a reader cannot assume it is at least 1, since it is hidden whatever its value.
    /// </summary>
    Hidden,
}

/// <summary>
/// A table of counts with its margins as one (rows + 1) × (columns + 1) grid: row <c>Rows</c> holds the column
/// totals, column <c>Columns</c> the row totals and the corner the grand total. Every number of the grid, totals
/// included, is a cell that may be hidden; a reader knows the lines (each row and each column of the grid adds up
/// to its last cell) and that no count is negative.
/// </summary>
internal sealed class ExtendedTable
{
    public ExtendedTable(int[,] counts, int k, ZeroCells zeros, FixedCell[]? fixedCells = null)
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
        if (fixedCells is not null && fixedCells.Length != Values.Length)
        {
            throw new ArgumentException("One fixed state per number of the grid, totals included.", nameof(fixedCells));
        }

        Fixed = fixedCells ?? new FixedCell[Values.Length];
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

    /// <summary>What was decided before the engine ran, per cell of the grid.</summary>
    public FixedCell[] Fixed { get; }

    /// <summary>Each line's cells, its total last.</summary>
    public IReadOnlyList<int[]> Lines { get; }

    /// <summary>
    /// The cells that must be hidden and protected: counts from 1 (0 when zeros are protected) to k - 1, unless fixed
    /// (a fixed total was decided, and protected, where it was first shown or hidden).
    /// </summary>
    public int[] Sensitive { get; }

    public int Index(int row, int column) => row * Width + column;

    public bool IsSensitive(int cell) =>
        Fixed[cell] == FixedCell.Free && Values[cell] < K && (Values[cell] > 0 || Zeros == ZeroCells.Protected);

    /// <summary>Hidden whatever the engine chooses: a small count, or a cell fixed hidden.</summary>
    public bool MustHide(int cell) => IsSensitive(cell) || Fixed[cell] == FixedCell.Hidden;

    /// <summary>Whether the engine may hide the cell to protect another.</summary>
    public bool MayHide(int cell) => Fixed[cell] == FixedCell.Free && !IsSensitive(cell);

    /// <summary>
    /// The least value a reader can assume for a hidden cell: 1 for a non-zero count when zeros are shown (a zero
    /// would be), 0 for a cell fixed hidden (it is hidden whatever it holds).
    /// </summary>
    public long LowerBound(int cell) => Zeros == ZeroCells.Shown && Values[cell] > 0 && Fixed[cell] != FixedCell.Hidden ? 1 : 0;

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

    /// <summary>
    /// The cell's sign in the grid's network (see <see cref="ProtectionLp"/>): +1 for an inner cell and the grand
    /// total, -1 for a row or column total.
    /// </summary>
    public int Sign(int cell) => (cell / Width == Rows) == (cell % Width == Columns) ? 1 : -1;

    /// <summary>The network's nodes: the grid's rows first (0 to Rows), then its columns.</summary>
    public int Nodes => Rows + 1 + Columns + 1;

    /// <summary>
    /// The source and sink of a requirement's flow: moving the cell by the amount sends it along the cell's own arc,
    /// and the rest of the network must carry it back.
    /// </summary>
    public (int Source, int Sink) Ends(int cell, int direction)
    {
        var (row, column) = (cell / Width, Rows + 1 + (cell % Width));
        return Sign(cell) * direction > 0 ? (column, row) : (row, column);
    }

    /// <summary>
    /// The arcs of every cell the predicate admits other than <paramref name="moved"/>, for moving a cell by
    /// <paramref name="amount"/>: row → column (orientation +1) where the cell's signed change may grow, column → row
    /// (-1) where it may shrink, each with how far (a count may grow freely, but no cell of a cheapest cycle moves by
    /// more than the amount; it may shrink to the lower bound a reader assumes).
    /// </summary>
    public IEnumerable<(int Cell, int Tail, int Head, long Capacity, int Orientation)> Arcs(int moved, long amount, Func<int, bool> admit)
    {
        for (var c = 0; c < Count; c++)
        {
            if (c == moved || !admit(c))
            {
                continue;
            }

            var (row, column) = (c / Width, Rows + 1 + (c % Width));
            var down = Math.Min(amount, Values[c] - LowerBound(c));
            var (forward, backward) = Sign(c) > 0 ? (amount, down) : (down, amount);
            if (forward > 0) yield return (c, row, column, forward, 1);
            if (backward > 0) yield return (c, column, row, backward, -1);
        }
    }

    /// <summary>
    /// The information lost by hiding a cell, in one number: its people first, then one per cell, then its place
    /// (an earlier cell costs a little less, so that between choices hiding the same people in as many cells the
    /// engine always hides the same ones, the first groups of the table).
    /// </summary>
    public long Cost(int cell) => (Values[cell] * (Count + 1L) + 1) * (Count + 1L) + cell;

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
