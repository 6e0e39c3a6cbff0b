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
/// that no count is negative, it finds for every hidden number its least and greatest possible value. Rows and
/// columns are indexed as in the table, the totals at index Rows / Columns. The reader is assumed to know more than
/// it can: when zeros are shown, that every hidden non-zero count is at least 1. It fails a table that shows a count
/// from 1 to k - 1 (from 0 when zeros are protected) or a number that is not the true one, or where a small count
/// could not be k or more (or, zeros protected, could not be 0).
/// <para>
/// The reader's linear program over the hidden numbers is a network (each line is a node's balance once totals get
/// the opposite sign), so its bounds are maximum flows (OR-Tools): a hidden number can grow by as much as can flow
/// from its column back to its row through the other hidden numbers, each able to grow without limit and to shrink
/// to its lower bound, and shrink likewise the other way. The graph is built here from the published table alone;
/// it shares no code with the engine. (A general LP solver gave the same bounds but stalled for minutes on tables
/// of a few hundred hidden numbers.)
/// </para>
/// </summary>
public static class SuppressionAuditor
{
    // A capacity far above any count: a number that can grow by this much has no upper limit.
    private const long Unbounded = 1L << 40;

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
        long Lowest(int i, int j) => zeros == ZeroCells.Shown && truth[i, j] > 0 ? 1 : 0;
        // Inner cells and the grand total count positively, the other totals negatively, in a row's or column's sum.
        int Sign(int i, int j) => (i == r) == (j == c) ? 1 : -1;
        var failures = new List<string>();
        var hidden = new List<(int I, int J)>();
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
                    hidden.Add((i, j));
                }
            }
        }

        if (failures.Count > 0)
        {
            failures.Add("the numbers shown do not add up");
            return new SuppressionAudit([], failures);
        }

        // How far the hidden number (i, j) can move in a direction (+1 grows, -1 shrinks) while every line still adds
        // up: the maximum flow between its row node and its column node over the other hidden numbers' arcs.
        double Reach(int i, int j, int direction)
        {
            var flow = new Google.OrTools.Graph.MaxFlow();
            foreach (var (hi, hj) in hidden)
            {
                if ((hi, hj) == (i, j)) continue;
                var grow = Unbounded;
                var shrink = truth[hi, hj] - Lowest(hi, hj);
                var (rowToColumn, columnToRow) = Sign(hi, hj) > 0 ? (grow, shrink) : (shrink, grow);
                if (rowToColumn > 0) flow.AddArcWithCapacity(hi, r + 1 + hj, rowToColumn);
                if (columnToRow > 0) flow.AddArcWithCapacity(r + 1 + hj, hi, columnToRow);
            }

            if (flow.NumArcs() == 0) return 0;
            var along = Sign(i, j) * direction > 0;
            var (source, sink) = along ? (r + 1 + j, i) : (i, r + 1 + j);
            if (flow.Solve(source, sink) != Google.OrTools.Graph.MaxFlow.Status.OPTIMAL)
            {
                throw new InvalidOperationException("The audit's maximum flow was not solved.");
            }

            var moved = flow.OptimalFlow();
            return moved >= Unbounded ? double.PositiveInfinity : moved;
        }

        var ranges = new List<HiddenRange>();
        foreach (var (i, j) in hidden)
        {
            var value = truth[i, j];
            var max = value + Reach(i, j, 1);
            var min = Math.Max(Lowest(i, j), value - Reach(i, j, -1));
            ranges.Add(new HiddenRange(i, j, (int)value, min, max));
            if (!Small(value)) continue;
            if (max < k) failures.Add($"({i},{j}) = {value} can be at most {max}, below k = {k}");
            if (zeros == ZeroCells.Protected && min > 0) failures.Add($"({i},{j}) = {value} is at least {min}, so the group exists");
        }

        return new SuppressionAudit(ranges, failures);
    }
}
