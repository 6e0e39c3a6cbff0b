using Panel.Reporting.Representativeness;

namespace Panel.Reporting.Tests;

/// <summary>The representativeness numbers attacked: nothing shown may let a reader compute a hidden count.</summary>
public sealed class RepresentativenessSuppressionTests
{
    private static readonly ReferenceHeader Reference = new(1, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private static readonly string[] AllAgeBands = ["15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"];

    private static int? Members(RepresentativenessResponse r, string attribute, string value) =>
        r.Attributes.Single(a => a.Attribute == attribute).Values.Single(v => v.Value == value).PanelMembers;

    private static GroupComparison Group(RepresentativenessResponse r, string municipality, string ageBand, string gender) =>
        r.Groups.Single(g => g.Municipality == municipality && g.AgeBand == ageBand && g.Gender == gender);

    /// <summary>
    /// k = 5. Members (woman, man, other) per age band:
    /// <code>
    ///            25-34        65-74       total
    /// Akaa       6  2  0      7  8  0       23
    /// Tampere   30 25  1     12  9  0       77
    /// total     36 27  1     19 17  0      100
    /// </code>
    /// Hidden first: Akaa 25-34 man (2), Tampere's one "other" 25-34 and its column total (1). Going through the lines
    /// (rows, then columns): Akaa's row hides its smallest other number, woman 25-34 (6); Tampere's row, man 65-74
    /// (9); the totals row partners the 1 with the smallest total, man 65-74 (17). Then column woman 25-34 hides 30
    /// to partner the 6, man 25-34 hides 25 to partner the 2; column man 65-74 now hides 9 and its total, enough.
    /// So the 25-34 band (its 1 "other" member would be its total minus its groups), the 65-74 band and the men are
    /// hidden, and so are the gender and group shares, whose base (women + men) is; the municipalities (23, 77 of
    /// 100), the women (55) and three 65-74 groups are shown.
    /// </summary>
    private static (string[] Munis, string[] Ages, int[,,] Truth, List<PanelMembersCount> Panel, List<PopulationCount> Population) SmallExample()
    {
        string[] munis = ["Akaa", "Tampere"], ages = ["25-34", "65-74"];
        var truth = new int[2, 2, 3];
        (int M, int A, int W, int Mn, int O)[] cells = [(0, 0, 6, 2, 0), (0, 1, 7, 8, 0), (1, 0, 30, 25, 1), (1, 1, 12, 9, 0)];
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
    public void A_small_example_hides_the_small_groups_and_every_number_that_would_give_them_away()
    {
        var (munis, ages, truth, panel, population) = SmallExample();

        var r = RepresentativenessCalculator.Compute(5, Reference, population, panel);

        Assert.Equal(100, r.PanelMembers);
        Assert.Equal(23, Members(r, "municipality", "Akaa"));
        Assert.Equal(77, Members(r, "municipality", "Tampere"));
        Assert.Equal(0.23, r.Attributes[0].Values[0].PanelShare!.Value, 12);
        Assert.Null(Members(r, "ageBand", "25-34"));
        Assert.Null(Members(r, "ageBand", "65-74"));
        Assert.Equal(55, Members(r, "gender", "woman"));
        Assert.Null(Members(r, "gender", "man"));
        Assert.Null(r.Attributes[2].Values[0].PanelShare);
        Assert.Equal(7, Group(r, "Akaa", "65-74", "woman").PanelMembers);
        Assert.Equal(8, Group(r, "Akaa", "65-74", "man").PanelMembers);
        Assert.Equal(12, Group(r, "Tampere", "65-74", "woman").PanelMembers);
        foreach (var (m, a, g) in new[] { ("Akaa", "25-34", "woman"), ("Akaa", "25-34", "man"), ("Tampere", "25-34", "woman"), ("Tampere", "25-34", "man"), ("Tampere", "65-74", "man") })
        {
            Assert.Null(Group(r, m, a, g).PanelMembers);
        }

        Assert.All(r.Groups, g => Assert.Null(g.PanelShare));
        Assert.All(r.Groups, g => Assert.Null(g.Shortfall));
        // No ratio is known, so the list is the groups by population (all equal here), in name order.
        Assert.Equal(8, r.UnderRepresented.Count);
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
            PanelMembers = 100,
            Attributes =
            [
                honest.Attributes[0] with { Values = honest.Attributes[0].Values.Select((v, i) => v with { PanelMembers = Primary(Sum(m => m == i, _ => true, _ => true)) }).ToList() },
                honest.Attributes[1] with { Values = honest.Attributes[1].Values.Select((v, i) => v with { PanelMembers = Primary(Sum(_ => true, a => a == i, _ => true)) }).ToList() },
                honest.Attributes[2] with { Values = honest.Attributes[2].Values.Select((v, i) => v with { PanelMembers = Primary(Sum(_ => true, _ => true, g => g == i)) }).ToList() },
            ],
            Groups = honest.Groups.Select(g => g with
            {
                PanelMembers = Primary(truth[Array.IndexOf(munis, g.Municipality), Array.IndexOf(ages, g.AgeBand), g.Gender == "woman" ? 0 : 1]),
            }).ToList(),
        };

        var failures = RepresentativenessAttacker.Attack(naive, attacker, 5);

        // The men add up to 44 and the one hidden man group is 44 minus the men shown.
        Assert.Contains("hidden group Akaa/25-34/man can be computed from the numbers shown", failures);
        // 25-34 has 64 members; its groups shown add up to 63: the one member of other gender.
        Assert.Contains(failures, f => f.StartsWith("age band 25-34 vs its groups", StringComparison.Ordinal));
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
        Assert.Equal(5, large.UnderRepresented.Count); // Akaa's four groups and Tampere's old men are below their shares
        Assert.Empty(RepresentativenessAttacker.Attack(large, new(munis, ages, largeTruth), 5));
        Assert.Contains(RepresentativenessAttacker.Attack(disordered, new(munis, ages, largeTruth), 5), f => f.Contains("not in order", StringComparison.Ordinal));
    }

    [Fact]
    public void A_municipality_whose_groups_are_all_shown_does_not_give_away_its_few_members_of_other_gender()
    {
        // Akaa's groups are all 5 or more, but 2 members there said "other": Akaa's total minus its groups would be 2.
        string[] munis = ["Akaa", "Tampere"], ages = ["25-34", "65-74"];
        var truth = new int[2, 2, 3];
        truth[0, 0, 0] = 10; truth[0, 0, 1] = 12; truth[0, 0, 2] = 2;
        truth[0, 1, 0] = 9; truth[0, 1, 1] = 11;
        truth[1, 0, 0] = 40; truth[1, 0, 1] = 35; truth[1, 0, 2] = 9;
        truth[1, 1, 0] = 20; truth[1, 1, 1] = 18; truth[1, 1, 2] = 6;
        var r = RepresentativenessCalculator.Compute(5, Reference, Population(munis, ages), Panel(munis, ages, truth));

        var akaa = Members(r, "municipality", "Akaa");
        var akaaGroups = r.Groups.Where(g => g.Municipality == "Akaa").Select(g => g.PanelMembers).ToList();
        Assert.False(akaa is not null && akaaGroups.All(g => g is not null), "Akaa's total and all its groups are shown: their difference is 2");
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
        var stated = 0;
        for (var m = 0; m < 3; m++) for (var a = 0; a < 8; a++) stated += truth[m, a, 0] + truth[m, a, 1];
        Assert.Equal(total, r.PanelMembers);
        Assert.All(r.Attributes.SelectMany(a => a.Values), v => Assert.NotNull(v.PanelShare));
        Assert.All(r.Groups, g => Assert.NotNull(g.Shortfall));
        var tampereOld = Group(r, "Tampere", "85+", "man");
        Assert.Equal(truth[2, 7, 1], tampereOld.PanelMembers);
        Assert.Equal((double)truth[2, 7, 1] / stated, tampereOld.PanelShare!.Value, 12);
        Assert.Equal(3 * 8 * 2, r.Groups.Count);
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
        Assert.Equal(0, Group(r, "Akaa", "25-34", "man").PanelMembers);
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
