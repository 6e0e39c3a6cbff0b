namespace Panel.Privacy;

/// <summary>
/// Checks a table of <see cref="SharedMarginSuppression"/> the way a reader could attack it: every line (row with its
/// total, column with its total, the group sizes with the grand total, the overall counts with the grand total) is
/// a linear equation over the hidden numbers. Exact linear algebra (modulo a large prime) finds
/// <list type="bullet">
/// <item>a hidden number from 1 to k - 1 that the table's lines pin down even if every total were known (row and
/// column totals are shared with other tables, so the audit assumes the worst of them);</item>
/// <item>a relation between hidden totals the table implies beyond the group-size and overall lines; since tables
/// share nothing but their totals, tables that imply none cannot be combined to learn more than each gives.</item>
/// </list>
/// </summary>
public static class SharedMarginAudit
{
    private const long P = 2_147_483_647;

    /// <summary>(row, col) of a hidden inner number that can be worked out; (row, -1) or (-1, col) of a hidden total involved in an implied relation; (-1, -1) when none.</summary>
    public static (int Row, int Col) Find(long[,] counts, bool[,] hidden, bool[] rowTotalShown, bool[] columnTotalShown, int k)
    {
        int r = counts.GetLength(0), c = counts.GetLength(1);
        var inner = new Dictionary<(int, int), int>();
        for (var i = 0; i < r; i++) for (var j = 0; j < c; j++) if (hidden[i, j]) inner[(i, j)] = inner.Count;
        var rowVar = new int[r];
        var colVar = new int[c];
        var n = inner.Count;
        for (var i = 0; i < r; i++) rowVar[i] = rowTotalShown[i] ? -1 : n++;
        for (var j = 0; j < c; j++) colVar[j] = columnTotalShown[j] ? -1 : n++;
        if (n == 0) return (-1, -1);

        var lines = new List<long[]>();
        for (var i = 0; i < r; i++)
        {
            var e = new long[n];
            for (var j = 0; j < c; j++) if (hidden[i, j]) e[inner[(i, j)]] = 1;
            if (rowVar[i] >= 0) e[rowVar[i]] = P - 1;
            lines.Add(e);
        }

        for (var j = 0; j < c; j++)
        {
            var e = new long[n];
            for (var i = 0; i < r; i++) if (hidden[i, j]) e[inner[(i, j)]] = 1;
            if (colVar[j] >= 0) e[colVar[j]] = P - 1;
            lines.Add(e);
        }

        var marginLines = 0;
        var groups = new long[n];
        foreach (var v in rowVar.Where(v => v >= 0)) groups[v] = 1;
        var overall = new long[n];
        foreach (var v in colVar.Where(v => v >= 0)) overall[v] = 1;
        foreach (var e in new[] { groups, overall })
        {
            if (e.Any(x => x != 0))
            {
                lines.Add(e);
                marginLines++;
            }
        }

        // Totals known: the lines restricted to the hidden inner numbers.
        var innerBasis = new Basis(inner.Count);
        foreach (var e in lines) innerBasis.Add(e[..inner.Count]);
        foreach (var ((i, j), v) in inner.OrderBy(x => x.Key.Item1).ThenBy(x => x.Key.Item2))
        {
            if (counts[i, j] <= 0 || counts[i, j] >= k) continue;
            var unit = new long[inner.Count];
            unit[v] = 1;
            if (innerBasis.Determines(unit)) return (i, j);
        }

        var full = new Basis(n);
        foreach (var e in lines) full.Add(e);
        if (full.Rank - innerBasis.Rank > marginLines)
        {
            for (var i = 0; i < r; i++) if (rowVar[i] >= 0) return (i, -1);
            for (var j = 0; j < c; j++) if (colVar[j] >= 0) return (-1, j);
        }

        return (-1, -1);
    }

    /// <summary>A row-reduced basis of equations modulo P.</summary>
    private sealed class Basis(int width)
    {
        private readonly List<long[]> _rows = [];
        private readonly List<int> _pivots = [];

        public int Rank => _rows.Count;

        private long[] Reduce(long[] e)
        {
            var x = (long[])e.Clone();
            for (var i = 0; i < _rows.Count; i++)
            {
                var f = x[_pivots[i]];
                if (f == 0) continue;
                var row = _rows[i];
                for (var j = 0; j < width; j++) if (row[j] != 0) x[j] = ((x[j] - f * row[j]) % P + P) % P;
            }

            return x;
        }

        public void Add(long[] e)
        {
            if (width == 0) return;
            var x = Reduce(e);
            var pivot = Array.FindIndex(x, v => v != 0);
            if (pivot < 0) return;
            var inverse = Pow(x[pivot], P - 2);
            for (var j = 0; j < width; j++) x[j] = x[j] * inverse % P;
            foreach (var row in _rows)
            {
                var f = row[pivot];
                if (f == 0) continue;
                for (var j = 0; j < width; j++) if (x[j] != 0) row[j] = ((row[j] - f * x[j]) % P + P) % P;
            }

            _rows.Add(x);
            _pivots.Add(pivot);
        }

        public bool Determines(long[] e) => Reduce(e).All(v => v == 0);

        private static long Pow(long b, long e)
        {
            long result = 1;
            b %= P;
            while (e > 0)
            {
                if ((e & 1) == 1) result = result * b % P;
                b = b * b % P;
                e >>= 1;
            }

            return result;
        }
    }
}
