using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Panel.Contracts;
using Panel.Reporting.Representativeness;
using Panel.ServiceDefaults;
using Panel.TestSupport;

namespace Panel.Reporting.Tests;

/// <summary>
/// Reporting with, from events, the population reference version 1 and this panel (k = 5):
/// <code>
///                        woman  man  other   population woman / man
/// Akaa     25-34            5     0      0              1000 / 1000
/// Akaa     65-74            5     5      0              1500 /  500
/// Tampere  25-34           20    10      5              6000 / 6000
/// Tampere  65-74           10     5      0              3000 / 1000
/// </code>
/// Active and Paused (3 of the women are paused); "other" is 3 who said other and 2 who gave no gender. Also 3
/// Pending men in Akaa 25-34 and 2 Withdrawn men in Tampere 65-74, who are not panel members.
/// </summary>
public sealed class RepresentativenessHost : ServiceHost<Program>
{
    protected override string ServiceName => ServiceNames.Reporting;
    protected override string DatabaseConnectionName => ConnectionNames.ReportingDb;

    public static readonly DateTimeOffset PublishedAt = new(2026, 2, 1, 8, 30, 0, TimeSpan.Zero);

    public static readonly PopulationGroupSnapshot[] Population =
    [
        new("Akaa", "25-34", "woman", 1000), new("Akaa", "25-34", "man", 1000),
        new("Akaa", "65-74", "woman", 1500), new("Akaa", "65-74", "man", 500),
        new("Tampere", "25-34", "woman", 6000), new("Tampere", "25-34", "man", 6000),
        new("Tampere", "65-74", "woman", 3000), new("Tampere", "65-74", "man", 1000),
    ];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var bus = Services.GetRequiredService<IBus>();
        var published = 0;
        async Task Publish<T>(T message) where T : class
        {
            await bus.Publish(message, ctx => ctx.MessageId = Guid.NewGuid());
            published++;
        }

        var at = new DateTimeOffset(2026, 1, 10, 9, 0, 0, TimeSpan.Zero);
        async Task Members(string municipality, string ageBand, string? gender, int count, int paused = 0, MemberState state = MemberState.Active)
        {
            var profile = new ProfileSnapshot(ageBand, municipality, gender, "fi", null);
            for (var i = 0; i < count; i++)
            {
                var id = Guid.NewGuid();
                await Publish(new MemberJoined(id, profile, at, null));
                if (state == MemberState.Pending) continue;
                await Publish(new MemberVerified(id, profile, at.AddHours(1), null));
                if (i < paused) await Publish(new MemberPaused(id, profile, new DateOnly(2026, 12, 31), at.AddDays(1)));
                if (state == MemberState.Withdrawn) await Publish(new MemberWithdrawn(id, profile, MemberState.Active, at.AddDays(2)));
            }
        }

        await Publish(new PopulationReferencePublished(1, PublishedAt, Population));
        await Members("Akaa", "25-34", "woman", 5, paused: 1);
        await Members("Akaa", "25-34", "man", 3, state: MemberState.Pending);
        await Members("Akaa", "65-74", "woman", 5);
        await Members("Akaa", "65-74", "man", 5);
        await Members("Tampere", "25-34", "woman", 20, paused: 2);
        await Members("Tampere", "25-34", "man", 10);
        await Members("Tampere", "25-34", "other", 3);
        await Members("Tampere", "25-34", null, 2);
        await Members("Tampere", "65-74", "woman", 10);
        await Members("Tampere", "65-74", "man", 5);
        await Members("Tampere", "65-74", "man", 2, state: MemberState.Withdrawn);

        await Eventually.UntilAsync(
            () => Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages"), n => n == published,
            TimeSpan.FromSeconds(60), $"all {published} events applied");
    }
}

public sealed class RepresentativenessTests(RepresentativenessHost host) : IClassFixture<RepresentativenessHost>
{
    private const string Path = "/api/reporting/panel/representativeness";

    private async Task<JsonElement> GetAsync(string role = PanelRoles.Coordinator)
    {
        var response = await host.Client(TestTokens.Staff(ServiceNames.Reporting, role)).GetAsync(Path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static JsonElement Value(JsonElement body, string attribute, string value) =>
        body.GetProperty("attributes").EnumerateArray().Single(a => a.GetProperty("attribute").GetString() == attribute)
            .GetProperty("values").EnumerateArray().Single(v => v.GetProperty("value").GetString() == value);

    private static JsonElement Group(JsonElement body, string municipality, string ageBand) =>
        body.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("municipality").GetString() == municipality
            && g.GetProperty("ageBand").GetString() == ageBand);

    private static void AssertShare(JsonElement e, int members, double panelShare, long population, double populationShare)
    {
        Assert.Equal(members, e.GetProperty("panelMembers").GetInt32());
        Assert.Equal(panelShare, e.GetProperty("panelShare").GetDouble(), 9);
        Assert.Equal(population, e.GetProperty("population").GetInt64());
        Assert.Equal(populationShare, e.GetProperty("populationShare").GetDouble(), 9);
        Assert.Equal(panelShare / populationShare, e.GetProperty("ratio").GetDouble(), 9);
    }

    [Fact]
    public async Task The_panel_is_compared_with_the_population_per_municipality_age_band_and_gender()
    {
        var body = await GetAsync();

        Assert.Equal(5, body.GetProperty("minimumGroupSize").GetInt32());
        var reference = body.GetProperty("reference");
        Assert.Equal(1, reference.GetProperty("version").GetInt32());
        Assert.Equal(RepresentativenessHost.PublishedAt, reference.GetProperty("publishedAt").GetDateTimeOffset());
        Assert.Equal(20000, reference.GetProperty("population").GetInt64());
        // Active and Paused only: not the 3 pending or the 2 withdrawn.
        Assert.Equal(65, body.GetProperty("panelMembers").GetInt32());
        Assert.Equal(["municipality", "ageBand", "gender"], body.GetProperty("attributes").EnumerateArray().Select(a => a.GetProperty("attribute").GetString()));

        AssertShare(Value(body, "municipality", "Akaa"), 15, 15 / 65.0, 4000, 0.2);
        AssertShare(Value(body, "municipality", "Tampere"), 50, 50 / 65.0, 16000, 0.8);
        // The 5 of other or no gender count in their age band...
        AssertShare(Value(body, "ageBand", "25-34"), 40, 40 / 65.0, 14000, 0.7);
        AssertShare(Value(body, "ageBand", "65-74"), 25, 25 / 65.0, 6000, 0.3);
        // ...and in the panel size the gender shares are of; population statistics have women and men.
        AssertShare(Value(body, "gender", "woman"), 40, 40 / 65.0, 11500, 0.575);
        AssertShare(Value(body, "gender", "man"), 20, 20 / 65.0, 8500, 0.425);
    }

    [Fact]
    public async Task Each_group_has_its_share_ratio_and_the_members_it_lacks()
    {
        var body = await GetAsync();

        Assert.Equal(4, body.GetProperty("groups").GetArrayLength());
        (string M, string A, int Members, long Population, int Shortfall)[] expected =
        [
            // (5 + x) / (65 + x) ≥ 0.1 from x = 1.67: 2.
            ("Akaa", "25-34", 5, 2000, 2),
            ("Akaa", "65-74", 10, 2000, 0),
            // (35 + x) / (65 + x) ≥ 0.6 from x = 10.
            ("Tampere", "25-34", 35, 12000, 10),
            ("Tampere", "65-74", 15, 4000, 0),
        ];
        foreach (var (m, a, members, population, shortfall) in expected)
        {
            var group = Group(body, m, a);
            AssertShare(group, members, members / 65.0, population, population / 20000.0);
            Assert.Equal(shortfall, group.GetProperty("shortfall").GetInt32());
        }

        var under = body.GetProperty("underRepresented").EnumerateArray()
            .Select(g => $"{g.GetProperty("municipality").GetString()}/{g.GetProperty("ageBand").GetString()}")
            .ToList();
        // Ranked by the members they lack: Tampere's young 10, Akaa's 2.
        Assert.Equal(["Tampere/25-34", "Akaa/25-34"], under);
    }

    [Fact]
    public async Task Nothing_in_the_answer_gives_away_a_count_below_k()
    {
        var body = await GetAsync();
        var response = body.Deserialize<RepresentativenessResponse>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        var truth = new int[2, 2, 3];
        truth[0, 0, 0] = 5; truth[0, 1, 0] = 5; truth[0, 1, 1] = 5;
        truth[1, 0, 0] = 20; truth[1, 0, 1] = 10; truth[1, 0, 2] = 5; truth[1, 1, 0] = 10; truth[1, 1, 1] = 5;

        RepresentativenessAttacker.AssertNothingRevealed(response, new(["Akaa", "Tampere"], ["25-34", "65-74"], truth), 5);
    }

    public static TheoryData<string?, HttpStatusCode> Callers() => new()
    {
        { null, HttpStatusCode.Unauthorized },
        { "forged", HttpStatusCode.Unauthorized },
        { "other service", HttpStatusCode.Unauthorized },
        { "public", HttpStatusCode.Forbidden },
        { "resident", HttpStatusCode.Forbidden },
        { PanelRoles.ReportReader, HttpStatusCode.Forbidden },
        { PanelRoles.SurveyAuthor, HttpStatusCode.Forbidden },
        { PanelRoles.DomainContact, HttpStatusCode.Forbidden },
        { PanelRoles.Communications, HttpStatusCode.Forbidden },
        { PanelRoles.Coordinator, HttpStatusCode.OK },
        { PanelRoles.ItAdmin, HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task Representativeness_is_for_coordinators_and_administrators(string? caller, HttpStatusCode expected)
    {
        var token = caller switch
        {
            null => null,
            "forged" => TestTokens.Forged(ServiceNames.Reporting),
            "other service" => TestTokens.Staff(ServiceNames.Membership, PanelRoles.Coordinator),
            "public" => TestTokens.Public(ServiceNames.Reporting),
            "resident" => TestTokens.Resident(ServiceNames.Reporting, Guid.NewGuid()),
            _ => TestTokens.Staff(ServiceNames.Reporting, caller),
        };

        var response = await host.Client(token).GetAsync(Path);

        Assert.Equal(expected, response.StatusCode);
    }
}

/// <summary>Before any population reference has arrived.</summary>
public sealed class NoPopulationReferenceTests(ReportingHost host) : IClassFixture<ReportingHost>
{
    [Fact]
    public async Task Without_a_reference_the_answer_has_no_comparisons_and_hides_a_panel_under_k()
    {
        var bus = host.Services.GetRequiredService<IBus>();
        var profile = new ProfileSnapshot("25-34", "Akaa", "woman", "fi", null);
        for (var i = 0; i < 3; i++)
        {
            var id = Guid.NewGuid();
            await bus.Publish(new MemberJoined(id, profile, DateTimeOffset.UtcNow, null), c => c.MessageId = Guid.NewGuid());
            await bus.Publish(new MemberVerified(id, profile, DateTimeOffset.UtcNow, null), c => c.MessageId = Guid.NewGuid());
        }

        await Eventually.UntilAsync(() => host.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages"), n => n == 6,
            TimeSpan.FromSeconds(30), "the members");

        var response = await host.Client(TestTokens.Staff(ServiceNames.Reporting, PanelRoles.Coordinator)).GetAsync("/api/reporting/panel/representativeness");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, body.GetProperty("reference").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("panelMembers").ValueKind); // 3 < k
        Assert.Equal(0, body.GetProperty("attributes").GetArrayLength());
        Assert.Equal(0, body.GetProperty("groups").GetArrayLength());
        Assert.Equal(0, body.GetProperty("underRepresented").GetArrayLength());
    }
}

/// <summary>The population reference kept from PopulationReferencePublished: the newest version only, each message once.</summary>
public sealed class PopulationReferenceConsumerTests(ReportingHost host) : IClassFixture<ReportingHost>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private async Task PublishAsync(PopulationReferencePublished message, Guid messageId) =>
        await host.Services.GetRequiredService<IBus>().Publish(message, c => c.MessageId = messageId);

    private Task<long> VersionAsync() => host.Database.ScalarAsync<long>("SELECT coalesce(max(version), 0) FROM population_reference");
    private Task<long> PopulationAsync() => host.Database.ScalarAsync<long>("SELECT coalesce(sum(population), 0) FROM population_groups");
    private Task<long> GroupsAsync() => host.Database.ScalarAsync<long>("SELECT count(*) FROM population_groups");

    private Task AppliedAsync(Guid messageId) => Eventually.UntilAsync(
        () => host.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE message_id = @p0", messageId), n => n == 1,
        Timeout, $"message {messageId} applied");

    private static PopulationReferencePublished Version(int version, params int[] counts) => new(
        version, new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero).AddDays(version),
        counts.Select((c, i) => new PopulationGroupSnapshot("Akaa", new[] { "15-24", "25-34", "35-44", "45-54" }[i], i % 2 == 0 ? "woman" : "man", c)).ToList());

    [Fact]
    public async Task A_newer_version_replaces_the_reference_and_an_older_or_repeated_one_changes_nothing()
    {
        // The tests of this class share a database: versions are counted from what it holds.
        var v = (int)await VersionAsync();

        var second = Guid.NewGuid();
        await PublishAsync(Version(v + 2, 100, 200, 300), second);
        await AppliedAsync(second);
        Assert.Equal(v + 2, await VersionAsync());
        Assert.Equal(3, await GroupsAsync());
        Assert.Equal(600, await PopulationAsync());

        // The version before it arrives late: ignored.
        var first = Guid.NewGuid();
        await PublishAsync(Version(v + 1, 5, 5), first);
        await AppliedAsync(first);
        Assert.Equal(v + 2, await VersionAsync());
        Assert.Equal(600, await PopulationAsync());

        // The same message delivered again, even carrying something else, is not applied twice.
        await PublishAsync(Version(v + 4, 1, 1, 1, 1), second);
        var marker = Guid.NewGuid();
        await PublishAsync(Version(v + 2, 7), marker);
        await AppliedAsync(marker);
        await host.Deliveries.UntilDoneAsync(second, times: 2);
        Assert.Equal(v + 2, await VersionAsync());
        Assert.Equal(600, await PopulationAsync());
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE message_id = @p0", second));

        // A newer version replaces every group of the one before; the endpoint shows it.
        var third = Guid.NewGuid();
        await PublishAsync(Version(v + 3, 1000, 0), third);
        await AppliedAsync(third);
        Assert.Equal(v + 3, await VersionAsync());
        Assert.Equal(2, await GroupsAsync());
        Assert.Equal(1000, await PopulationAsync());
        var body = await host.Client(TestTokens.Staff(ServiceNames.Reporting, PanelRoles.ItAdmin))
            .GetFromJsonAsync<JsonElement>("/api/reporting/panel/representativeness");
        Assert.Equal(v + 3, body.GetProperty("reference").GetProperty("version").GetInt32());
        Assert.Equal(1000, body.GetProperty("reference").GetProperty("population").GetInt64());
        Assert.Equal(Version(v + 3).PublishedAt, body.GetProperty("reference").GetProperty("publishedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Versions_applied_at_the_same_time_end_with_the_newest()
    {
        var v = (int)await VersionAsync();
        var ids = Enumerable.Range(0, 6).Select(_ => Guid.NewGuid()).ToList();
        // In a scrambled order, all on the queue at once.
        int[] versions = [v + 4, v + 1, v + 6, v + 2, v + 5, v + 3];
        await Task.WhenAll(versions.Select((n, i) => PublishAsync(Version(n, 10 * i, 1), ids[i])));
        foreach (var id in ids)
        {
            await AppliedAsync(id);
        }

        Assert.Equal(v + 6, await VersionAsync());
        Assert.Equal(21, await PopulationAsync()); // version v + 6: 20 and 1
        Assert.Equal(2, await GroupsAsync());
    }
}
