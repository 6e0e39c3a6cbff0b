using Google.OrTools.LinearSolver;

namespace Panel.Privacy;

/// <summary>
/// The attacker's problem of one protection requirement as a linear program (GLOP): a change d of the grid that keeps
/// every line adding up (a circulation), moves the sensitive cell by the required amount, and leaves every count
/// at or above the lower bound a reader assumes. Hidden cells may change freely; with <c>allowShown</c> shown cells
/// may change too, at their cost per unit, which finds the cheapest cells to hide next (the network-flow heuristic
/// of Kelly, Golden and Assad, and of Castro). The table's lines form a bipartite network, so the program's
/// vertices are whole numbers and no cell needs to move by more than the amount (a conformal cycle decomposition
/// keeps only the cycles through the sensitive cell).
/// </summary>
internal static class ProtectionLp
{
    /// <summary>The change that meets the requirement (cheapest over the shown cells), or null when none exists.</summary>
    public static long[]? Witness(ExtendedTable t, bool[] hidden, int cell, int direction, long amount, bool allowShown)
    {
        using var solver = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("GLOP is missing from OR-Tools.");
        var up = new Variable[t.Count];
        var down = new Variable[t.Count];
        var objective = solver.Objective();
        for (var c = 0; c < t.Count; c++)
        {
            var movable = hidden[c] || allowShown;
            up[c] = solver.MakeNumVar(0, movable ? amount : 0, "");
            down[c] = solver.MakeNumVar(0, movable ? Math.Min(amount, t.Values[c] - t.LowerBound(c)) : 0, "");
            // Hidden cells cost almost nothing, so the cheapest change reuses them, and prefers short cycles.
            var unit = hidden[c] ? 1e-6 : t.Cost(c) / (double)(t.Count + 1);
            objective.SetCoefficient(up[c], unit);
            objective.SetCoefficient(down[c], unit);
        }

        objective.SetMinimization();
        foreach (var line in t.Lines)
        {
            var sum = solver.MakeConstraint(0, 0, "");
            for (var n = 0; n < line.Length; n++)
            {
                var sign = n == line.Length - 1 ? -1 : 1;
                sum.SetCoefficient(up[line[n]], sign);
                sum.SetCoefficient(down[line[n]], -sign);
            }
        }

        var target = solver.MakeConstraint(amount, double.PositiveInfinity, "");
        target.SetCoefficient(up[cell], direction);
        target.SetCoefficient(down[cell], -direction);
        if (solver.Solve() != Solver.ResultStatus.OPTIMAL)
        {
            return null;
        }

        var d = new long[t.Count];
        for (var c = 0; c < t.Count; c++)
        {
            d[c] = (long)Math.Round(up[c].SolutionValue() - down[c].SolutionValue());
        }

        return d;
    }
}
