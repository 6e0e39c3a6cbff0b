using System.Diagnostics;

namespace Panel.Privacy;

/// <summary>A table of counts with its margins, where a null is a suppressed number.</summary>
public sealed record SuppressedTable(
    IReadOnlyList<string> Rows,
    IReadOnlyList<string> Columns,
    int?[][] Cells,
    int?[] RowTotals,
    int?[] ColumnTotals,
    int? Total);

/// <summary>How a table was suppressed.</summary>
public enum SuppressionMethod
{
    /// <summary>Nothing needed hiding.</summary>
    None,

    /// <summary>The exact model proved its answer optimal within the time budget.</summary>
    Optimal,

    /// <summary>The heuristic's answer (the exact model ran out of time or found nothing better).</summary>
    Heuristic,

    /// <summary>The audit found a weakness, and the fallback hid more (never expected; kept for safety).</summary>
    Fallback,
}

/// <summary>Settings of the engine: what zeros mean, and how long the exact model may try.</summary>
public sealed record SuppressionOptions(ZeroCells Zeros = ZeroCells.Shown, TimeSpan? ExactTimeBudget = null, bool Exact = true)
{
    public static readonly SuppressionOptions Default = new();

    /// <summary>The time the exact model gets per table before the heuristic's answer is used.</summary>
    public TimeSpan Budget => ExactTimeBudget ?? TimeSpan.FromMilliseconds(250);
}

/// <summary>A suppressed table with what it cost.</summary>
public sealed record SuppressionResult(SuppressedTable Table, SuppressionMethod Method, int CellsHidden, long PeopleHidden, TimeSpan Elapsed);

/// <summary>
/// Primary and secondary suppression of a table of counts with its row, column and grand totals (DESIGN.md
/// section 5, rule 4). Every count from 1 to k - 1, totals included, is hidden (primary); then more numbers are
/// hidden (secondary) so that a reader who knows every number shown, that the lines add up and that no count is
/// negative, cannot narrow a hidden small count to values below k (with <see cref="ZeroCells.Protected"/> also
/// not above 0). Among all such choices the engine hides the fewest people (the sum of the hidden numbers), then
/// the fewest numbers: the exact model (<see cref="OptimalSuppression"/>) when it proves its answer within the time
/// budget, else the heuristic (<see cref="HeuristicSuppression"/>). Every answer passes
/// <see cref="SuppressionAuditor"/> before it is returned; if one ever did not, more is hidden until it does.
/// </summary>
public static class SmallCountSuppression
{
    public static SuppressedTable Suppress(IReadOnlyList<string> rows, IReadOnlyList<string> columns, int[,] counts, int k) =>
        Run(rows, columns, counts, k, SuppressionOptions.Default).Table;

    public static SuppressedTable Suppress(IReadOnlyList<string> rows, IReadOnlyList<string> columns, int[,] counts, int k, SuppressionOptions options) =>
        Run(rows, columns, counts, k, options).Table;

    public static SuppressionResult Run(IReadOnlyList<string> rows, IReadOnlyList<string> columns, int[,] counts, int k, SuppressionOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentNullException.ThrowIfNull(options);
        if (counts.GetLength(0) != rows.Count || counts.GetLength(1) != columns.Count)
        {
            throw new ArgumentException("The counts do not match the rows and columns.", nameof(counts));
        }

        var watch = Stopwatch.StartNew();
        var t = new ExtendedTable(counts, k, options.Zeros);
        bool[] hidden;
        SuppressionMethod method;
        if (t.Sensitive.Length == 0)
        {
            (hidden, method) = (new bool[t.Count], SuppressionMethod.None);
        }
        else
        {
            (hidden, _) = HeuristicSuppression.Run(t); // every total free: every requirement can be met
            method = SuppressionMethod.Heuristic;
            if (options.Exact)
            {
                var exact = OptimalSuppression.Solve(t, options.Budget, hidden);
                if (exact.Hidden is { } h && (exact.Optimal || Cost(t, h) < Cost(t, hidden)))
                {
                    (hidden, method) = (h, exact.Optimal ? SuppressionMethod.Optimal : SuppressionMethod.Heuristic);
                }
            }
        }

        var table = t.ToTable(rows, columns, hidden);
        if (method != SuppressionMethod.None && !SuppressionAuditor.Audit(table, counts, k, options.Zeros).Passed)
        {
            // Never expected (the audit checks what both paths guarantee), but what is returned must pass it:
            // hide everything that is not zero, which leaves every hidden count free to reach k.
            for (var c = 0; c < t.Count; c++)
            {
                hidden[c] |= t.Values[c] > 0 || options.Zeros == ZeroCells.Protected;
            }

            (table, method) = (t.ToTable(rows, columns, hidden), SuppressionMethod.Fallback);
        }

        return new SuppressionResult(table, method, hidden.Count(h => h), t.PeopleHidden(hidden), watch.Elapsed);
    }

    /// <summary>
    /// The engine for a table whose totals were decided before (shared with other tables, such as the group sizes of
    /// a profile attribute and the overall counts of a question): <paramref name="fixedCells"/> gives, per number of
    /// the (rows + 1) × (columns + 1) grid, whether it is shown, hidden or free; fixed cells need no protection here.
    /// Returns which numbers of the grid are hidden, and the small counts (row, column of the grid) whose protection
    /// no choice could give (possible only because totals are fixed shown: a shown group of k whose every count is
    /// small cannot have a count able to reach k); the caller decides what more to hide for those.
    /// </summary>
    public static (bool[,] Hidden, IReadOnlyList<(int Row, int Column)> Unmet) HideWithin(int[,] counts, int k, FixedCell[,] fixedCells, SuppressionOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentNullException.ThrowIfNull(options);
        int r = counts.GetLength(0), c = counts.GetLength(1);
        if (fixedCells.GetLength(0) != r + 1 || fixedCells.GetLength(1) != c + 1)
        {
            throw new ArgumentException("One fixed state per number of the grid, totals included.", nameof(fixedCells));
        }

        var t = new ExtendedTable(counts, k, options.Zeros, fixedCells.Cast<FixedCell>().ToArray());
        var (hidden, unmet) = HeuristicSuppression.Run(t);
        if (options.Exact && t.Sensitive.Length > 0)
        {
            var met = t.Requirements().Except(unmet).ToList();
            var exact = OptimalSuppression.Solve(t, options.Budget, hidden, met);
            if (exact.Hidden is { } h && Cost(t, h) < Cost(t, hidden))
            {
                hidden = h;
            }
        }

        var grid = new bool[r + 1, c + 1];
        for (var cell = 0; cell < t.Count; cell++)
        {
            grid[cell / t.Width, cell % t.Width] = hidden[cell];
        }

        return (grid, unmet.Select(u => (u.Cell / t.Width, u.Cell % t.Width)).Distinct().ToList());
    }

    /// <summary>The optimum alone, for the benchmark and tests: null when the time limit ends before a proof.</summary>
    public static SuppressionResult? Optimal(IReadOnlyList<string> rows, IReadOnlyList<string> columns, int[,] counts, int k, ZeroCells zeros, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        var t = new ExtendedTable(counts, k, zeros);
        var hidden = t.Sensitive.Length == 0 ? new bool[t.Count] : OptimalSuppression.Solve(t, limit) is { Optimal: true, Hidden: { } h } ? h : null;
        return hidden is null
            ? null
            : new SuppressionResult(t.ToTable(rows, columns, hidden), SuppressionMethod.Optimal, hidden.Count(x => x), t.PeopleHidden(hidden), watch.Elapsed);
    }

    private static long Cost(ExtendedTable t, bool[] hidden) => Enumerable.Range(0, t.Count).Where(c => hidden[c]).Sum(t.Cost);
}
