using Panel.Reporting.PanelComposition;
using Panel.Reporting.PanelHealth;
using Panel.Reporting.Representativeness;

namespace Panel.Reporting.Tests;

/// <summary>
/// Tries to work out hidden panel counts from a representativeness answer, the way a reader could: every number
/// shown is an equation over the unknown table of members by municipality × age band × (woman, man, other), and
/// every share shown with its count gives its base as one more. Exact linear algebra (modulo a large prime) then
/// says which counts the equations pin down, and linear programming (OR-Tools' GLOP) how far every count can move:
/// the reader knows no count is negative and, since zeros are shown, that a hidden published count is at least 1
/// (the attacker is told which are not zero, more than a reader knows). It fails when:
/// <list type="bullet">
/// <item>a shown count is not the true one, or is between 1 and k − 1;</item>
/// <item>a share, ratio or shortfall is shown for a hidden count, or a ratio without its share;</item>
/// <item>a hidden count of the answer (a group, an attribute value, the panel size) can be computed;</item>
/// <item>any count of members by municipality (one or all) × age band (one or all) × gender (woman, man, other,
/// woman or man, any) that can be computed is between 1 and k − 1;</item>
/// <item>any such count between 1 and k − 1 can be shown by the bounds to be below k (its largest possible value
/// is under k): the reader would know the group is small;</item>
/// <item>a total shown minus the parts shown under it (the hidden remainder of a line) is between 1 and k − 1, also
/// two levels down (the panel minus the municipalities shown minus the groups shown in the hidden ones);</item>
/// <item>the under-represented list is ordered by anything but known ratios and then population.</item>
/// </list>
/// Given the composition and the health answer's members by state too, it solves the union of all three: the
/// composition's cells and totals are equations over the same table, and health's active and paused members are two
/// more unknowns that add up to the panel (inPanel is the panel size); pending and withdrawn stand alone.
/// </summary>
/// <param name="States">The true members by state, for the health answer.</param>
public sealed record StateTruth(int Pending, int Active, int Paused, int Withdrawn);

/// <summary>See <see cref="RepresentativenessAttacker.Attack"/>.
/// </summary>
public static class RepresentativenessAttacker
{
    private const long P = 2_147_483_647; // 2^31 − 1

    public static readonly string[] Layers = ["woman", "man", "other"];

    /// <summary>The true members: municipality × age band × layer (0 woman, 1 man, 2 other).</summary>
    public sealed record Truth(IReadOnlyList<string> Municipalities, IReadOnlyList<string> AgeBands, int[,,] Members)
    {
        public long Sum(Func<int, bool> m, Func<int, bool> a, Func<int, bool> l)
        {
            long sum = 0;
            for (var i = 0; i < Municipalities.Count; i++)
            for (var j = 0; j < AgeBands.Count; j++)
            for (var g = 0; g < 3; g++)
            {
                if (m(i) && a(j) && l(g)) sum += Members[i, j, g];
            }

            return sum;
        }
    }

    public static void AssertNothingRevealed(RepresentativenessResponse response, Truth truth, int k)
    {
        var failures = Attack(response, truth, k);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    public static List<string> Attack(
        RepresentativenessResponse r, Truth t, int k,
        PanelCompositionResponse? composition = null, MembersByState? byState = null, StateTruth? states = null)
    {
        var failures = new List<string>();
        // The table's cells, then health's active and paused members.
        int M = t.Municipalities.Count, A = t.AgeBands.Count, cells = M * A * 3, n = cells + 2, active = cells, paused = cells + 1;
        int Var(int m, int a, int g) => (m * A + a) * 3 + g;
        long[] Vector(Func<int, bool> m, Func<int, bool> a, Func<int, bool> g)
        {
            var v = new long[n];
            for (var i = 0; i < M; i++)
            for (var j = 0; j < A; j++)
            for (var l = 0; l < 3; l++)
            {
                if (m(i) && a(j) && g(l)) v[Var(i, j, l)] = 1;
            }

            return v;
        }

        static bool Any(int _) => true;
        static bool Stated(int g) => g < 2;
        var equations = new List<long[]>();
        var hiddenCounts = new List<(string Name, long[] Vector)>();
        // For the bounds: equalities (signed coefficients, value) and hidden counts known to be at least 1.
        var linear = new List<(long[] Vector, long Value)>();
        var atLeastOne = new List<long[]>();

        void Count(string name, int? shown, long[] vector, long truth, bool zerosShown = true)
        {
            if (shown is { } s)
            {
                if (s != truth) failures.Add($"{name} shows {s}, the truth is {truth}");
                if (s > 0 && s < k) failures.Add($"{name} shows {s}, below k = {k}");
                equations.Add(vector);
                linear.Add((vector, s));
            }
            else
            {
                hiddenCounts.Add((name, vector));
                if (zerosShown && truth > 0) atLeastOne.Add(vector);
            }
        }

        void Base(string name, int? count, double? share, long[] baseVector)
        {
            if (share is not null && count is null)
            {
                failures.Add($"{name} shows a share of a hidden count");
                return;
            }

            if (share is { } s && count is { } c && s > 0)
            {
                // The reader learns the base the share is of: count / share.
                var of = (long)Math.Round(c / s);
                var truth = Enumerable.Range(0, cells).Where(i => baseVector[i] != 0).Sum(i => (long)t.Members[i / 3 / A, i / 3 % A, i % 3]);
                if (of != truth) failures.Add($"{name}: a share {s} of {c} is of {of}, the truth is {truth}");
                equations.Add(baseVector);
                linear.Add((baseVector, of));
            }
        }

        var all = Vector(Any, Any, Any);
        Count("panelMembers", r.PanelMembers, all, t.Sum(_ => true, _ => true, _ => true));

        var byName = r.Attributes.ToDictionary(x => x.Attribute);
        Assert.Equal(["municipality", "ageBand", "gender"], r.Attributes.Select(x => x.Attribute));
        foreach (var v in byName["municipality"].Values)
        {
            var m = IndexOf(t.Municipalities, v.Value);
            var vector = Vector(i => i == m, Any, Any);
            Count($"municipality {v.Value}", v.PanelMembers, vector, m < 0 ? 0 : t.Sum(i => i == m, _ => true, _ => true));
            Base($"municipality {v.Value}", v.PanelMembers, v.PanelShare, all);
            CheckDerived($"municipality {v.Value}", v.PanelMembers, v.PanelShare, v.Ratio, v.PopulationShare, null, failures);
        }

        foreach (var v in byName["ageBand"].Values)
        {
            var a = IndexOf(t.AgeBands, v.Value);
            Count($"age band {v.Value}", v.PanelMembers, Vector(Any, j => j == a, Any), a < 0 ? 0 : t.Sum(_ => true, j => j == a, _ => true));
            Base($"age band {v.Value}", v.PanelMembers, v.PanelShare, all);
            CheckDerived($"age band {v.Value}", v.PanelMembers, v.PanelShare, v.Ratio, v.PopulationShare, null, failures);
        }

        Assert.Equal(["woman", "man"], byName["gender"].Values.Select(v => v.Value));
        // Where every gender number is hidden, zeros are hidden too: the reader cannot take them as at least 1.
        // (The panel publishes such lines whole or not at all under 2k; above, the engine protects them with zeros shown.)
        var gendersShown = byName["gender"].Values.Any(v => v.PanelMembers is not null) || r.PanelMembers >= 2 * k;
        foreach (var v in byName["gender"].Values)
        {
            var g = Array.IndexOf(Layers, v.Value);
            Count($"gender {v.Value}", v.PanelMembers, Vector(Any, Any, l => l == g), t.Sum(_ => true, _ => true, l => l == g), gendersShown);
            Base($"gender {v.Value}", v.PanelMembers, v.PanelShare, all);
            CheckDerived($"gender {v.Value}", v.PanelMembers, v.PanelShare, v.Ratio, v.PopulationShare, null, failures);
        }

        foreach (var c in r.Groups)
        {
            int m = IndexOf(t.Municipalities, c.Municipality), a = IndexOf(t.AgeBands, c.AgeBand);
            var truth = m < 0 || a < 0 ? 0 : t.Sum(i => i == m, j => j == a, _ => true);
            Count($"group {c.Municipality}/{c.AgeBand}", c.PanelMembers, Vector(i => i == m, j => j == a, Any), truth);
            Base($"group {c.Municipality}/{c.AgeBand}", c.PanelMembers, c.PanelShare, all);
            CheckDerived($"group {c.Municipality}/{c.AgeBand}", c.PanelMembers, c.PanelShare, c.Ratio, c.PopulationShare, c.Shortfall, failures);
        }

        if (composition is not null)
        {
            var c = composition;
            if (c.Total != r.PanelMembers) failures.Add($"composition total {c.Total} is not panelMembers {r.PanelMembers}");
            Count("composition total", c.Total, all, t.Sum(_ => true, _ => true, _ => true));
            for (var i = 0; i < c.Municipalities.Count; i++)
            {
                var m = IndexOf(t.Municipalities, c.Municipalities[i]);
                var truth = m < 0 ? 0 : t.Sum(x => x == m, _ => true, _ => true);
                Count($"composition municipality {c.Municipalities[i]}", c.MunicipalityTotals[i], Vector(x => x == m, Any, Any), truth);
                for (var j = 0; j < c.AgeBands.Count; j++)
                {
                    var a = IndexOf(t.AgeBands, c.AgeBands[j]);
                    var cell = m < 0 || a < 0 ? 0 : t.Sum(x => x == m, y => y == a, _ => true);
                    Count($"composition cell {c.Municipalities[i]}/{c.AgeBands[j]}", c.Members[i][j], Vector(x => x == m, y => y == a, Any), cell);
                }

                Remainder($"composition municipality {c.Municipalities[i]} vs its cells", c.MunicipalityTotals[i], c.Members[i]);
            }

            for (var j = 0; j < c.AgeBands.Count; j++)
            {
                var a = IndexOf(t.AgeBands, c.AgeBands[j]);
                Count($"composition age band {c.AgeBands[j]}", c.AgeBandTotals[j], Vector(Any, y => y == a, Any), a < 0 ? 0 : t.Sum(_ => true, y => y == a, _ => true));
                Remainder($"composition age band {c.AgeBands[j]} vs its cells", c.AgeBandTotals[j], c.Members.Select(row => row[j]));
            }

            Remainder("composition total vs municipalities", c.Total, c.MunicipalityTotals);
            Remainder("composition total vs age bands", c.Total, c.AgeBandTotals);
        }

        if (byState is not null && states is not null)
        {
            var h = byState;
            if (h.InPanel != r.PanelMembers) failures.Add($"health inPanel {h.InPanel} is not panelMembers {r.PanelMembers}");
            if (states.Active + states.Paused != t.Sum(_ => true, _ => true, _ => true)) failures.Add("the states do not add up to the panel");
            // Known to every reader: active + paused − the panel = 0.
            var identity = (long[])all.Clone();
            for (var i = 0; i < cells; i++) identity[i] = identity[i] == 0 ? 0 : P - 1;
            identity[active] = 1;
            identity[paused] = 1;
            equations.Add(identity);
            var signed = all.Select(x => -x).ToArray();
            signed[active] = 1;
            signed[paused] = 1;
            linear.Add((signed, 0));
            long[] Single(int variable)
            {
                var v = new long[n];
                v[variable] = 1;
                return v;
            }

            Count("health inPanel", h.InPanel, all, t.Sum(_ => true, _ => true, _ => true));
            var statesShown = h.Active is not null || h.Paused is not null || h.InPanel >= 2 * k;
            Count("health active", h.Active, Single(active), states.Active, statesShown);
            Count("health paused", h.Paused, Single(paused), states.Paused, statesShown);
            Remainder("health inPanel vs active and paused", h.InPanel, [h.Active, h.Paused]);
            foreach (var (name, shown, truth) in new[] { ("pending", h.Pending, states.Pending), ("withdrawn", h.Withdrawn, states.Withdrawn) })
            {
                // Shown rounded down to 5 (they are also differences of the monthly flows), and never 1 to k - 1.
                var expected = truth == 0 ? 0 : Panel.Privacy.CountRounding.Publish(truth, k);
                if (shown != expected || (shown > 0 && shown < k)) failures.Add($"health {name} shows {shown}, the truth is {truth} (rounded {expected})");
            }
        }

        var basis = Echelon(equations, n);

        foreach (var (name, vector) in hiddenCounts)
        {
            if (Determined(basis, vector))
            {
                failures.Add($"hidden {name} can be computed from the numbers shown");
            }
        }

        // Every natural count of members that the answer determines must be 0 or at least k.
        var municipalityChoices = Enumerable.Range(0, M).Select(i => ((Func<int, bool>)(x => x == i), t.Municipalities[i]))
            .Append(((Func<int, bool>)Any, "all municipalities")).ToList();
        var ageChoices = Enumerable.Range(0, A).Select(j => ((Func<int, bool>)(x => x == j), t.AgeBands[j]))
            .Append(((Func<int, bool>)Any, "all ages")).ToList();
        var genderChoices = new (Func<int, bool>, string)[]
        {
            (g => g == 0, "woman"), (g => g == 1, "man"), (g => g == 2, "other"), (Stated, "woman or man"), (Any, "any gender"),
        };
        // The attack's own check: the true counts satisfy every equation it read (else its bounds would mean nothing).
        var point = new long[n];
        for (var i = 0; i < cells; i++) point[i] = t.Members[i / 3 / A, i / 3 % A, i % 3];
        if (states is not null) (point[active], point[paused]) = (states.Active, states.Paused);
        var misread = false;
        for (var e = 0; e < linear.Count; e++)
        {
            var sum = 0L;
            for (var i = 0; i < n; i++) sum += linear[e].Vector[i] * point[i];
            if (sum == linear[e].Value) continue;
            misread = true; // a number shown is not the truth, already reported: the bounds would mean nothing
        }

        var bounds = misread ? null : new Bounds(n, linear, atLeastOne);
        foreach (var (mf, mn) in municipalityChoices)
        foreach (var (af, an) in ageChoices)
        foreach (var (gf, gn) in genderChoices)
        {
            var value = t.Sum(mf, af, gf);
            if (value <= 0 || value >= k) continue;
            if (Determined(basis, Vector(mf, af, gf)))
            {
                failures.Add($"{value} members in {mn}, {an}, {gn} can be computed from the numbers shown");
            }
            else if (bounds?.Max(Vector(mf, af, gf)) is { } max && max < k - 1e-6)
            {
                failures.Add($"{value} members in {mn}, {an}, {gn} can be at most {max:0.##} by the numbers shown, below k = {k}");
            }
        }

        if (states is not null)
        {
            foreach (var (name, variable, value) in new[] { ("active", active, states.Active), ("paused", paused, states.Paused) })
            {
                var v = new long[n];
                v[variable] = 1;
                if (value > 0 && value < k && Determined(basis, v)) failures.Add($"{value} {name} members can be computed from the numbers shown");
                else if (value > 0 && value < k && bounds?.Max(v) is { } max && max < k - 1e-6) failures.Add($"{value} {name} members can be at most {max:0.##}, below k = {k}");
            }
        }

        // The hidden remainder of each line: a total shown minus the parts shown under it.
        void Remainder(string line, int? total, IEnumerable<int?> parts)
        {
            if (total is not { } shownTotal) return;
            var remainder = shownTotal - parts.Sum(p => p ?? 0);
            if (remainder > 0 && remainder < k) failures.Add($"{line}: the total minus the parts shown is {remainder}");
        }

        var groupsOf = r.Groups.ToLookup(c => c.Municipality);
        foreach (var v in byName["municipality"].Values)
        {
            Remainder($"municipality {v.Value} vs its groups", v.PanelMembers, groupsOf[v.Value].Select(c => c.PanelMembers));
        }

        var groupsByAge = r.Groups.ToLookup(c => c.AgeBand);
        foreach (var v in byName["ageBand"].Values)
        {
            Remainder($"age band {v.Value} vs its groups", v.PanelMembers, groupsByAge[v.Value].Select(c => c.PanelMembers));
        }

        Remainder("panel vs municipalities", r.PanelMembers, byName["municipality"].Values.Select(v => v.PanelMembers));
        Remainder("panel vs age bands", r.PanelMembers, byName["ageBand"].Values.Select(v => v.PanelMembers));
        Remainder("panel vs genders", r.PanelMembers, byName["gender"].Values.Select(v => v.PanelMembers));
        Remainder("panel vs groups", r.PanelMembers, r.Groups.Select(c => c.PanelMembers));

        // Two levels down: the panel minus the values shown is what the hidden values add up to; minus the groups
        // shown under those, what their hidden groups (and members of other gender) add up to.
        void Family(string family, IEnumerable<(int? Value, IEnumerable<int?> Groups)> values)
        {
            if (r.PanelMembers is not { } total) return;
            var list = values.ToList();
            var hiddenValues = total - list.Sum(v => v.Value ?? 0);
            var hiddenUnder = hiddenValues - list.Where(v => v.Value is null).Sum(v => v.Groups.Sum(g => g ?? 0));
            if (hiddenValues > 0 && hiddenValues < k) failures.Add($"panel minus the {family} shown is {hiddenValues}");
            if (hiddenUnder > 0 && hiddenUnder < k) failures.Add($"panel minus the {family} shown minus the groups shown under the hidden ones is {hiddenUnder}");
        }

        Family("municipalities", byName["municipality"].Values.Select(v => (v.PanelMembers, groupsOf[v.Value].Select(c => c.PanelMembers))));
        Family("age bands", byName["ageBand"].Values.Select(v => (v.PanelMembers, groupsByAge[v.Value].Select(c => c.PanelMembers))));
        Family("genders", byName["gender"].Values.Select(v => (v.PanelMembers, Enumerable.Empty<int?>())));

        CheckUnderRepresented(r, failures);
        return failures;
    }

    private static void CheckDerived(string name, int? count, double? share, double? ratio, double populationShare, int? shortfall, List<string> failures)
    {
        if (count is null && (share is not null || ratio is not null || shortfall is not null))
        {
            failures.Add($"{name} hides its count but shows a share, ratio or shortfall");
        }

        if (ratio is not null && share is null)
        {
            failures.Add($"{name} shows a ratio without its share");
        }

        if (ratio is { } q && share is { } s && Math.Abs(q * populationShare - s) > 1e-9)
        {
            failures.Add($"{name}: ratio {q} is not share {s} / population share {populationShare}");
        }
    }

    /// <summary>Known shortfalls above 0 first, the largest first; then the groups whose shortfall is not shown, largest population first.</summary>
    private static void CheckUnderRepresented(RepresentativenessResponse r, List<string> failures)
    {
        var list = r.UnderRepresented;
        if (list.Count > 10) failures.Add("more than 10 under-represented groups");
        var firstUnknown = list.ToList().FindIndex(g => g.Shortfall is null);
        for (var i = 0; i < list.Count; i++)
        {
            var g = list[i];
            if (g.PopulationShare <= 0) failures.Add($"under-represented {g.Municipality}/{g.AgeBand} has no residents");
            if (g.Shortfall is 0) failures.Add($"under-represented {g.Municipality}/{g.AgeBand} lacks nobody");
            if (firstUnknown >= 0 && i > firstUnknown && g.Shortfall is not null) failures.Add("a known shortfall is listed after a hidden one");
            if (i > 0 && list[i - 1].Shortfall is { } before && g.Shortfall is { } now && now > before) failures.Add("known shortfalls are not in order");
            if (i > 0 && list[i - 1].Shortfall is null && g.Shortfall is null && g.Population > list[i - 1].Population)
            {
                failures.Add("groups with hidden ratios are not ordered by population");
            }
        }

        var knownBelowOne = r.Groups.Count(g => g.Shortfall is > 0 && g.PopulationShare > 0);
        var hidden = r.Groups.Count(g => g.Shortfall is null && g.PopulationShare > 0);
        if (list.Count != Math.Min(10, knownBelowOne + hidden)) failures.Add($"{list.Count} under-represented groups listed, expected {Math.Min(10, knownBelowOne + hidden)}");
    }

    /// <summary>The largest value a count can take while every number shown holds (a linear programme).</summary>
    private sealed class Bounds(int n, List<(long[] Vector, long Value)> equalities, List<long[]> atLeastOne)
    {
        public double Max(long[] objective)
        {
            using var solver = Google.OrTools.LinearSolver.Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("GLOP is not available.");
            // A cap far above any panel keeps the programme bounded (GLOP's presolve may call an unbounded one infeasible).
            var x = Enumerable.Range(0, n).Select(i => solver.MakeNumVar(0, 1e7, $"x{i}")).ToArray();
            void Row(long[] vector, double low, double high)
            {
                var row = solver.MakeConstraint(low, high);
                for (var i = 0; i < n; i++) if (vector[i] != 0) row.SetCoefficient(x[i], vector[i]);
            }

            foreach (var (vector, value) in equalities) Row(vector, value, value);
            foreach (var vector in atLeastOne) Row(vector, 1, 1e9);
            var goal = solver.Objective();
            for (var i = 0; i < n; i++) if (objective[i] != 0) goal.SetCoefficient(x[i], objective[i]);
            goal.SetMaximization();
            return solver.Solve() switch
            {
                Google.OrTools.LinearSolver.Solver.ResultStatus.OPTIMAL => goal.Value(),
                var status => throw new InvalidOperationException($"The bounds were not solved: {status}."),
            };
        }
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value) return i;
        }

        return -1;
    }

    private static List<(int Pivot, long[] Row)> Echelon(List<long[]> equations, int n)
    {
        var basis = new List<(int Pivot, long[] Row)>();
        foreach (var equation in equations)
        {
            var row = Reduce(basis, (long[])equation.Clone());
            var pivot = Array.FindIndex(row, x => x != 0);
            if (pivot < 0) continue;
            var inverse = Inverse(row[pivot]);
            for (var i = 0; i < n; i++) row[i] = row[i] * inverse % P;
            // Keep the basis fully reduced so that reducing a vector is one pass.
            for (var b = 0; b < basis.Count; b++)
            {
                var other = basis[b].Row;
                var factor = other[pivot];
                if (factor == 0) continue;
                for (var i = 0; i < n; i++) other[i] = Mod(other[i] - factor * row[i]);
            }

            basis.Add((pivot, row));
        }

        return basis;
    }

    private static long[] Reduce(List<(int Pivot, long[] Row)> basis, long[] v)
    {
        foreach (var (pivot, row) in basis)
        {
            var factor = v[pivot];
            if (factor == 0) continue;
            for (var i = 0; i < v.Length; i++) v[i] = Mod(v[i] - factor * row[i]);
        }

        return v;
    }

    private static bool Determined(List<(int Pivot, long[] Row)> basis, long[] vector) =>
        Reduce(basis, (long[])vector.Clone()).All(x => x == 0);

    private static long Mod(long x) => ((x % P) + P) % P;

    private static long Inverse(long a)
    {
        long result = 1, b = Mod(a), e = P - 2;
        while (e > 0)
        {
            if ((e & 1) == 1) result = result * b % P;
            b = b * b % P;
            e >>= 1;
        }

        return result;
    }
}
