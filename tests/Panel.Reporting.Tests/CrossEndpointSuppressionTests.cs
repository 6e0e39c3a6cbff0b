using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Panel.Contracts;
using Panel.Reporting.Data;
using Panel.Reporting.PanelComposition;
using Panel.Reporting.PanelHealth;
using Panel.Reporting.Representativeness;
using Panel.ServiceDefaults;
using Panel.TestSupport;

namespace Panel.Reporting.Tests;

/// <summary>
/// Composition, health and representativeness read together: the attacker solves the linear system over every number
/// the three publish, and nothing hidden (nor any count under k) may come out of it.
/// </summary>
public sealed class CrossEndpointSuppressionTests(ReportingHost host) : IClassFixture<ReportingHost>
{
    private static readonly ReferenceHeader Reference = new(1, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private static readonly string[] AllAgeBands = ["15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"];
    private static readonly string[] OtherGenders = ["other", "unspecified", ""];

    private sealed record RandomPanel(
        int K, List<string> Municipalities, List<string> AgeBands, int[,,] Truth, StateTruth States,
        List<PopulationCount> Population, List<PanelMemberCount> Rows);

    /// <summary>A small random panel: many groups under k, members split between Active and Paused, some Pending and Withdrawn.</summary>
    private static RandomPanel? Generate(Random rnd)
    {
        var k = rnd.Next(2) == 0 ? 3 : 5;
        var munis = new[] { "Akaa", "Kangasala", "Nokia", "Tampere" }.Take(rnd.Next(1, 5)).ToList();
        var ages = AllAgeBands.OrderBy(_ => rnd.Next()).Take(rnd.Next(1, 5)).Order(StringComparer.Ordinal).ToList();
        var all = rnd.NextDouble() < 0.15 ? munis.Append("Virrat").ToList() : munis; // members where the reference has none
        var truth = new int[all.Count, ages.Count, 3];
        var rows = new Dictionary<(MemberState, string, string, string), int>();
        void Add(MemberState state, string m, string a, string g, int n)
        {
            if (n != 0) rows[(state, m, a, g)] = rows.GetValueOrDefault((state, m, a, g)) + n;
        }

        for (var m = 0; m < all.Count; m++)
        for (var a = 0; a < ages.Count; a++)
        for (var g = 0; g < 3; g++)
        {
            var x = rnd.NextDouble();
            var n = g < 2
                ? x < 0.3 ? 0 : x < 0.65 ? rnd.Next(1, k) : rnd.Next(k, 40)
                : x < 0.5 ? 0 : x < 0.85 ? rnd.Next(1, k) : rnd.Next(k, 15);
            truth[m, a, g] = n;
            var gender = g == 0 ? "woman" : g == 1 ? "man" : OtherGenders[rnd.Next(3)];
            var pausedHere = rnd.Next(n + 1) / 3;
            Add(MemberState.Active, all[m], ages[a], gender, n - pausedHere);
            Add(MemberState.Paused, all[m], ages[a], gender, pausedHere);
            if (rnd.NextDouble() < 0.3) Add(MemberState.Pending, all[m], ages[a], gender, rnd.Next(1, 4));
            if (rnd.NextDouble() < 0.2) Add(MemberState.Withdrawn, all[m], ages[a], gender, rnd.Next(1, 4));
        }

        var population = munis
            .SelectMany(m => ages.SelectMany(a => new[] { new PopulationCount(m, a, "woman", 1000), new PopulationCount(m, a, "man", 900) }))
            .Where(_ => rnd.NextDouble() > 0.1)
            .Select(p => p with { Population = rnd.NextDouble() < 0.1 ? 0 : rnd.Next(10, 5000) })
            .ToList();
        if (population.Sum(p => p.Population) == 0)
        {
            return null;
        }

        int Sum(MemberState s) => rows.Where(r => r.Key.Item1 == s).Sum(r => r.Value);
        var states = new StateTruth(Sum(MemberState.Pending), Sum(MemberState.Active), Sum(MemberState.Paused), Sum(MemberState.Withdrawn));
        var counts = rows.Select(r => new PanelMemberCount
        {
            State = r.Key.Item1, Municipality = r.Key.Item2, AgeBand = r.Key.Item3, Gender = r.Key.Item4, Members = r.Value,
        }).ToList();
        return new RandomPanel(k, all, ages, truth, states, population, counts);
    }

    private static string Describe(RandomPanel p) =>
        $"k {p.K}, states {p.States}, " + string.Join("; ", Enumerable.Range(0, p.Municipalities.Count).Select(m =>
            p.Municipalities[m] + ": " + string.Join(" | ", Enumerable.Range(0, p.AgeBands.Count)
                .Select(a => $"{p.AgeBands[a]} {p.Truth[m, a, 0]}/{p.Truth[m, a, 1]}/{p.Truth[m, a, 2]}"))));

    private static List<PanelMembersCount> InPanel(RandomPanel p) =>
        p.Rows.Where(r => PanelMembers.States.Contains(r.State))
            .GroupBy(r => (r.Municipality, r.AgeBand, r.Gender))
            .Select(g => new PanelMembersCount(g.Key.Municipality, g.Key.AgeBand, g.Key.Gender, g.Sum(r => r.Members)))
            .ToList();

    public static TheoryData<int> Seeds() => new(Enumerable.Range(0, 100).Select(i => 5000 + i));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Nothing_hidden_can_be_worked_out_from_composition_health_and_representativeness_together(int seed)
    {
        var rnd = new Random(seed);
        for (var round = 0; round < 15; round++)
        {
            if (Generate(rnd) is not { } p) continue;
            var panel = InPanel(p);
            var sums = p.Rows.GroupBy(r => r.State).ToDictionary(g => g.Key, g => g.Sum(r => r.Members));

            var representativeness = RepresentativenessCalculator.Compute(p.K, Reference, p.Population, panel);
            var composition = CompositionEndpoints.Compose(p.K, RepresentativenessCalculator.Publish(p.K, p.Population, panel));
            var byState = PanelHealthEndpoints.ByState(p.K, sums, p.Population, panel);

            var failures = RepresentativenessAttacker.Attack(
                representativeness, new(p.Municipalities, p.AgeBands, p.Truth), p.K, composition, byState, p.States);
            Assert.True(failures.Count == 0, $"seed {seed}, round {round}, {Describe(p)}:\n{string.Join("\n", failures)}");
        }
    }

    [Fact]
    public void The_attacker_finds_what_the_old_composition_and_health_gave_away()
    {
        // Old rules: composition and health counted Pending in the panel, representativeness did not, and the
        // composition was suppressed on its own. Akaa has 20 Active women and 2 Pending; Nokia 30 Active men.
        var truth = new int[2, 1, 3];
        truth[0, 0, 0] = 20;
        truth[1, 0, 1] = 30;
        var t = new RepresentativenessAttacker.Truth(["Akaa", "Nokia"], ["25-34"], truth);
        var population = new List<PopulationCount> { new("Akaa", "25-34", "woman", 100), new("Nokia", "25-34", "man", 100) };
        List<PanelMembersCount> panel = [new("Akaa", "25-34", "woman", 20), new("Nokia", "25-34", "man", 30)];
        var representativeness = RepresentativenessCalculator.Compute(5, Reference, population, panel);
        var leaky = new PanelCompositionResponse(5, ["Akaa", "Nokia"], ["25-34"], [[22], [30]], [22, 30], [52], 52);
        var leakyHealth = new MembersByState(null, 49, null, null, 52); // inPanel with the 2 pending; 1 paused hidden

        var failures = RepresentativenessAttacker.Attack(representativeness, t, 5, leaky, leakyHealth, new StateTruth(2, 49, 1, 0));

        Assert.Contains(failures, f => f.Contains("composition municipality Akaa shows 22, the truth is 20", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("health inPanel 52 is not panelMembers 50", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("1 paused members can be computed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_three_endpoints_served_over_http_give_nothing_away_together()
    {
        var client = host.Client(TestTokens.Staff(ServiceNames.Reporting, PanelRoles.Coordinator));
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var rnd = new Random(4242);
        var tried = 0;
        while (tried < 20)
        {
            if (Generate(rnd) is not { } p) continue;
            tried++;
            using (var scope = host.Services.CreateScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<ReportingDbContext>();
                await db.PanelMemberCounts.ExecuteDeleteAsync();
                await db.PopulationGroups.ExecuteDeleteAsync();
                await db.CurrentPopulationReference.ExecuteDeleteAsync();
                db.CurrentPopulationReference.Add(new CurrentPopulationReference { Version = tried, PublishedAt = Reference.PublishedAt });
                db.PopulationGroups.AddRange(p.Population.Select(x => new PopulationGroup
                {
                    Municipality = x.Municipality, AgeBand = x.AgeBand, Gender = x.Gender, Population = x.Population,
                }));
                db.PanelMemberCounts.AddRange(p.Rows);
                await db.SaveChangesAsync();
            }

            // The served k is the configured one (5); the panel's own k only shaped its numbers.
            var composition = await client.GetFromJsonAsync<PanelCompositionResponse>("/api/reporting/panel/composition", json);
            var health = await client.GetFromJsonAsync<HealthByState>("/api/reporting/panel/health", json);
            var representativeness = await client.GetFromJsonAsync<RepresentativenessResponse>("/api/reporting/panel/representativeness", json);
            Assert.NotNull(composition);
            Assert.NotNull(health);
            Assert.NotNull(representativeness);
            Assert.Equal(tried, representativeness.Reference?.Version);

            var failures = RepresentativenessAttacker.Attack(
                representativeness, new(p.Municipalities, p.AgeBands, p.Truth), 5, composition, health.ByState, p.States);
            Assert.True(failures.Count == 0, $"panel {tried}, {Describe(p)}:\n{string.Join("\n", failures)}");
        }
    }

    private sealed record HealthByState([property: JsonPropertyName("byState")] MembersByState ByState);
}
