namespace Panel.Privacy;

/// <summary>
/// The greedy line rules Panel used before the optimal engine: a line that hides anything hides at least two numbers
/// adding up to k or more; the smallest visible non-zero number is added until every line holds. They do not protect
/// a small count's range on their own (two hidden counts of 3 and 2 under a shown total are each at most 4), so no
/// table is published with them any more; the suppression benchmark compares the engine against them.
/// </summary>
public static class LineRuleSuppression
{
    /// <summary>Which numbers of the (rows + 1) × (columns + 1) grid, totals included, the line rules hide.</summary>
    public static bool[,] Hidden(int[,] counts, int k)
    {
        int r = counts.GetLength(0), c = counts.GetLength(1);
        var grid = new long[r + 1, c + 1];
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
        for (var i = 0; i <= r; i++) lines.Add(Enumerable.Range(0, c + 1).Select(j => (i, j)).ToArray());
        for (var j = 0; j <= c; j++) lines.Add(Enumerable.Range(0, r + 1).Select(i => (i, j)).ToArray());
        bool changed;
        do
        {
            changed = false;
            foreach (var line in lines)
            {
                var hiddenCount = line.Count(p => hidden[p.Row, p.Col]);
                if (hiddenCount == 0) continue;
                var totalHidden = hidden[line[^1].Row, line[^1].Col];
                var hiddenSum = line[..^1].Where(p => hidden[p.Row, p.Col]).Sum(p => grid[p.Row, p.Col]);
                if (hiddenCount >= 2 && (totalHidden || hiddenSum >= k)) continue;
                var candidates = line.Where(p => !hidden[p.Row, p.Col] && (hiddenCount < 2 || grid[p.Row, p.Col] > 0)).ToList();
                if (candidates.Count == 0) continue;
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

        return hidden;
    }
}
