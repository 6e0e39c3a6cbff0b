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
            hidden = HeuristicSuppression.Run(t);
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
