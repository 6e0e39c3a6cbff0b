namespace Panel.Reporting.SurveyResults;

/// <summary>
/// Suppression for survey results (DESIGN.md section 5, rule 4), built so that every number any filter or
/// cross-tab of a survey shows is worked out from one audited table per profile attribute:
/// <list type="number">
/// <item>the respondents of the audience (all answer sets) are shown when at least k;</item>
/// <item>per attribute, its groups' respondents are a line with that total (<see cref="Line"/>);</item>
/// <item>per distribution of a question (categories that add up to the group's respondents, the last one the rest:
/// skipped, not picked, not ranked), the overall counts are a line with the respondents as total, and the
/// attribute's table (groups × categories) is suppressed with those margins fixed (<see cref="Table"/>), so every
/// table of every attribute agrees on the numbers they share;</item>
/// <item>a filter (several values of one attribute) shows a sum only when it can be worked out from that table:
/// every group of the filter is shown, or every group outside it is and the total is (<see cref="Derive"/>).</item>
/// </list>
/// In a line with a shown total, what is hidden is at least two numbers adding up to k or more; in a line whose
/// total is hidden, at least one number besides the total is hidden.
/// <para>
/// The existence of a small group must not show either (finding 3 of issue 13): the groups of an attribute are its
/// whole domain (every age band, municipality of the county, …), and a group's size is hidden when it is below k,
/// zero included (<see cref="Groups"/>), so an empty group and a group of 1 to k - 1 look the same. A group whose
/// size is hidden has every number of its row hidden in every table (an empty row of shown zeros would tell it
/// apart). Zeros are shown only inside groups of k or more and in the audience's overall counts, where a zero
/// ("nobody of these 40 chose c") names no group smaller than k.
/// </para>
/// </summary>
public static class ResultsSuppression
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
        var counts = new long[1, values.Length];
        for (var j = 0; j < values.Length; j++) counts[0, j] = values[j];
        var primary = new bool[1, values.Length];
        for (var j = 0; j < values.Length; j++) primary[0, j] = values[j] < k && (zerosProtected || values[j] > 0);
        var shown = Table(counts, [totalShown], new bool[values.Length], k, columnsAreFixedCells: true, primary, zerosProtected);
        return Enumerable.Range(0, values.Length).Select(j => shown[0, j]).ToArray();
    }

    /// <summary>
    /// Which inner numbers of a table are shown, its row totals and column totals being shown or hidden as given
    /// (decided before, the same for every table that shares them). Inner numbers from 1 to k - 1 are hidden, and
    /// every number of a row whose total (the group's size) is hidden, then more inner numbers until every row and
    /// column holds the rule (the smallest non-zero first).
    /// </summary>
    public static bool[,] Table(long[,] counts, bool[] rowTotalShown, bool[] columnTotalShown, int k)
    {
        int r = counts.GetLength(0), c = counts.GetLength(1);
        var primary = new bool[r, c];
        for (var i = 0; i < r; i++)
        for (var j = 0; j < c; j++)
        {
            primary[i, j] = !rowTotalShown[i] || (counts[i, j] > 0 && counts[i, j] < k);
        }

        return Table(counts, rowTotalShown, columnTotalShown, k, columnsAreFixedCells: false, primary, zerosProtected: false);
    }

    private static bool[,] Table(long[,] counts, bool[] rowTotalShown, bool[] columnTotalShown, int k, bool columnsAreFixedCells, bool[,] primary, bool zerosProtected)
    {
        int r = counts.GetLength(0), c = counts.GetLength(1);
        var hidden = (bool[,])primary.Clone();

        var lines = new List<((int Row, int Col)[] Cells, bool TotalShown)>();
        for (var i = 0; i < r; i++) lines.Add((Enumerable.Range(0, c).Select(j => (i, j)).ToArray(), rowTotalShown[i]));
        // A line of one table row has no column lines of its own: its numbers are the column totals themselves.
        if (!columnsAreFixedCells)
        {
            for (var j = 0; j < c; j++) lines.Add((Enumerable.Range(0, r).Select(i => (i, j)).ToArray(), columnTotalShown[j]));
        }

        // Hide by the line rules, then audit the whole table; while the audit finds something a reader could work
        // out, hide one more number where it was found and start again.
        while (true)
        {
            ApplyLineRules(counts, hidden, lines, k, zerosProtected);
            if (columnsAreFixedCells) break;
            var (row, col) = TableAudit.Find(counts, hidden, rowTotalShown, columnTotalShown, k);
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
}
