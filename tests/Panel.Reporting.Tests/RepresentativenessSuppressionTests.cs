using Panel.Reporting.Representativeness;

namespace Panel.Reporting.Tests;

/// <summary>The representativeness numbers attacked: nothing shown may let a reader compute a hidden count.</summary>
public sealed class RepresentativenessSuppressionTests
{
    private static readonly ReferenceHeader Reference = new(1, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private static readonly string[] AllAgeBands = ["15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"];

    private static int? Members(RepresentativenessResponse r, string attribute, string value) =>
        r.Attributes.Single(a => a.Attribute == attribute).Values.Single(v => v.Value == value).PanelMembers;

    private static GroupComparison Group(RepresentativenessResponse r, string municipality, string ageBand) =>
        r.Groups.Single(g => g.Municipality == municipality && g.AgeBand == ageBand);

    /// <summary>
    /// k = 5. Members (woman, man, other) per age band:
    /// <code>
    ///            25-34        65-74       total
    /// Akaa       2  1  0      7  8  0       18
    /// Tampere   30 25  1     12  9  0       77
    /// total     32 26  1     19 17  0       95
    /// </code>
    /// The composition (municipality × age band, all genders) has one small cell, Akaa's 3 aged 25-34: the engine
    /// hides it and the fewest people more, so that neither Akaa's 18 nor the band's 59 gives it away. The genders
    /// are 51 women, 43 men and 1 of another gender or none: the 1 is hidden, and with it the men (fewer people than
    /// the women), or the panel minus the women and men would be 1.
    /// </summary>
    private static (string[] Munis, string[] Ages, int[,,] Truth, List<PanelMembersCount> Panel, List<PopulationCount> Population) SmallExample()
    {
        string[] munis = ["Akaa", "Tampere"], ages = ["25-34", "65-74"];
        var truth = new int[2, 2, 3];
        (int M, int A, int W, int Mn, int O)[] cells = [(0, 0, 2, 1, 0), (0, 1, 7, 8, 0), (1, 0, 30, 25, 1), (1, 1, 12, 9, 0)];
        var panel = new List<PanelMembersCount>();
        foreach (var c in cells)
        {
            truth[c.M, c.A, 0] = c.W;
            truth[c.M, c.A, 1] = c.Mn;
            truth[c.M, c.A, 2] = c.O;
            panel.Add(new(munis[c.M], ages[c.A], "woman", c.W));
            panel.Add(new(munis[c.M], ages[c.A], "man", c.Mn));
            if (c.O > 0) panel.Add(new(munis[c.M], ages[c.A], "unspecified", c.O));
        }

        var population = munis.SelectMany(m => ages.SelectMany(a => new[] { new PopulationCount(m, a, "woman", 1000), new PopulationCount(m, a, "man", 1000) })).ToList();

        return (munis, ages, truth, panel, population);
    }

    [Fact]
    public void A_small_example_hides_the_small_group_and_every_number_that_would_give_it_away()
    {
        var (munis, ages, truth, panel, population) = SmallExample();

        var r = RepresentativenessCalculator.Compute(5, Reference, population, panel);

        // The margins are shown: hiding them would cost more people than hiding inner cells.
        Assert.Equal(95, r.PanelMembers);
        Assert.Equal(18, Members(r, "municipality", "Akaa"));
        Assert.Equal(77, Members(r, "municipality", "Tampere"));
        Assert.Equal(59, Members(r, "ageBand", "25-34"));
        Assert.Equal(36, Members(r, "ageBand", "65-74"));
        Assert.Equal(18 / 95.0, r.Attributes[0].Values[0].PanelShare!.Value, 12);
        Assert.Equal(51, Members(r, "gender", "woman"));
        Assert.Equal(51 / 95.0, r.Attributes[2].Values[0].PanelShare!.Value, 12);
        Assert.Null(Members(r, "gender", "man"));
        Assert.Null(r.Attributes[2].Values[1].PanelShare);
        // In a 2 × 2 table the small cell's only partners are the other three: all four are hidden.
        Assert.All(r.Groups, g => Assert.Null(g.PanelMembers));
        Assert.All(r.Groups, g => Assert.Null(g.PanelShare));
        Assert.All(r.Groups, g => Assert.Null(g.Shortfall));
        // No shortfall is known, so the list is the groups by population (all equal here), in name order.
        Assert.Equal(["Akaa/25-34", "Akaa/65-74", "Tampere/25-34", "Tampere/65-74"], r.UnderRepresented.Select(g => $"{g.Municipality}/{g.AgeBand}"));
        RepresentativenessAttacker.AssertNothingRevealed(r, new(munis, ages, truth), 5);
    }

    [Fact]
    public void The_attacker_finds_what_hiding_only_the_counts_under_k_would_give_away()
    {
        var (munis, ages, truth, panel, population) = SmallExample();
        var honest = RepresentativenessCalculator.Compute(5, Reference, population, panel);
        int? Primary(long n) => n is > 0 and < 5 ? null : (int)n;
        var attacker = new RepresentativenessAttacker.Truth(munis, ages, truth);
        long Sum(Func<int, bool> m, Func<int, bool> a, Func<int, bool> g) => attacker.Sum(m, a, g);
        var naive = honest with
        {
            Attributes =
            [
                honest.Attributes[0],
                honest.Attributes[1],
                honest.Attributes[2] with { Values = honest.Attributes[2].Values.Select((v, i) => v with { PanelMembers = Primary(Sum(_ => true, _ => true, g => g == i)) }).ToList() },
            ],
            Groups = honest.Groups.Select(g => g with
            {
                PanelMembers = Primary(Sum(m => munis[m] == g.Municipality, a => ages[a] == g.AgeBand, _ => true)),
            }).ToList(),
        };

        var failures = RepresentativenessAttacker.Attack(naive, attacker, 5);

        // Akaa's 18 minus its 15 aged 65-74.
        Assert.Contains("hidden group Akaa/25-34 can be computed from the numbers shown", failures);
        // 95 members, 51 women and 43 men: one of another gender or none.
        Assert.Contains(failures, f => f.StartsWith("panel vs genders: the total minus the parts shown is 1", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("1 members in all municipalities, all ages, other can be computed", StringComparison.Ordinal));
    }

    [Fact]
    public void The_bounds_find_a_small_count_that_no_equation_gives()
    {
        // Members (all women here but Tampere's older men):
        //            25-34  65-74  total
        // Akaa          3     40     43
        // Tampere       2     20     22
        // total         5     60     65
        // The leaky answer hides the four cells and shows every total: each line has two hidden numbers, the hidden
        // sums are 5 or more (the old line rules' test), and no equation gives a cell. But the band 25-34 shows 5 and
        // Tampere's hidden 2 is at least 1 (zeros are shown), so Akaa's 3 is at most 4: a small group, named.
        string[] munis = ["Akaa", "Tampere"], ages = ["25-34", "65-74"];
        var truth = new int[2, 2, 3];
        truth[0, 0, 0] = 3;
        truth[0, 1, 0] = 40;
        truth[1, 0, 0] = 2;
        truth[1, 1, 1] = 20;
        var honest = RepresentativenessCalculator.Compute(5, Reference, Population(munis, ages), Panel(munis, ages, truth));
        var leaky = honest with
        {
            PanelMembers = 65,
            Attributes =
            [
                honest.Attributes[0] with { Values = [Shown(honest.Attributes[0].Values[0], 43, 65), Shown(honest.Attributes[0].Values[1], 22, 65)] },
                honest.Attributes[1] with { Values = [Shown(honest.Attributes[1].Values[0], 5, 65), Shown(honest.Attributes[1].Values[1], 60, 65)] },
                honest.Attributes[2] with { Values = [Shown(honest.Attributes[2].Values[0], 45, 65), Shown(honest.Attributes[2].Values[1], 20, 65)] },
            ],
            Groups = honest.Groups.Select(g => g with { PanelMembers = null, PanelShare = null, Ratio = null, Shortfall = null }).ToList(),
            UnderRepresented = honest.Groups.OrderByDescending(g => g.Population).Take(4).Select(g => g with { PanelMembers = null, PanelShare = null, Ratio = null, Shortfall = null }).ToList(),
        };

        var failures = RepresentativenessAttacker.Attack(leaky, new(munis, ages, truth), 5);

        Assert.DoesNotContain(failures, f => f.Contains("can be computed", StringComparison.Ordinal));
        Assert.Contains("3 members in Akaa, 25-34, any gender can be at most 4 by the numbers shown, below k = 5", failures);
        Assert.Contains("2 members in Tampere, 25-34, any gender can be at most 4 by the numbers shown, below k = 5", failures);
        // The engine's answer for the same panel hides more (the band's 5 cannot be shown) and gives nothing away.
        Assert.Null(Members(honest, "ageBand", "25-34"));
        Assert.Empty(RepresentativenessAttacker.Attack(honest, new(munis, ages, truth), 5));

        static ShareComparison Shown(ShareComparison v, int count, int of) =>
            v with { PanelMembers = count, PanelShare = (double)count / of, Ratio = v.PopulationShare > 0 ? (double)count / of / v.PopulationShare : null };
    }

    [Fact]
    public void The_attacker_finds_a_share_of_a_hidden_count_and_a_list_out_of_order()
    {
        var (munis, ages, truth, panel, population) = SmallExample();
        var honest = RepresentativenessCalculator.Compute(5, Reference, population, panel);
        var hidden = honest.Groups.First(g => g.PanelMembers is null);
        var leaky = honest with { Groups = honest.Groups.Select(g => g == hidden ? g with { PanelShare = 0.02 } : g).ToList() };
        var largeTruth = new int[,,] { { { 100, 10, 0 }, { 50, 80, 0 } }, { { 300, 120, 0 }, { 200, 20, 0 } } };
        var large = RepresentativenessCalculator.Compute(5, Reference, Population(munis, ages), Panel(munis, ages, largeTruth));
        var disordered = large with { UnderRepresented = large.UnderRepresented.Reverse().ToList() };

        Assert.Empty(RepresentativenessAttacker.Attack(honest, new(munis, ages, truth), 5));
        Assert.Contains(RepresentativenessAttacker.Attack(leaky, new(munis, ages, truth), 5), f => f.Contains("share of a hidden count", StringComparison.Ordinal));
        // Each group is a quarter of the population; of 880 members Akaa's 110 and 130 lack 147 and 120.
        Assert.Equal([("Akaa/25-34", 147), ("Akaa/65-74", 120)], large.UnderRepresented.Select(g => ($"{g.Municipality}/{g.AgeBand}", g.Shortfall!.Value)));
        Assert.Empty(RepresentativenessAttacker.Attack(large, new(munis, ages, largeTruth), 5));
        Assert.Contains(RepresentativenessAttacker.Attack(disordered, new(munis, ages, largeTruth), 5), f => f.Contains("not in order", StringComparison.Ordinal));
    }

    [Fact]
    public void A_panel_just_over_k_shows_its_size_and_hides_every_gender()
    {
        // 6 members, k = 5: 3 women, 2 men, 1 other. Any two gender numbers hidden would be bounded by 6 minus the
        // third: every gender number is hidden, zeros too, so that none can be taken as at least 1.
        string[] munis = ["Akaa"], ages = ["25-34"];
        var truth = new int[1, 1, 3];
        truth[0, 0, 0] = 3;
        truth[0, 0, 1] = 2;
        truth[0, 0, 2] = 1;
        var r = RepresentativenessCalculator.Compute(5, Reference, Population(munis, ages), Panel(munis, ages, truth));

        Assert.Equal(6, r.PanelMembers);
        Assert.Equal(6, Group(r, "Akaa", "25-34").PanelMembers);
        Assert.All(r.Attributes[2].Values, v => Assert.Null(v.PanelMembers));
        RepresentativenessAttacker.AssertNothingRevealed(r, new(munis, ages, truth), 5);
    }

    [Fact]
    public void Shares_of_a_large_panel_are_exact_and_nothing_is_hidden()
    {
        string[] munis = ["Akaa", "Nokia", "Tampere"];
        var rnd = new Random(7);
        var truth = new int[3, 8, 3];
        for (var m = 0; m < 3; m++)
        for (var a = 0; a < 8; a++)
        for (var g = 0; g < 3; g++)
        {
            truth[m, a, g] = g == 2 ? rnd.Next(5, 60) : rnd.Next(100, 3000);
        }

        var r = RepresentativenessCalculator.Compute(5, Reference, Population(munis, AllAgeBands), Panel(munis, AllAgeBands, truth));

        var total = 0;
        foreach (var x in truth) total += x;
        Assert.Equal(total, r.PanelMembers);
        Assert.All(r.Attributes.SelectMany(a => a.Values), v => Assert.NotNull(v.PanelShare));
        Assert.All(r.Groups, g => Assert.NotNull(g.Shortfall));
        var tampereOld = Group(r, "Tampere", "85+");
        var members = truth[2, 7, 0] + truth[2, 7, 1] + truth[2, 7, 2];
        Assert.Equal(members, tampereOld.PanelMembers);
        Assert.Equal((double)members / total, tampereOld.PanelShare!.Value, 12);
        var women = 0;
        for (var m = 0; m < 3; m++) for (var a = 0; a < 8; a++) women += truth[m, a, 0];
        Assert.Equal((double)women / total, r.Attributes[2].Values[0].PanelShare!.Value, 12);
        Assert.Equal(3 * 8, r.Groups.Count);
        RepresentativenessAttacker.AssertNothingRevealed(r, new(munis, AllAgeBands, truth), 5);
    }

    public static TheoryData<int> Seeds() => new(Enumerable.Range(0, 100).Select(i => 1000 + i));

    /// <summary>Random small panels, many of their groups below k, each attacked in every way the attacker knows.</summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void No_hidden_count_of_a_random_panel_can_be_worked_out(int seed)
    {
        var rnd = new Random(seed);
        for (var round = 0; round < 15; round++)
        {
            var k = rnd.Next(2) == 0 ? 3 : 5;
            var munis = new[] { "Akaa", "Kangasala", "Nokia", "Tampere" }.Take(rnd.Next(1, 5)).ToList();
            var ages = AllAgeBands.OrderBy(_ => rnd.Next()).Take(rnd.Next(1, 5)).Order(StringComparer.Ordinal).ToList();
            var extra = rnd.NextDouble() < 0.15; // members in a municipality the reference lacks
            var all = extra ? munis.Append("Virrat").ToList() : munis;
            var truth = new int[all.Count, ages.Count, 3];
            for (var m = 0; m < all.Count; m++)
            for (var a = 0; a < ages.Count; a++)
            for (var g = 0; g < 3; g++)
            {
                var x = rnd.NextDouble();
                truth[m, a, g] = g < 2
                    ? x < 0.3 ? 0 : x < 0.65 ? rnd.Next(1, k) : rnd.Next(k, 40)
                    : x < 0.5 ? 0 : x < 0.85 ? rnd.Next(1, k) : rnd.Next(k, 15);
            }

            var population = Population(munis, ages)
                .Where(_ => rnd.NextDouble() > 0.1)
                .Select(p => p with { Population = rnd.NextDouble() < 0.1 ? 0 : rnd.Next(10, 5000) })
                .ToList();
            if (population.Sum(p => p.Population) == 0)
            {
                continue;
            }

            var r = RepresentativenessCalculator.Compute(k, Reference, population, Panel(all, ages, truth, rnd));

            var failures = RepresentativenessAttacker.Attack(r, new(all, ages, truth), k);
            Assert.True(failures.Count == 0, $"seed {seed}, round {round}, k {k}, {Describe(all, ages, truth)}:\n{string.Join("\n", failures)}");
        }
    }

    [Fact]
    public void Without_a_reference_only_the_panel_size_is_given_and_only_if_k_or_more()
    {
        var small = RepresentativenessCalculator.Compute(5, null, [], [new("Akaa", "25-34", "woman", 3)]);
        var large = RepresentativenessCalculator.Compute(5, null, [], [new("Akaa", "25-34", "woman", 3), new("Nokia", "85+", "", 4)]);

        Assert.Null(small.PanelMembers);
        Assert.Equal(7, large.PanelMembers);
        Assert.Null(large.Reference);
        Assert.Empty(large.Attributes);
        Assert.Empty(large.Groups);
        Assert.Empty(large.UnderRepresented);
    }

    [Fact]
    public void Negative_counts_of_events_arriving_out_of_order_count_as_none()
    {
        string[] munis = ["Akaa"], ages = ["25-34"];
        var r = RepresentativenessCalculator.Compute(3, Reference, Population(munis, ages),
            [new("Akaa", "25-34", "woman", 10), new("Akaa", "25-34", "man", -1), new("Akaa", "25-34", "other", 0)]);

        Assert.Equal(10, r.PanelMembers);
        Assert.Equal(10, Group(r, "Akaa", "25-34").PanelMembers);
        Assert.Equal(0, r.Attributes[2].Values[1].PanelMembers);
    }

    private static List<PopulationCount> Population(IEnumerable<string> munis, IEnumerable<string> ages) =>
        munis.SelectMany(m => ages.SelectMany(a => new[] { new PopulationCount(m, a, "woman", 1000), new PopulationCount(m, a, "man", 900) })).ToList();

    /// <summary>The read model's rows: "other" members under any of the genders that are neither woman nor man.</summary>
    private static List<PanelMembersCount> Panel(IReadOnlyList<string> munis, IReadOnlyList<string> ages, int[,,] truth, Random? rnd = null)
    {
        var rows = new List<PanelMembersCount>();
        string[] others = ["other", "unspecified", ""];
        for (var m = 0; m < munis.Count; m++)
        for (var a = 0; a < ages.Count; a++)
        {
            rows.Add(new(munis[m], ages[a], "woman", truth[m, a, 0]));
            rows.Add(new(munis[m], ages[a], "man", truth[m, a, 1]));
            // Split the "other" members among the genders the read model keeps apart.
            var left = truth[m, a, 2];
            foreach (var g in others)
            {
                var n = g == "" ? left : rnd?.Next(left + 1) ?? left;
                if (n > 0) rows.Add(new(munis[m], ages[a], g, n));
                left -= n;
            }
        }

        return rows;
    }

    private static string Describe(IReadOnlyList<string> munis, IReadOnlyList<string> ages, int[,,] truth) =>
        string.Join("; ", Enumerable.Range(0, munis.Count).Select(m =>
            munis[m] + ": " + string.Join(" | ", Enumerable.Range(0, ages.Count).Select(a => $"{ages[a]} {truth[m, a, 0]}/{truth[m, a, 1]}/{truth[m, a, 2]}"))));
}
