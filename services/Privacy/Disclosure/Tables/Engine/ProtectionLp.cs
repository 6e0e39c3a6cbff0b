using Google.OrTools.Graph;

namespace Panel.Privacy;

/// <summary>
/// The attacker's problem of one protection requirement, solved as a min-cost flow (OR-Tools): a change d of the grid
/// that keeps every line adding up, moves the sensitive cell by the required amount, and leaves every count at or
/// above the lower bound a reader assumes. Hidden cells may change freely; with <c>allowShown</c> cells that may be
/// hidden change too, at their cost per unit, which finds the cheapest cells to hide next (the network-flow heuristic
/// of Kelly, Golden and Assad, and of Castro).
/// <para>
/// Why a flow: give every cell (i, j) of the (rows + 1) × (columns + 1) grid the sign +1 when it is an inner cell or
/// the grand total and -1 when it is a row or column total, and write e = sign · d. Then every row and every column
/// of e adds up to 0: e is a circulation on the bipartite graph of the grid's rows and columns, a unit of e on cell
/// (i, j) being a unit of flow from row i to column j (or back when negative). Moving the sensitive cell is sending
/// the amount around a cycle through its arc; the rest of the cycle is a flow between its row and its column over
/// the other cells' arcs. A network's optimal flows are whole numbers, so the answer is exact.
/// </para>
/// </summary>
internal static class ProtectionLp
{
    /// <summary>The change that meets the requirement (cheapest over the cells not yet hidden), or null when none exists.</summary>
    public static long[]? Witness(ExtendedTable t, bool[] hidden, int cell, int direction, long amount, bool allowShown)
    {
        var flow = new MinCostFlow();
        // A cell not yet hidden costs far more per unit than any path through hidden cells can add up to.
        var shownScale = (long)t.Count * amount + 1;
        var arcs = new List<(int Cell, int Arc, int Orientation)>(t.Count * 2);
        foreach (var (c, tail, head, capacity, orientation) in t.Arcs(cell, amount, c => hidden[c] || (allowShown && t.MayHide(c))))
        {
            arcs.Add((c, flow.AddArcWithCapacityAndUnitCost(tail, head, capacity, hidden[c] ? 1 : t.Cost(c) * shownScale), orientation));
        }

        var (source, sink) = t.Ends(cell, direction);
        flow.SetNodeSupply(source, amount);
        flow.SetNodeSupply(sink, -amount);
        if (flow.Solve() != MinCostFlowBase.Status.OPTIMAL)
        {
            return null;
        }

        var d = new long[t.Count];
        d[cell] = direction * amount;
        foreach (var (c, arc, orientation) in arcs)
        {
            d[c] += t.Sign(c) * orientation * flow.Flow(arc);
        }

        return d;
    }
}
