namespace Panel.Privacy;

/// <summary>A table whose row groups were merged before suppression, and the suppressed result.</summary>
/// <param name="Rows">The labels of the merged groups.</param>
/// <param name="Counts">The merged counts.</param>
/// <param name="GroupOf">For each original row, the index of the merged group that holds it.</param>
public sealed record RecodedTable(IReadOnlyList<string> Rows, int[,] Counts, int[] GroupOf, SuppressionResult Result);

/// <summary>
/// Global recoding before suppression (the statistical offices' first tool): groups of a dimension that hold small
/// counts are merged (adjacent ones, such as age bands, when the dimension is ordered; otherwise the smallest such
/// group with another) while a merge lowers what suppression hides: the people hidden, then the numbers hidden.
/// Merging loses the split between the merged groups, which the criterion does not count, so a caller uses it where
/// a merged group reads better than hidden numbers. Every table that shares the dimension must use the same
/// merged groups, or a reader could subtract a merged group from its parts shown elsewhere.
/// </summary>
public static class GlobalRecoding
{
    public static RecodedTable MergeRows(
        IReadOnlyList<string> rows,
        IReadOnlyList<string> columns,
        int[,] counts,
        int k,
        bool ordered,
        SuppressionOptions? options = null,
        Func<IReadOnlyList<string>, string>? label = null)
    {
        options ??= SuppressionOptions.Default;
        label ??= parts => string.Join(" + ", parts);
        if (counts.GetLength(0) != rows.Count || counts.GetLength(1) != columns.Count)
        {
            throw new ArgumentException("The counts do not match the rows and columns.", nameof(counts));
        }

        var groups = Enumerable.Range(0, rows.Count).Select(i => new List<int> { i }).ToList();
        var best = Evaluate(groups);
        while (groups.Count > 1)
        {
            var current = best;
            var small = Enumerable.Range(0, groups.Count).Where(g => HoldsSmall(current.Counts, g, k, options.Zeros)).ToList();
            if (small.Count == 0)
            {
                break;
            }

            var rarest = Smallest(current.Counts, small);
            IEnumerable<(int, int)> candidates = ordered
                ? small.SelectMany(g => new[] { (g - 1, g), (g, g + 1) }).Where(p => p.Item1 >= 0 && p.Item2 < groups.Count).Distinct()
                : Enumerable.Range(0, groups.Count).Where(h => h != rarest).Select(h => (Math.Min(h, rarest), Math.Max(h, rarest)));
            // On a tie the smaller merged group wins: it loses the least detail.
            candidates = candidates.OrderBy(p => Total(current.Counts, p.Item1) + Total(current.Counts, p.Item2)).ToList();
            RecodedTable? improved = null;
            List<List<int>>? improvedGroups = null;
            foreach (var (a, b) in candidates)
            {
                var merged = groups.Select(g => g.ToList()).ToList();
                merged[a].AddRange(merged[b]);
                merged[a].Sort();
                merged.RemoveAt(b);
                var candidate = Evaluate(merged);
                if (Better(candidate.Result, (improved ?? best).Result))
                {
                    (improved, improvedGroups) = (candidate, merged);
                }
            }

            if (improved is null)
            {
                break;
            }

            (best, groups) = (improved, improvedGroups!);
        }

        return best;

        RecodedTable Evaluate(List<List<int>> g)
        {
            var merged = new int[g.Count, columns.Count];
            var groupOf = new int[rows.Count];
            for (var n = 0; n < g.Count; n++)
            {
                foreach (var i in g[n])
                {
                    groupOf[i] = n;
                    for (var j = 0; j < columns.Count; j++)
                    {
                        merged[n, j] += counts[i, j];
                    }
                }
            }

            var labels = g.Select(parts => parts.Count == 1 ? rows[parts[0]] : label(parts.Select(i => rows[i]).ToList())).ToList();
            return new RecodedTable(labels, merged, groupOf, SmallCountSuppression.Run(labels, columns, merged, k, options));
        }
    }

    private static bool Better(SuppressionResult a, SuppressionResult b) =>
        a.PeopleHidden < b.PeopleHidden || (a.PeopleHidden == b.PeopleHidden && a.CellsHidden < b.CellsHidden);

    private static bool HoldsSmall(int[,] counts, int row, int k, ZeroCells zeros)
    {
        var total = 0;
        for (var j = 0; j < counts.GetLength(1); j++)
        {
            total += counts[row, j];
            if (counts[row, j] < k && (counts[row, j] > 0 || zeros == ZeroCells.Protected))
            {
                return true;
            }
        }

        return total < k;
    }

    private static int Smallest(int[,] counts, List<int> rows) => rows.OrderBy(i => Total(counts, i)).ThenBy(i => i).First();

    private static long Total(int[,] counts, int row) => Enumerable.Range(0, counts.GetLength(1)).Sum(j => (long)counts[row, j]);
}
