using Google.OrTools.LinearSolver;

namespace Panel.Privacy;

/// <summary>
/// Exact optimal secondary suppression: the mixed-integer model of Fischetti and Salazar-González written out in
/// full (one copy of the attacker's problem per requirement, no cut generation), solved by SCIP through OR-Tools.
/// A binary y per cell says it is hidden (sensitive cells are fixed hidden); per requirement (sensitive cell s,
/// direction, amount p) a change d of the grid keeps every line adding up, moves s by p in its direction, and may
/// move a cell only when it is hidden: -min(p, value - lower bound)·y ≤ d ≤ p·y (no cell needs to move by more than
/// p, see <see cref="ProtectionLp"/>). Minimised: Σ cost·y, the people hidden with the number of cells as tie-break.
/// Linear feasibility per requirement is exactly what the auditor checks, so an optimal answer here is the least
/// hiding any sound suppression of this table can have under that cost.
/// </summary>
internal static class OptimalSuppression
{
    public sealed record Outcome(bool[]? Hidden, bool Optimal);

    public static Outcome Solve(ExtendedTable t, TimeSpan? limit, bool[]? hint = null)
    {
        using var solver = Solver.CreateSolver("SCIP") ?? throw new InvalidOperationException("SCIP is missing from OR-Tools.");
        solver.SetNumThreads(1);
        if (limit is { } l)
        {
            solver.SetTimeLimit((long)Math.Max(1, l.TotalMilliseconds));
        }

        var y = new Variable[t.Count];
        var objective = solver.Objective();
        for (var c = 0; c < t.Count; c++)
        {
            var sensitive = t.IsSensitive(c);
            y[c] = solver.MakeIntVar(sensitive ? 1 : 0, 1, "");
            objective.SetCoefficient(y[c], t.Cost(c));
        }

        objective.SetMinimization();
        foreach (var (cell, direction, amount) in t.Requirements())
        {
            var d = new Variable[t.Count];
            for (var c = 0; c < t.Count; c++)
            {
                var down = Math.Min(amount, t.Values[c] - t.LowerBound(c));
                d[c] = solver.MakeNumVar(-down, amount, "");
                if (t.IsSensitive(c))
                {
                    continue; // hidden anyway: the bounds are all
                }

                var above = solver.MakeConstraint(double.NegativeInfinity, 0, "");
                above.SetCoefficient(d[c], 1);
                above.SetCoefficient(y[c], -amount);
                if (down > 0)
                {
                    var below = solver.MakeConstraint(0, double.PositiveInfinity, "");
                    below.SetCoefficient(d[c], 1);
                    below.SetCoefficient(y[c], down);
                }
            }

            foreach (var line in t.Lines)
            {
                var sum = solver.MakeConstraint(0, 0, "");
                for (var n = 0; n < line.Length; n++)
                {
                    sum.SetCoefficient(d[line[n]], n == line.Length - 1 ? -1 : 1);
                }
            }

            var target = solver.MakeConstraint(amount, double.PositiveInfinity, "");
            target.SetCoefficient(d[cell], direction);
        }

        if (hint is not null)
        {
            solver.SetHint(y, hint.Select(h => h ? 1.0 : 0.0).ToArray());
        }

        using var parameters = new MPSolverParameters();
        parameters.SetDoubleParam(MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, 0);
        var status = solver.Solve(parameters);
        if (status is not (Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE))
        {
            return new Outcome(null, false);
        }

        return new Outcome(y.Select(v => v.SolutionValue() > 0.5).ToArray(), status == Solver.ResultStatus.OPTIMAL);
    }
}
