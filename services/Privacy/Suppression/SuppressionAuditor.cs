using Google.OrTools.LinearSolver;

namespace Panel.Privacy;

/// <summary>What a reader can work out about one hidden number: its least and greatest possible value.</summary>
public sealed record HiddenRange(int Row, int Column, int Value, double Min, double Max);

/// <summary>An audit of a published table: the range of every hidden number, and which ranges are too narrow.</summary>
public sealed record SuppressionAudit(IReadOnlyList<HiddenRange> Ranges, IReadOnlyList<string> Failures)
{
    public bool Passed => Failures.Count == 0;
}

/// <summary>
/// Audits a published table the way a reader would attack it, independently of how the engine chose what to hide:
/// from nothing but the numbers shown, the table's lines (each row and each column, totals included, add up) and
/// that no count is negative, a linear program (GLOP) finds for every hidden number its least and greatest
/// possible value. Rows and columns are indexed as in the table, the totals at index Rows / Columns. The reader is
/// assumed to know more than it can: when zeros are shown, that every hidden non-zero count is at least 1. It fails
/// a table that shows a count from 1 to k - 1 (from 0 when zeros are protected) or a number that is not the true
/// one, or where a small count could not be k or more (or, zeros protected, could not be 0).
/// </summary>
public static class SuppressionAuditor
{
    public static SuppressionAudit Audit(SuppressedTable table, int[,] counts, int k, ZeroCells zeros = ZeroCells.Shown)
    {
        int r = counts.GetLength(0), c = counts.GetLength(1);
        var truth = new long[r + 1, c + 1];
        var shown = new int?[r + 1, c + 1];
        for (var i = 0; i <= r; i++)
        {
            for (var j = 0; j <= c; j++)
            {
                shown[i, j] = i < r && j < c ? table.Cells[i][j] : i < r ? table.RowTotals[i] : j < c ? table.ColumnTotals[j] : table.Total;
                if (i < r && j < c)
                {
                    truth[i, j] = counts[i, j];
                    truth[i, c] += counts[i, j];
                    truth[r, j] += counts[i, j];
                    truth[r, c] += counts[i, j];
                }
            }
        }

        bool Small(long v) => v < k && (v > 0 || zeros == ZeroCells.Protected);
        var failures = new List<string>();
        using var solver = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("GLOP is missing from OR-Tools.");
        var x = new Variable?[r + 1, c + 1];
        for (var i = 0; i <= r; i++)
        {
            for (var j = 0; j <= c; j++)
            {
                if (shown[i, j] is { } v)
                {
                    if (v != truth[i, j]) failures.Add($"({i},{j}) shows {v}, not {truth[i, j]}");
                    if (Small(v)) failures.Add($"({i},{j}) shows {v}, below k = {k}");
                }
                else
                {
                    x[i, j] = solver.MakeNumVar(zeros == ZeroCells.Shown && truth[i, j] > 0 ? 1 : 0, Unbounded, $"x{i}_{j}");
                }
            }
        }

        // Row i: cells 0..c-1 add up to cell c; column j: cells 0..r-1 add up to cell r.
        for (var line = 0; line < r + 1 + c + 1; line++)
        {
            var isRow = line <= r;
            var length = isRow ? c : r;
            var known = 0L;
            var equation = solver.MakeConstraint(0, 0, "");
            for (var n = 0; n <= length; n++)
            {
                var (i, j) = isRow ? (line, n) : (n, line - r - 1);
                var sign = n == length ? -1 : 1;
                if (x[i, j] is { } variable) equation.SetCoefficient(variable, sign);
                else known += sign * shown[i, j]!.Value;
            }

            equation.SetBounds(-known, -known);
        }

        var ranges = new List<HiddenRange>();
        var objective = solver.Objective();
        if (solver.Solve() != Solver.ResultStatus.OPTIMAL)
        {
            failures.Add("the numbers shown do not add up");
            return new SuppressionAudit(ranges, failures);
        }

        for (var i = 0; i <= r; i++)
        {
            for (var j = 0; j <= c; j++)
            {
                if (x[i, j] is not { } variable) continue;
                objective.Clear();
                objective.SetCoefficient(variable, 1);
                objective.SetMinimization();
                var min = Optimum(solver, variable);
                objective.SetMaximization();
                var max = Optimum(solver, variable);
                ranges.Add(new HiddenRange(i, j, (int)truth[i, j], min, max));
                if (!Small(truth[i, j])) continue;
                if (max < k - 1e-6) failures.Add($"({i},{j}) = {truth[i, j]} can be at most {max}, below k = {k}");
                if (zeros == ZeroCells.Protected && min > 1e-6) failures.Add($"({i},{j}) = {truth[i, j]} is at least {min}, so the group exists");
            }
        }

        return new SuppressionAudit(ranges, failures);
    }

    // A cap far above any count keeps every program bounded; a maximum at the cap means "no limit".
    private const double Unbounded = 1e9;

    private static double Optimum(Solver solver, Variable variable) =>
        solver.Solve() switch
        {
            Solver.ResultStatus.OPTIMAL => variable.SolutionValue() >= Unbounded - 1 ? double.PositiveInfinity : variable.SolutionValue(),
            var status => throw new InvalidOperationException($"The audit's program ended {status}: the numbers shown do not add up."),
        };
}
