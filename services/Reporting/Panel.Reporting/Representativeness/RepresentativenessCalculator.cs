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
/// <para><b>Who counts where.</b> Panel members are Active and Paused members. Every share is of all panel members:
/// a municipality's, an age band's, a group's (municipality × age band) and a gender's. Population statistics have
/// women and men only, so the panel's women and men are compared with them and the members who said another gender
/// or nothing count in the panel size (their share is the difference; a few percent in practice).</para>
///
/// <para><b>How suppression works here.</b> The numbers are those of <see cref="PanelPublication"/>, decided once by
/// the engine for every panel endpoint: members by municipality × age band with its margins, and members by gender
/// adding up to the panel size. A share, ratio or shortfall is shown only when every count it is computed from is
/// shown, so it says nothing the counts do not.</para>
///
/// <para>The tests attack the answer together with the composition and health answers: exact linear algebra finds
/// nothing hidden that can be computed, and linear programming bounds every count of members by municipality, age
/// band and gender that is between 1 and k − 1: none can be narrowed below k.</para>
/// </summary>
public static class RepresentativenessCalculator
{
    public const string Woman = "woman";
    public const string Man = "man";
    public const int MaxUnderRepresented = 10;

    /// <summary>The gender numbers published: woman, man, and other or not given (<c>other</c>).</summary>
    public static readonly IReadOnlyList<string> GenderLayers = [Woman, Man, "other"];

    /// <summary>The engine's settings for the panel tables: a county's municipalities × 8 age bands solve exactly in far less.</summary>
    private static readonly SuppressionOptions Options = new(ExactTimeBudget: TimeSpan.FromSeconds(1));

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
        int? panelMembers = published.Total;

        // The population: public statistics, never suppressed.
        var pop = new long[M, A];
        var popGender = new long[2];
        foreach (var p in population)
        {
            pop[mIndex[p.Municipality], aIndex[p.AgeBand]] += p.Population;
            if (p.Gender == Woman) popGender[0] += p.Population;
            else if (p.Gender == Man) popGender[1] += p.Population;
        }

        long popTotal = 0;
        var popMunicipality = new long[M];
        var popAgeBand = new long[A];
        for (var m = 0; m < M; m++)
        {
            for (var a = 0; a < A; a++)
            {
                popTotal += pop[m, a];
                popMunicipality[m] += pop[m, a];
                popAgeBand[a] += pop[m, a];
            }
        }

        double PopulationShare(long n) => popTotal == 0 ? 0 : (double)n / popTotal;
        ShareComparison Value(string value, int? count, long population) =>
            Share(value, count, panelMembers, population, PopulationShare(population));

        var attributes = new List<AttributeComparison>
        {
            new("municipality", Enumerable.Range(0, M).Select(m => Value(municipalities[m], published.Municipality(m), popMunicipality[m])).ToList()),
            new("ageBand", Enumerable.Range(0, A).Select(a => Value(ageBands[a], published.AgeBand(a), popAgeBand[a])).ToList()),
            new("gender", Enumerable.Range(0, 2).Select(g => Value(GenderLayers[g], published.Genders[g], popGender[g])).ToList()),
        };

        var groups = new List<GroupComparison>(M * A);
        for (var m = 0; m < M; m++)
        {
            for (var a = 0; a < A; a++)
            {
                var count = published.Cell(m, a);
                var s = PopulationShare(pop[m, a]);
                double? share = count is { } c && panelMembers is { } d && d > 0 ? (double)c / d : null;
                groups.Add(new GroupComparison(
                    municipalities[m], ageBands[a], count, share, pop[m, a], s,
                    Ratio(share, s), share is null ? null : Shortfall(count!.Value, panelMembers!.Value, s)));
            }
        }

        return new RepresentativenessResponse(
            k, new ReferenceInfo(reference.Version, reference.PublishedAt, popTotal), panelMembers, attributes, groups, UnderRepresented(groups));
    }

    /// <summary>
    /// The panel counts suppressed once, for every panel endpoint (composition, health, representativeness): rows the
    /// municipalities of the population and of the members, columns the age bands; and the members by gender.
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

        var grid = new int[municipalities.Count, ageBands.Count];
        var genders = new int[GenderLayers.Count];
        foreach (var p in members)
        {
            grid[mIndex[p.Municipality], aIndex[p.AgeBand]] += p.Members;
            genders[p.Gender == Woman ? 0 : p.Gender == Man ? 1 : 2] += p.Members;
        }

        var composition = SmallCountSuppression.Suppress(municipalities, ageBands, grid, k, Options);
        return new PanelPublication(municipalities, ageBands, composition, PublishLine(genders, composition.Total, k));
    }

    /// <summary>
    /// Parts of the panel that add up to it (its genders, its active and paused members), published as one line of the
    /// engine with the panel size fixed as the composition shows it (<see cref="SharedMarginSuppression.Parts"/>: all
    /// hidden when the panel size is hidden or under 2k).
    /// </summary>
    public static int?[] PublishLine(IReadOnlyList<int> parts, int? total, int k) => SharedMarginSuppression.Parts(parts, total, k, Options);

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
            .ThenBy(g => g.Municipality, StringComparer.Ordinal).ThenBy(g => g.AgeBand, StringComparer.Ordinal);
        var unknown = groups
            .Where(g => g.Shortfall is null && g.PopulationShare > 0)
            .OrderByDescending(g => g.Population)
            .ThenBy(g => g.Municipality, StringComparer.Ordinal).ThenBy(g => g.AgeBand, StringComparer.Ordinal);
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
