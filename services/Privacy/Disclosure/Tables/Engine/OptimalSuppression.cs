using System.Diagnostics;
using Google.OrTools.Graph;
using Google.OrTools.Sat;

namespace Panel.Privacy;

/// <summary>
/// Exact optimal secondary suppression: the model of Fischetti and Salazar-González solved the way they do, by
/// generating its capacity constraints (Benders cuts) as they are needed instead of writing out one copy of the
/// attacker's problem per requirement (that full model stalled SCIP for minutes on a table of 8 × 29 with 111 small
/// counts).
/// <para>
/// A binary y per cell says it is hidden (small counts and cells fixed hidden are 1, cells fixed shown 0). The master
/// problem (CP-SAT) minimises Σ cost·y, the people hidden with the number of cells as tie-break, subject to the cuts
/// found so far. For a master answer, each requirement (sensitive cell, direction, amount) is checked as a maximum
/// flow over the hidden cells (see <see cref="ProtectionLp"/> for why the table is a network); when the flow falls
/// short of the amount, the minimum cut S gives the constraint Σ over the cells whose arc leaves S of
/// capacity · y ≥ amount, which every sound suppression meets (max-flow min-cut) and the current answer does not.
/// When no requirement is short the master's optimum is the optimum of the whole problem; the master's optimum is
/// always a lower bound on it, which the benchmark uses when the time limit ends first.
/// </para>
/// </summary>
internal static class OptimalSuppression
{
    /// <summary>The answer (null when none was found), whether it is proved optimal, and the best lower bound on the cost.</summary>
    public sealed record Outcome(bool[]? Hidden, bool Optimal, long LowerBound);

    /// <summary>
    /// Solves for the requirements given (all of the table's when null; the caller leaves out those no choice can
    /// meet, see <see cref="HeuristicSuppression"/>). A hint that meets them bounds the search from above.
    /// </summary>
    public static Outcome Solve(ExtendedTable t, TimeSpan? limit, bool[]? hint = null, IEnumerable<(int Cell, int Direction, long Amount)>? requirements = null)
    {
        var started = Stopwatch.GetTimestamp();
        var requirementList = (requirements ?? t.Requirements()).ToList();
        var model = new CpModel();
        var y = new BoolVar?[t.Count];
        var fixedCost = 0L;
        var free = new List<int>();
        for (var c = 0; c < t.Count; c++)
        {
            if (t.MustHide(c))
            {
                fixedCost += t.Cost(c);
            }
            else if (t.MayHide(c))
            {
                y[c] = model.NewBoolVar("");
                free.Add(c);
            }
        }

        var current = new bool[t.Count];
        for (var c = 0; c < t.Count; c++)
        {
            current[c] = t.MustHide(c);
        }

        var objective = LinearExpr.WeightedSum(free.Select(c => (IntVar)y[c]!), free.Select(t.Cost));
        model.Minimize(objective);
        bool[]? best = null;
        if (hint is not null && requirementList.All(r => Separate(t, hint, r) is null))
        {
            best = hint;
            foreach (var c in free)
            {
                model.AddHint(y[c]!, hint[c] ? 1 : 0);
            }

            model.Add(objective <= Cost(t, hint) - fixedCost);
        }

        var lower = fixedCost;
        while (true)
        {
            var cuts = 0;
            foreach (var requirement in requirementList)
            {
                if (Separate(t, current, requirement) is not { } cut)
                {
                    continue;
                }

                var constant = cut.Where(a => y[a.Cell] is null).Sum(a => a.Capacity);
                var need = requirement.Amount - constant;
                var terms = cut.Where(a => y[a.Cell] is not null).ToList();
                if (need <= 0 || terms.Count == 0)
                {
                    // The cells that must be hidden already carry the amount across this cut, or nothing can: either
                    // way the answer cannot be completed. Not expected for requirements the heuristic met.
                    return new Outcome(best, false, lower);
                }

                model.Add(LinearExpr.WeightedSum(terms.Select(a => (IntVar)y[a.Cell]!), terms.Select(a => Math.Min(a.Capacity, need))) >= need);
                cuts++;
            }

            if (cuts == 0)
            {
                return new Outcome(current, true, Cost(t, current));
            }

            var left = limit is { } l ? l - Stopwatch.GetElapsedTime(started) : (TimeSpan?)null;
            if (left is { } remaining && remaining <= TimeSpan.Zero)
            {
                return new Outcome(best, false, lower);
            }

            var solver = new CpSolver
            {
                StringParameters = left is { } r
                    ? FormattableString.Invariant($"num_workers:1 max_time_in_seconds:{Math.Max(0.001, r.TotalSeconds)}")
                    : "num_workers:1",
            };
            var status = solver.Solve(model);
            if (status == CpSolverStatus.Optimal)
            {
                lower = Math.Max(lower, fixedCost + (long)Math.Round(solver.ObjectiveValue));
                foreach (var c in free)
                {
                    current[c] = solver.BooleanValue(y[c]!);
                }
            }
            else
            {
                if (status == CpSolverStatus.Feasible)
                {
                    lower = Math.Max(lower, fixedCost + (long)Math.Ceiling(solver.BestObjectiveBound - 1e-6));
                }

                return new Outcome(best, false, lower);
            }
        }
    }

    /// <summary>
    /// Null when the hidden cells meet the requirement; else the arcs leaving the minimum cut: every cell that may
    /// be hidden whose arc crosses the cut from the source's side, with that arc's capacity when hidden.
    /// </summary>
    private static List<(int Cell, long Capacity)>? Separate(ExtendedTable t, bool[] hidden, (int Cell, int Direction, long Amount) requirement)
    {
        var (cell, direction, amount) = requirement;
        var (source, sink) = t.Ends(cell, direction);
        // Every arc a hidden cell could carry, with its capacity; those of cells not hidden get capacity 0 in the flow.
        var arcs = t.Arcs(cell, amount, c => t.MustHide(c) || t.MayHide(c)).ToList();
        var nodes = t.Nodes;
        var flow = new MaxFlow();
        var ids = new int[arcs.Count];
        for (var a = 0; a < arcs.Count; a++)
        {
            ids[a] = flow.AddArcWithCapacity(arcs[a].Tail, arcs[a].Head, hidden[arcs[a].Cell] ? arcs[a].Capacity : 0);
        }

        if (flow.Solve(source, sink) != MaxFlow.Status.OPTIMAL)
        {
            throw new InvalidOperationException("The maximum flow of a protection requirement was not solved.");
        }

        if (flow.OptimalFlow() >= amount)
        {
            return null;
        }

        // The source's side of a minimum cut: the nodes the residual network reaches from the source.
        var adjacency = new List<(int To, long Residual)>[nodes];
        for (var n = 0; n < nodes; n++) adjacency[n] = [];
        for (var a = 0; a < arcs.Count; a++)
        {
            var capacity = hidden[arcs[a].Cell] ? arcs[a].Capacity : 0;
            var used = flow.Flow(ids[a]);
            adjacency[arcs[a].Tail].Add((arcs[a].Head, capacity - used));
            adjacency[arcs[a].Head].Add((arcs[a].Tail, used));
        }

        var reached = new bool[nodes];
        var queue = new Queue<int>();
        reached[source] = true;
        queue.Enqueue(source);
        while (queue.TryDequeue(out var node))
        {
            foreach (var (to, residual) in adjacency[node])
            {
                if (residual > 0 && !reached[to])
                {
                    reached[to] = true;
                    queue.Enqueue(to);
                }
            }
        }

        return arcs.Where(a => reached[a.Tail] && !reached[a.Head]).Select(a => (a.Cell, a.Capacity)).ToList();
    }

    private static long Cost(ExtendedTable t, bool[] hidden) => Enumerable.Range(0, t.Count).Where(c => hidden[c]).Sum(t.Cost);
}
