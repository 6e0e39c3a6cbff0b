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
    /// <summary>
    /// The cells to hide, and the requirements no choice can meet (only possible when cells are fixed shown: with
    /// every total free, the cell, its totals and the grand total always meet a requirement).
    /// </summary>
    public static (bool[] Hidden, IReadOnlyList<(int Cell, int Direction, long Amount)> Unmet) Run(ExtendedTable t)
    {
        var hidden = new bool[t.Count];
        for (var c = 0; c < t.Count; c++)
        {
            hidden[c] = t.MustHide(c);
        }

        var all = t.Requirements().OrderByDescending(r => r.Amount).ThenBy(r => r.Cell).ToList();
        var requirements = new List<(int Cell, int Direction, long Amount)>(all.Count);
        var unmet = new List<(int Cell, int Direction, long Amount)>();
        var witnesses = new List<long[]>(all.Count);
        foreach (var requirement in all)
        {
            var (cell, direction, amount) = requirement;
            var witness = ProtectionLp.Witness(t, hidden, cell, direction, amount, allowShown: false)
                ?? ProtectionLp.Witness(t, hidden, cell, direction, amount, allowShown: true);
            if (witness is null)
            {
                unmet.Add(requirement);
                continue;
            }

            requirements.Add(requirement);
            for (var c = 0; c < t.Count; c++)
            {
                if (witness[c] != 0)
                {
                    hidden[c] = true;
                }
            }

            witnesses.Add(witness);
        }

        var secondary = Enumerable.Range(0, t.Count).Where(c => hidden[c] && t.MayHide(c))
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

        return (hidden, unmet);
    }
}
