namespace Panel.Privacy;

/// <summary>
/// The fast path: for each protection requirement that the cells hidden so far do not meet, hide the cells of the
/// cheapest change that meets it (<see cref="ProtectionLp"/>, people first, then cells); then try to show again
/// every cell hidden to protect another, the most costly first, keeping it shown when every requirement is still
/// met. Every requirement keeps a witness (a change through hidden cells only), so showing a cell needs a new
/// check only of the requirements whose witness moved that cell.
/// </summary>
internal static class HeuristicSuppression
{
    public static bool[] Run(ExtendedTable t)
    {
        var hidden = new bool[t.Count];
        foreach (var s in t.Sensitive)
        {
            hidden[s] = true;
        }

        var requirements = t.Requirements().OrderByDescending(r => r.Amount).ThenBy(r => r.Cell).ToList();
        var witnesses = new long[requirements.Count][];
        for (var n = 0; n < requirements.Count; n++)
        {
            var (cell, direction, amount) = requirements[n];
            var witness = ProtectionLp.Witness(t, hidden, cell, direction, amount, allowShown: false)
                ?? ProtectionLp.Witness(t, hidden, cell, direction, amount, allowShown: true)
                ?? throw new InvalidOperationException("A requirement no change of the table meets."); // the cell, its totals and the grand total always do
            for (var c = 0; c < t.Count; c++)
            {
                if (witness[c] != 0)
                {
                    hidden[c] = true;
                }
            }

            witnesses[n] = witness;
        }

        var secondary = Enumerable.Range(0, t.Count).Where(c => hidden[c] && !t.IsSensitive(c))
            .OrderByDescending(t.Cost).ToList();
        foreach (var cell in secondary)
        {
            hidden[cell] = false;
            var replaced = new List<(int Requirement, long[] Witness)>();
            var kept = true;
            for (var n = 0; n < requirements.Count && kept; n++)
            {
                if (witnesses[n][cell] == 0)
                {
                    continue;
                }

                var (s, direction, amount) = requirements[n];
                var witness = ProtectionLp.Witness(t, hidden, s, direction, amount, allowShown: false);
                if (witness is null)
                {
                    kept = false;
                }
                else
                {
                    replaced.Add((n, witnesses[n]));
                    witnesses[n] = witness;
                }
            }

            if (!kept)
            {
                hidden[cell] = true;
                foreach (var (n, witness) in replaced)
                {
                    witnesses[n] = witness;
                }
            }
        }

        return hidden;
    }
}
