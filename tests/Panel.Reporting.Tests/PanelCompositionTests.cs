using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Panel.Contracts;
using Panel.ServiceDefaults;
using Panel.TestSupport;

namespace Panel.Reporting.Tests;

public sealed class PanelCompositionTests(ReportingHost host) : IClassFixture<ReportingHost>
{
    private static MemberJoined Joined(string municipality, string ageBand) =>
        new(Guid.NewGuid(), new ProfileSnapshot(ageBand, municipality, null, "fi", null), DateTimeOffset.UtcNow, null);

    /// <summary>A member who joins and verifies: Active, so in the panel (a Pending member is not).</summary>
    private async Task JoinAndVerifyAsync(string municipality, string ageBand)
    {
        var joined = Joined(municipality, ageBand);
        await PublishAsync(joined);
        var bus = host.Services.GetRequiredService<IBus>();
        await bus.Publish(new MemberVerified(joined.PanelistId, joined.Profile, DateTimeOffset.UtcNow, null), ctx => ctx.MessageId = Guid.NewGuid());
    }

    private Task<long> ActiveAsync(string municipality, string ageBand) =>
        host.Database.ScalarAsync<long>(
            "SELECT coalesce(sum(members), 0) FROM panel_member_counts WHERE municipality = @p0 AND age_band = @p1 AND state = 'Active'",
            municipality, ageBand);

    private async Task PublishAsync(MemberJoined message, Guid? messageId = null)
    {
        var bus = host.Services.GetRequiredService<IBus>();
        await bus.Publish(message, ctx => ctx.MessageId = messageId ?? Guid.NewGuid());
    }

    private Task<long> CountAsync(string municipality, string ageBand) =>
        host.Database.ScalarAsync<long>(
            """
            SELECT coalesce(sum(members), 0) FROM panel_member_counts
            WHERE municipality = @p0 AND age_band = @p1 AND state IN ('Pending', 'Active', 'Paused')
            """, municipality, ageBand);

    private async Task<JsonElement> CompositionAsync()
    {
        var client = host.Client(TestTokens.Staff(ServiceNames.Reporting, PanelRoles.Coordinator));
        return await client.GetFromJsonAsync<JsonElement>("/api/reporting/panel/composition");
    }

    [Fact]
    public async Task MemberJoined_events_are_counted_by_municipality_and_age_band_without_member_ids()
    {
        var events = Enumerable.Range(0, 6).Select(_ => Joined("Akaa", "25-34")).ToList();
        foreach (var e in events)
        {
            await PublishAsync(e);
        }

        await Eventually.UntilAsync(() => CountAsync("Akaa", "25-34"), n => n == 6, TimeSpan.FromSeconds(30), "six members counted");
        var dump = await host.Database.DumpTextAsync();
        Assert.All(events, e => Assert.DoesNotContain(e.PanelistId.ToString(), dump, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_message_delivered_twice_is_counted_once()
    {
        var message = Joined("Kihniö", "45-54");
        var id = Guid.NewGuid();
        await PublishAsync(message, id);
        await PublishAsync(message, id);
        var marker = Joined("Kihniö", "55-64");
        await PublishAsync(marker);

        // The marker is published after both copies on one queue; once it is counted, both copies were seen.
        await Eventually.UntilAsync(() => CountAsync("Kihniö", "55-64"), n => n == 1, TimeSpan.FromSeconds(30), "the marker");
        await host.Deliveries.UntilDoneAsync(id, times: 2);
        Assert.Equal(1, await CountAsync("Kihniö", "45-54"));
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE message_id = @p0", id));
    }

    [Fact]
    public async Task Composition_suppresses_groups_below_k_and_keeps_them_underivable()
    {
        for (var i = 0; i < 7; i++) await JoinAndVerifyAsync("Urjala", "35-44");
        for (var i = 0; i < 8; i++) await JoinAndVerifyAsync("Urjala", "65-74");
        for (var i = 0; i < 2; i++) await JoinAndVerifyAsync("Urjala", "85+");
        await Eventually.UntilAsync(() => ActiveAsync("Urjala", "85+"), n => n == 2, TimeSpan.FromSeconds(30), "Urjala counted");
        await Eventually.UntilAsync(() => ActiveAsync("Urjala", "65-74"), n => n == 8, TimeSpan.FromSeconds(30), "Urjala counted");
        await Eventually.UntilAsync(() => ActiveAsync("Urjala", "35-44"), n => n == 7, TimeSpan.FromSeconds(30), "Urjala counted");

        var composition = await CompositionAsync();

        var municipalities = composition.GetProperty("municipalities").EnumerateArray().Select(e => e.GetString()).ToList();
        var bands = composition.GetProperty("ageBands").EnumerateArray().Select(e => e.GetString()).ToList();
        var row = composition.GetProperty("members")[municipalities.IndexOf("Urjala")];
        Assert.Equal(JsonValueKind.Null, row[bands.IndexOf("85+")].ValueKind);
        var rowTotal = composition.GetProperty("municipalityTotals")[municipalities.IndexOf("Urjala")];
        var hiddenInRow = row.EnumerateArray().Count(c => c.ValueKind == JsonValueKind.Null) + (rowTotal.ValueKind == JsonValueKind.Null ? 1 : 0);
        Assert.True(hiddenInRow >= 2, "the hidden 2 must not be the row total minus the visible cells");
        Assert.Equal(5, composition.GetProperty("minimumGroupSize").GetInt32());
        Assert.DoesNotContain("\"members\":[[2", composition.GetRawText());
    }

    [Fact]
    public async Task Composition_counts_members_in_the_panel_and_not_pending_ones()
    {
        for (var i = 0; i < 6; i++) await JoinAndVerifyAsync("Ähtäri", "25-34");
        for (var i = 0; i < 9; i++) await PublishAsync(Joined("Ähtäri", "25-34"));
        await Eventually.UntilAsync(() => CountAsync("Ähtäri", "25-34"), n => n == 15, TimeSpan.FromSeconds(30), "Ähtäri counted");
        await Eventually.UntilAsync(() => ActiveAsync("Ähtäri", "25-34"), n => n == 6, TimeSpan.FromSeconds(30), "Ähtäri verified");

        var composition = await CompositionAsync();
        var municipalities = composition.GetProperty("municipalities").EnumerateArray().Select(e => e.GetString()).ToList();
        var row = municipalities.IndexOf("Ähtäri");

        Assert.Equal(6, composition.GetProperty("municipalityTotals")[row].GetInt32());
    }

    public static TheoryData<string?, HttpStatusCode> Callers() => new()
    {
        { null, HttpStatusCode.Unauthorized },
        { "forged", HttpStatusCode.Unauthorized },
        { "public", HttpStatusCode.Forbidden },
        { PanelRoles.ReportReader, HttpStatusCode.Forbidden },
        { PanelRoles.SurveyAuthor, HttpStatusCode.Forbidden },
        { PanelRoles.Coordinator, HttpStatusCode.OK },
        { PanelRoles.ItAdmin, HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task Panel_composition_is_for_coordinators_and_administrators(string? caller, HttpStatusCode expected)
    {
        var token = caller switch
        {
            null => null,
            "forged" => TestTokens.Forged(ServiceNames.Reporting),
            "public" => TestTokens.Public(ServiceNames.Reporting),
            _ => TestTokens.Staff(ServiceNames.Reporting, caller),
        };

        var response = await host.Client(token).GetAsync("/api/reporting/panel/composition");

        Assert.Equal(expected, response.StatusCode);
    }
}
