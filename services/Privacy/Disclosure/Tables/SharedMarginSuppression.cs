namespace Panel.Privacy;

/// <summary>
/// Suppression of a family of tables that share their margins (DESIGN.md section 5, rule 4): one grouping's tables
/// (groups × the categories of one distribution) all share the groups' sizes, and each distribution's overall counts
/// are shared by every grouping's table of it. Survey results are built on it (the groupings are the profile
/// attributes, the distributions the questions' answers), so that every number any filter or cross-tab shows is
/// worked out from one audited table per grouping:
/// <list type="number">
/// <item>the total (everyone counted) is shown when at least k;</item>
/// <item>per grouping, its groups' sizes are a line with that total (<see cref="Groups"/>);</item>
/// <item>per distribution (categories that add up to the group's size, the last one the rest: skipped, not picked,
/// not ranked), the overall counts are a line with the total (<see cref="Line"/>), and the grouping's table
/// (groups × categories) is suppressed with those margins fixed (<see cref="Table"/>), so every table of every
/// grouping agrees on the numbers they share;</item>
/// <item>a filter (several groups of one grouping) shows a sum only when it can be worked out from that table:
/// every group of the filter is shown, or every group outside it is and the total is (<see cref="Derive"/>); and it
/// shows anything only when its size can and it and the rest are each empty or at least k (<see cref="SubsetShown"/>).</item>
/// </list>
/// In a line with a shown total, what is hidden is at least two numbers adding up to k or more; in a line whose
/// total is hidden, at least one number besides the total is hidden.
/// <para>
/// The existence of a small group must not show either (finding 3 of issue 13): the groups of a grouping are its
/// whole domain (every age band, municipality of the county, …), and a group's size is hidden when it is below k,
/// zero included (<see cref="Groups"/>), so an empty group and a group of 1 to k - 1 look the same. A group whose
/// size is hidden has every number of its row hidden in every table (an empty row of shown zeros would tell it
/// apart). Zeros are shown only inside groups of k or more and in the overall counts, where a zero
/// ("nobody of these 40 chose c") names no group smaller than k.
/// </para>
/// <para>
/// A whole split into a few parts (genders, member states) whose total another table shows is published by
/// <see cref="Parts"/>.
/// </para>
/// </summary>
public static class SharedMarginSuppression
{
    /// <summary>Which values of a line adding up to a total (shown or not, as given) are shown.</summary>
    public static bool[] Line(long[] values, bool totalShown, int k) => Line(values, totalShown, k, zerosProtected: false);

    /// <summary>
    /// Which group sizes of an attribute are shown: like <see cref="Line"/>, but an empty group is protected like a
    /// group below k (hidden, and complemented so that the total minus the shown groups cannot tell it is empty).
    /// </summary>
    public static bool[] Groups(long[] sizes, bool totalShown, int k) => Line(sizes, totalShown, k, zerosProtected: true);

    private static bool[] Line(long[] values, bool totalShown, int k, bool zerosProtected)
    {
        // The line as a table of one column: its values are the rows (each row's total is the value again, and
        // adds nothing), its total the column's.
        var n = values.Length;
        var counts = new long[n, 1];
        var fixedCells = new FixedCell[n + 1, 2];
        for (var i = 0; i < n; i++)
        {
            counts[i, 0] = values[i];
            fixedCells[i, 1] = FixedCell.Hidden;
        }

        fixedCells[n, 0] = fixedCells[n, 1] = totalShown ? FixedCell.Shown : FixedCell.Hidden;
        var grid = Hide(counts, fixedCells, k, zerosProtected);
        // The line rule on top (a sum of hidden values is what a filter of several groups can show): what a shown
        // total leaves hidden is at least two numbers adding up to k or more.
        var hidden = new bool[1, n];
        var row = new long[1, n];
        for (var i = 0; i < n; i++) (hidden[0, i], row[0, i]) = (grid[i, 0], values[i]);
        ApplyLineRules(row, hidden, [(Enumerable.Range(0, n).Select(j => (0, j)).ToArray(), totalShown)], k, zerosProtected);
        return Enumerable.Range(0, n).Select(i => !hidden[0, i]).ToArray();
    }

    /// <summary>
    /// Which inner numbers of a table are shown, its row totals and column totals being shown or hidden as given
    /// (decided before, the same for every table that shares them). Every number of a row whose total (the group's
    /// size) is hidden is hidden; the engine (<see cref="SmallCountSuppression.HideWithin"/>) hides the counts from 1
    /// to k - 1 and the fewest people more so that none of them can be narrowed below k; then
    /// <see cref="SharedMarginAudit"/> checks what the table implies about the totals it shares with other tables, and more
    /// is hidden where it finds something.
    /// </summary>
    public static bool[,] Table(long[,] counts, bool[] rowTotalShown, bool[] columnTotalShown, int k)
    {
        int r = counts.GetLength(0), c = counts.GetLength(1);
        var fixedCells = new FixedCell[r + 1, c + 1];
        long total = 0;
        for (var i = 0; i < r; i++)
        {
            fixedCells[i, c] = rowTotalShown[i] ? FixedCell.Shown : FixedCell.Hidden;
            for (var j = 0; j < c; j++)
            {
                fixedCells[i, j] = rowTotalShown[i] ? FixedCell.Free : FixedCell.Hidden;
                total += counts[i, j];
            }
        }

        for (var j = 0; j < c; j++) fixedCells[r, j] = columnTotalShown[j] ? FixedCell.Shown : FixedCell.Hidden;
        fixedCells[r, c] = total >= k ? FixedCell.Shown : FixedCell.Hidden;
        var grid = Hide(counts, fixedCells, k, zerosProtected: false);
        var hidden = new bool[r, c];
        for (var i = 0; i < r; i++) for (var j = 0; j < c; j++) hidden[i, j] = grid[i, j];

        // The line rule on top: the engine protects each small count's range, and a filter of several groups shows a
        // sum of hidden numbers when the rest of the column is shown, so what a shown total leaves hidden is at least
        // two numbers adding up to k or more (the rows of hidden groups included, which need no protection of
        // their own).
        var lines = new List<((int Row, int Col)[] Cells, bool TotalShown)>();
        for (var i = 0; i < r; i++) lines.Add((Enumerable.Range(0, c).Select(j => (i, j)).ToArray(), rowTotalShown[i]));
        for (var j = 0; j < c; j++) lines.Add((Enumerable.Range(0, r).Select(i => (i, j)).ToArray(), columnTotalShown[j]));
        ApplyLineRules(counts, hidden, lines, k, zerosProtected: false);

        // The audit of what a reader could combine across tables; while it finds something, hide one more number
        // where it was found (the smallest non-zero first) and look again.
        while (true)
        {
            var (row, col) = SharedMarginAudit.Find(counts, hidden, rowTotalShown, columnTotalShown, k);
            if (row < 0 && col < 0) break;
            var candidates = Enumerable.Range(0, r).SelectMany(i => Enumerable.Range(0, c).Select(j => (Row: i, Col: j)))
                .Where(p => !hidden[p.Row, p.Col] && counts[p.Row, p.Col] > 0 && (p.Row == row || p.Col == col))
                .ToList();
            if (candidates.Count == 0)
            {
                candidates = Enumerable.Range(0, r).SelectMany(i => Enumerable.Range(0, c).Select(j => (Row: i, Col: j)))
                    .Where(p => !hidden[p.Row, p.Col]).ToList();
            }

            if (candidates.Count == 0) break; // everything hidden: nothing left to work out from
            var pick = candidates.OrderBy(p => counts[p.Row, p.Col]).ThenBy(p => p.Row).ThenBy(p => p.Col).First();
            hidden[pick.Row, pick.Col] = true;
        }

        var shown = new bool[r, c];
        for (var i = 0; i < r; i++) for (var j = 0; j < c; j++) shown[i, j] = !hidden[i, j];
        return shown;
    }

    /// <summary>
    /// The engine on one grid; where a small count's protection cannot be had with the totals fixed as they are
    /// (a shown group of k or a little more whose counts are all small), every number of its row and column that may
    /// be hidden is hidden: the reader then knows the count is small but not which of the group's answers it is.
    /// </summary>
    private static bool[,] Hide(long[,] counts, FixedCell[,] fixedCells, int k, bool zerosProtected)
    {
        int r = counts.GetLength(0), c = counts.GetLength(1);
        var ints = new int[r, c];
        for (var i = 0; i < r; i++) for (var j = 0; j < c; j++) ints[i, j] = checked((int)counts[i, j]);
        var (hidden, unmet) = SmallCountSuppression.HideWithin(ints, k, fixedCells, Options with { Zeros = zerosProtected ? ZeroCells.Protected : ZeroCells.Shown });
        foreach (var (row, column) in unmet)
        {
            for (var i = 0; i <= r; i++) if (fixedCells[i, column] == FixedCell.Free && Value(i, column) > 0) hidden[i, column] = true;
            for (var j = 0; j <= c; j++) if (fixedCells[row, j] == FixedCell.Free && Value(row, j) > 0) hidden[row, j] = true;
        }

        return hidden;

        long Value(int i, int j) => i < r && j < c ? counts[i, j] : 1; // totals are never free here
    }

    /// <summary>The engine's settings here: the exact model gets a short time per table, a family of tables has many.</summary>
    private static readonly SuppressionOptions Options = new(ExactTimeBudget: TimeSpan.FromMilliseconds(100));

    private static void ApplyLineRules(long[,] counts, bool[,] hidden, List<((int Row, int Col)[] Cells, bool TotalShown)> lines, int k, bool zerosProtected)
    {
        bool changed;
        do
        {
            changed = false;
            foreach (var (line, totalShown) in lines)
            {
                var hiddenCells = line.Count(p => hidden[p.Row, p.Col]);
                var hiddenSum = line.Where(p => hidden[p.Row, p.Col]).Sum(p => counts[p.Row, p.Col]);
                // Hidden numbers adding up to 0 are zeros (the zeros of hidden groups' rows): that a reader can tell
                // names no count from 1 to k - 1 and no group's size, so the line needs nothing more hidden. Not so
                // for group sizes, where a hidden zero is an empty group to protect.
                if (totalShown ? hiddenCells == 0 || (hiddenSum == 0 && !zerosProtected) || (hiddenCells >= 2 && hiddenSum >= k) : hiddenCells >= 1)
                {
                    continue;
                }

                // With the total shown and two hidden already, only a non-zero number adds to the hidden sum.
                var candidates = line.Where(p => !hidden[p.Row, p.Col] && (hiddenCells < 2 || counts[p.Row, p.Col] > 0)).ToList();
                if (candidates.Count == 0)
                {
                    // Cannot happen with consistent margins (a shown total is 0 or at least k); be safe anyway.
                    foreach (var (i, j) in line) hidden[i, j] = true;
                    continue;
                }

                var pick = candidates.OrderBy(p => counts[p.Row, p.Col] == 0 ? 1 : 0).ThenBy(p => counts[p.Row, p.Col]).ThenBy(p => p.Row).ThenBy(p => p.Col).First();
                hidden[pick.Row, pick.Col] = true;
                changed = true;
            }
        }
        while (changed);
    }

    /// <summary>
    /// The sum of a column over the rows in <paramref name="inGroup"/>, if it can be worked out from what the table
    /// shows (all of the group's numbers, or the column total and all numbers outside the group); else null.
    /// </summary>
    public static long? Derive(long[] column, bool[] shown, long total, bool totalShown, bool[] inGroup)
    {
        if (inGroup.All(x => x)) return totalShown ? total : null;
        long inside = 0, outside = 0;
        bool insideKnown = true, outsideKnown = true;
        for (var i = 0; i < column.Length; i++)
        {
            if (inGroup[i])
            {
                inside += column[i];
                insideKnown &= shown[i];
            }
            else
            {
                outside += column[i];
                outsideKnown &= shown[i];
            }
        }

        return insideKnown ? inside : outsideKnown && totalShown ? total - outside : null;
    }

    /// <summary>
    /// Whether anything of a subset of the groups (a filter) is shown: its size can be shown
    /// (<paramref name="size"/>, from <see cref="Derive"/>) and is at least k, and the rest of the total is empty or
    /// at least k. An empty subset (a filter on values nobody has, or on a value outside the domain) is hidden exactly
    /// like one of 1 to k - 1: same answer, no numbers.
    /// </summary>
    public static bool SubsetShown(long? size, long total, int k) =>
        size is { } n && n >= k && !(total - n > 0 && total - n < k);

    /// <summary>
    /// Parts of a whole whose total another table shows (its genders, its active and paused members), published as
    /// one line of the engine with the total fixed as shown. Every part is hidden, zeros too, when the total is
    /// hidden or under 2k: two or three parts of so few cannot be hidden so that a small one could reach k, and a
    /// rule that looks only at the total says nothing about the parts. A part and its copy as the line's column
    /// total are shown together or not at all.
    /// </summary>
    public static int?[] Parts(IReadOnlyList<int> parts, int? total, int k, SuppressionOptions options)
    {
        var n = parts.Count;
        if (total is not { } t || t < 2 * k || parts.Sum() != t || parts.Any(p => p < 0))
        {
            return new int?[n];
        }

        var line = new int[1, n];
        for (var i = 0; i < n; i++) line[0, i] = parts[i];
        var fixedCells = new FixedCell[2, n + 1];
        fixedCells[0, n] = FixedCell.Shown;
        fixedCells[1, n] = FixedCell.Shown;
        var (hidden, unmet) = SmallCountSuppression.HideWithin(line, k, fixedCells, options);
        return Enumerable.Range(0, n)
            .Select(i => unmet.Count == 0 && !hidden[0, i] && !hidden[1, i] ? parts[i] : (int?)null)
            .ToArray();
    }
}
