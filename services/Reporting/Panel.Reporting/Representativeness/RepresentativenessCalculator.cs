using Panel.Privacy;

namespace Panel.Reporting.Representativeness;

/// <summary>Panel members (Active and Paused) of one municipality, age band and gender as the read model holds them.</summary>
/// <param name="Gender">woman, man, other, unspecified, or "" when not given.</param>
public readonly record struct PanelMembersCount(string Municipality, string AgeBand, string Gender, int Members);

/// <summary>Residents of one municipality, age band and gender (woman or man) in the population reference.</summary>
public readonly record struct PopulationCount(string Municipality, string AgeBand, string Gender, long Population);

/// <summary>
/// Compares the panel with the population reference, with small counts suppressed (DESIGN.md section 5, rule 4).
///
/// <para><b>Who counts where.</b> Panel members are Active and Paused members. Members who said other or prefer
/// not to say, or gave no gender, count in the municipality and age band values (and the panel size), but not in
/// the gender values or the groups: population statistics have women and men only, so gender and group shares
/// are of the members who said woman or man.</para>
///
/// <para><b>How suppression works here.</b> First, one table of panel members is suppressed as a whole by
/// <see cref="SmallCountSuppression"/> (primary and complementary): rows are the municipalities, columns are each
/// age band split three ways — woman, man, and "other". Its row totals are the municipality values, its woman and
/// man cells the groups, its grand total the panel size; an age band's or a gender's value is shown only when
/// every column total it adds up is shown. The "other" cells are not shown here; they are in the table so that a
/// municipality's members minus its groups, which a reader can compute, is protected like any other number. The
/// panel composition, published from the same audited numbers (<see cref="Publish"/>), shows a municipality × age
/// band cell only where its woman, man and "other" numbers are all shown in the table, and the audit counts those
/// "other" numbers as known.
/// Then <see cref="PublishedPanel"/> checks the lines of the answer itself (a value against its groups, the
/// panel against its values and, under the hidden ones, their groups), hides more where one would give away
/// fewer than k, and shows a value that is the only unknown of a line (it says nothing new). A share, ratio or
/// shortfall is shown only when every count it is computed from is shown.</para>
///
/// <para>The tests attack the answer with exact linear algebra: no hidden count of the answer, and no count of
/// members by municipality, age band and gender (or their totals) under k, can be computed from it. Sums of
/// hidden numbers that lie in different lines are protected only as far as the line rules reach.</para>
/// </summary>
public static class RepresentativenessCalculator
{
    public const string Woman = "woman";
    public const string Man = "man";
    public const int MaxUnderRepresented = 10;

    private static readonly string[] Layers = [Woman, Man, "other"];

    public static RepresentativenessResponse Compute(
        int k, ReferenceHeader? reference, IReadOnlyList<PopulationCount> population, IReadOnlyList<PanelMembersCount> panel)
    {
        var published = Publish(k, reference is null ? [] : population, panel);
        if (reference is null)
        {
            return new RepresentativenessResponse(k, null, published.Total, [], [], []);
        }

        var municipalities = published.Municipalities;
        var ageBands = published.AgeBands;
        var mIndex = municipalities.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i, StringComparer.Ordinal);
        var aIndex = ageBands.Select((a, i) => (a, i)).ToDictionary(x => x.a, x => x.i, StringComparer.Ordinal);
        int M = municipalities.Count, A = ageBands.Count;
        var shown = published.Shown;
        int? panelMembers = shown.Total;
        var byMunicipality = shown.Municipalities;
        var byAgeBand = shown.AgeBands;
        var byGender = shown.Genders;
        int? Group(int m, int a, int g) => shown.Groups[m, a, g];

        // Members who said woman or man: the base of the gender and group shares.
        int? statedGender = byGender[0] is { } w && byGender[1] is { } mn ? w + mn : null;

        // The population: public statistics, never suppressed.
        var pop = new long[M, A, 2];
        foreach (var p in population)
        {
            var g = p.Gender == Woman ? 0 : p.Gender == Man ? 1 : -1;
            if (g >= 0)
            {
                pop[mIndex[p.Municipality], aIndex[p.AgeBand], g] += p.Population;
            }
        }

        long popTotal = 0;
        var popMunicipality = new long[M];
        var popAgeBand = new long[A];
        var popGender = new long[2];
        for (var m = 0; m < M; m++)
        {
            for (var a = 0; a < A; a++)
            {
                for (var g = 0; g < 2; g++)
                {
                    popTotal += pop[m, a, g];
                    popMunicipality[m] += pop[m, a, g];
                    popAgeBand[a] += pop[m, a, g];
                    popGender[g] += pop[m, a, g];
                }
            }
        }

        double PopulationShare(long n) => popTotal == 0 ? 0 : (double)n / popTotal;

        var attributes = new List<AttributeComparison>
        {
            new("municipality", Enumerable.Range(0, M)
                .Select(m => Share(municipalities[m], byMunicipality[m], panelMembers, popMunicipality[m], PopulationShare(popMunicipality[m])))
                .ToList()),
            new("ageBand", Enumerable.Range(0, A)
                .Select(a => Share(ageBands[a], byAgeBand[a], panelMembers, popAgeBand[a], PopulationShare(popAgeBand[a])))
                .ToList()),
            new("gender", Enumerable.Range(0, 2)
                .Select(g => Share(Layers[g], byGender[g], statedGender, popGender[g], PopulationShare(popGender[g])))
                .ToList()),
        };

        var groups = new List<GroupComparison>(M * A * 2);
        for (var m = 0; m < M; m++)
        {
            for (var a = 0; a < A; a++)
            {
                for (var g = 0; g < 2; g++)
                {
                    var count = Group(m, a, g);
                    var s = PopulationShare(pop[m, a, g]);
                    double? share = count is { } c && statedGender is { } d && d > 0 ? (double)c / d : null;
                    groups.Add(new GroupComparison(
                        municipalities[m], ageBands[a], Layers[g], count, share, pop[m, a, g], s,
                        Ratio(share, s), share is null ? null : Shortfall(count!.Value, statedGender!.Value, s)));
                }
            }
        }

        return new RepresentativenessResponse(
            k, new ReferenceInfo(reference.Version, reference.PublishedAt, popTotal), panelMembers, attributes, groups, UnderRepresented(groups));
    }

    /// <summary>
    /// The panel counts suppressed and audited once, for every panel endpoint (composition, health, representativeness).
    /// Rows are the municipalities of the population and of the members; columns each age band's woman, man, other.
    /// </summary>
    public static PanelPublication Publish(int k, IReadOnlyList<PopulationCount> population, IReadOnlyList<PanelMembersCount> panel)
    {
        // A count is briefly negative only while events arrive out of order.
        var members = panel.Where(p => p.Members > 0).ToList();
        var municipalities = population.Select(p => p.Municipality).Concat(members.Select(p => p.Municipality))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        var ageBands = population.Select(p => p.AgeBand).Concat(members.Select(p => p.AgeBand))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        var mIndex = municipalities.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i, StringComparer.Ordinal);
        var aIndex = ageBands.Select((a, i) => (a, i)).ToDictionary(x => x.a, x => x.i, StringComparer.Ordinal);
        int M = municipalities.Count, A = ageBands.Count;

        // The panel table: rows municipalities; columns age band × (woman, man, other).
        var counts = new int[M, A, 3];
        foreach (var p in members)
        {
            var layer = p.Gender == Woman ? 0 : p.Gender == Man ? 1 : 2;
            counts[mIndex[p.Municipality], aIndex[p.AgeBand], layer] += p.Members;
        }

        var grid = new int[M, A * 3];
        for (var m = 0; m < M; m++)
        for (var a = 0; a < A; a++)
        for (var l = 0; l < 3; l++)
        {
            grid[m, a * 3 + l] = counts[m, a, l];
        }

        var columns = ageBands.SelectMany(a => Layers.Select(l => $"{a}/{l}")).ToList();
        return new PanelPublication(municipalities, ageBands, new PublishedPanel(counts, LineRuleSuppression.Suppress(municipalities, columns, grid, k), k));
    }

    /// <summary>
    /// The groups to recruit more of (issue 13: ranked by how many members they lack). First the groups whose
    /// shortfall is known and above 0, the most members to recruit first (the shortfall is worked out from shown
    /// counts only, so it is as safe as they are). Then, while there is room, the groups with residents whose panel
    /// number is hidden (or whose share cannot be shown), largest population first. A hidden group's shortfall is
    /// unknown, and it may be hidden because it is small or only to protect another group, so it is not ranked
    /// against known ones: where it stood would say something about its count. Its place depends on published
    /// numbers alone (which groups are hidden, and the population), so the ordering reveals nothing the rest of the
    /// answer does not.
    /// </summary>
    private static List<GroupComparison> UnderRepresented(List<GroupComparison> groups)
    {
        var known = groups
            .Where(g => g.Shortfall is > 0 && g.PopulationShare > 0)
            .OrderByDescending(g => g.Shortfall)
            .ThenBy(g => g.Ratio)
            .ThenByDescending(g => g.Population)
            .ThenBy(g => g.Municipality, StringComparer.Ordinal).ThenBy(g => g.AgeBand, StringComparer.Ordinal).ThenBy(g => g.Gender, StringComparer.Ordinal);
        var unknown = groups
            .Where(g => g.Shortfall is null && g.PopulationShare > 0)
            .OrderByDescending(g => g.Population)
            .ThenBy(g => g.Municipality, StringComparer.Ordinal).ThenBy(g => g.AgeBand, StringComparer.Ordinal).ThenBy(g => g.Gender, StringComparer.Ordinal);
        return known.Concat(unknown).Take(MaxUnderRepresented).ToList();
    }

    private static ShareComparison Share(string value, int? count, int? of, long population, double populationShare)
    {
        double? share = count is { } c && of is { } total && total > 0 ? (double)c / total : null;
        return new ShareComparison(value, count, share, population, populationShare, Ratio(share, populationShare));
    }

    private static double? Ratio(double? panelShare, double populationShare) =>
        panelShare is { } p && populationShare > 0 ? p / populationShare : null;

    /// <summary>
    /// How many members the group needs to reach its population share, the recruits counting in the base too:
    /// the least x with (count + x) / (of + x) ≥ share, i.e. x ≥ (share·of − count) / (1 − share).
    /// A group that is the whole population has nothing to reach by recruiting alone: 0.
    /// </summary>
    private static int Shortfall(int count, int of, double share)
    {
        if (share >= 1)
        {
            return 0;
        }

        var needed = (share * of - count) / (1 - share);
        // Tolerance for rounding: a group exactly at its share needs nobody.
        return needed <= 1e-9 ? 0 : (int)Math.Min(int.MaxValue, Math.Ceiling(needed - 1e-9));
    }
}
