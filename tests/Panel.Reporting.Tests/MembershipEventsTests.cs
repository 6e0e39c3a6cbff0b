using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Panel.Contracts;
using Panel.TestSupport;

namespace Panel.Reporting.Tests;

/// <summary>The panel read model kept from every membership event: counts by state and group, daily flows, sign-ins.</summary>
public sealed class MembershipEventsTests(ReportingHost host) : IClassFixture<ReportingHost>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // Each test uses municipalities and days of its own, so the tests sharing one database do not meet.
    private static ProfileSnapshot Profile(string municipality, string ageBand = "35-44", string? gender = null) =>
        new(ageBand, municipality, gender, "fi", null);

    private async Task PublishAsync<T>(T message, Guid? messageId = null) where T : class
    {
        var bus = host.Services.GetRequiredService<IBus>();
        await bus.Publish(message, ctx => ctx.MessageId = messageId ?? Guid.NewGuid());
    }

    private Task<long> MembersAsync(string state, string municipality, string? ageBand = null, string? gender = null) =>
        host.Database.ScalarAsync<long>("""
            SELECT coalesce(sum(members), 0) FROM panel_member_counts
            WHERE state = @p0 AND municipality = @p1 AND (@p2 = '' OR age_band = @p2) AND (@p3 = '*' OR gender = @p3)
            """, state, municipality, ageBand ?? "", gender ?? "*");

    private Task<long> FlowAsync(string column, DateOnly day, string campaign = "") =>
        host.Database.ScalarAsync<long>(
            $"SELECT coalesce(sum({column}), 0) FROM panel_daily_flows WHERE day = @p0 AND campaign_code = @p1", day, campaign);

    private static DateTimeOffset At(DateOnly day, int hour = 12) => new(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);

    [Fact]
    public async Task MemberJoined_counts_a_pending_member_and_a_join_on_its_day_and_campaign()
    {
        var day = new DateOnly(2024, 1, 10);
        await PublishAsync(new MemberJoined(Guid.NewGuid(), Profile("Akaa", gender: "female"), At(day), "KINO-1"));
        await PublishAsync(new MemberJoined(Guid.NewGuid(), Profile("Akaa"), At(day), null));

        await Eventually.UntilAsync(() => FlowAsync("joined", day, "KINO-1"), n => n == 1, Timeout, "the campaign's join");
        await Eventually.UntilAsync(() => FlowAsync("joined", day), n => n == 1, Timeout, "the join without campaign");
        Assert.Equal(1, await MembersAsync("Pending", "Akaa", gender: "female"));
        Assert.Equal(1, await MembersAsync("Pending", "Akaa", gender: ""));
        Assert.Equal(0, await MembersAsync("Active", "Akaa"));
    }

    [Fact]
    public async Task MemberVerified_moves_the_member_from_pending_to_active_and_counts_the_verification()
    {
        var day = new DateOnly(2024, 2, 10);
        var id = Guid.NewGuid();
        var profile = Profile("Hämeenkyrö");
        await PublishAsync(new MemberJoined(id, profile, At(day, 8), "MALL"));
        await Eventually.UntilAsync(() => MembersAsync("Pending", "Hämeenkyrö"), n => n == 1, Timeout, "the join");

        await PublishAsync(new MemberVerified(id, profile, At(day.AddDays(1), 0), "MALL"));

        await Eventually.UntilAsync(() => MembersAsync("Active", "Hämeenkyrö"), n => n == 1, Timeout, "the verification");
        Assert.Equal(0, await MembersAsync("Pending", "Hämeenkyrö"));
        Assert.Equal(1, await FlowAsync("verified", day.AddDays(1), "MALL"));
        Assert.Equal(0, await FlowAsync("verified", day, "MALL"));
    }

    [Fact]
    public async Task MemberProfileChanged_moves_the_member_between_groups_in_the_same_state()
    {
        var id = Guid.NewGuid();
        var before = Profile("Ikaalinen", "25-34", null);
        var after = Profile("Juupajoki", "35-44", "male");
        await PublishAsync(new MemberJoined(id, before, At(new DateOnly(2024, 3, 1)), null));
        await PublishAsync(new MemberVerified(id, before, At(new DateOnly(2024, 3, 1)), null));
        await Eventually.UntilAsync(() => MembersAsync("Active", "Ikaalinen", "25-34", ""), n => n == 1, Timeout, "the member");

        await PublishAsync(new MemberProfileChanged(id, before, after, MemberState.Active, At(new DateOnly(2024, 3, 2))));

        await Eventually.UntilAsync(() => MembersAsync("Active", "Juupajoki", "35-44", "male"), n => n == 1, Timeout, "the new group");
        Assert.Equal(0, await MembersAsync("Active", "Ikaalinen"));
        Assert.Equal(0, await MembersAsync("Pending", "Juupajoki"));
    }

    [Fact]
    public async Task MemberPaused_and_MemberResumed_move_the_member_between_active_and_paused()
    {
        var id = Guid.NewGuid();
        var profile = Profile("Kangasala");
        await PublishAsync(new MemberJoined(id, profile, At(new DateOnly(2024, 4, 1)), null));
        await PublishAsync(new MemberVerified(id, profile, At(new DateOnly(2024, 4, 1)), null));
        await Eventually.UntilAsync(() => MembersAsync("Active", "Kangasala"), n => n == 1, Timeout, "the member");

        await PublishAsync(new MemberPaused(id, profile, new DateOnly(2024, 5, 1), At(new DateOnly(2024, 4, 2))));
        await Eventually.UntilAsync(() => MembersAsync("Paused", "Kangasala"), n => n == 1, Timeout, "the pause");
        Assert.Equal(0, await MembersAsync("Active", "Kangasala"));

        await PublishAsync(new MemberResumed(id, profile, At(new DateOnly(2024, 4, 3))));
        await Eventually.UntilAsync(() => MembersAsync("Active", "Kangasala"), n => n == 1, Timeout, "the resumption");
        Assert.Equal(0, await MembersAsync("Paused", "Kangasala"));
    }

    [Fact]
    public async Task MemberWithdrawn_moves_the_member_from_their_previous_state_and_counts_the_withdrawal()
    {
        var day = new DateOnly(2024, 5, 20);
        var id = Guid.NewGuid();
        var profile = Profile("Kihniö");
        await PublishAsync(new MemberJoined(id, profile, At(new DateOnly(2024, 5, 1)), "KINO-2"));
        await PublishAsync(new MemberVerified(id, profile, At(new DateOnly(2024, 5, 1)), "KINO-2"));
        await PublishAsync(new MemberPaused(id, profile, new DateOnly(2024, 6, 1), At(new DateOnly(2024, 5, 2))));
        await Eventually.UntilAsync(() => MembersAsync("Paused", "Kihniö"), n => n == 1, Timeout, "the pause");

        await PublishAsync(new MemberWithdrawn(id, profile, MemberState.Paused, At(day)));

        await Eventually.UntilAsync(() => MembersAsync("Withdrawn", "Kihniö"), n => n == 1, Timeout, "the withdrawal");
        Assert.Equal(0, await MembersAsync("Paused", "Kihniö"));
        Assert.Equal(0, await MembersAsync("Active", "Kihniö"));
        Assert.Equal(1, await FlowAsync("withdrawn", day));
    }

    [Fact]
    public async Task MemberErased_removes_the_member_from_their_previous_state_and_counts_the_erasure()
    {
        var day = new DateOnly(2024, 6, 20);
        var id = Guid.NewGuid();
        var profile = Profile("Lempäälä");
        await PublishAsync(new MemberJoined(id, profile, At(new DateOnly(2024, 6, 1)), null));
        await PublishAsync(new MemberWithdrawn(id, profile, MemberState.Pending, At(new DateOnly(2024, 6, 2))));
        await Eventually.UntilAsync(() => MembersAsync("Withdrawn", "Lempäälä"), n => n == 1, Timeout, "the withdrawal");

        await PublishAsync(new MemberErased(id, profile, MemberState.Withdrawn, At(day)));

        await Eventually.UntilAsync(() => FlowAsync("erased", day), n => n == 1, Timeout, "the erasure");
        Assert.Equal(0, await host.Database.ScalarAsync<long>(
            "SELECT coalesce(sum(abs(members)), 0) FROM panel_member_counts WHERE municipality = 'Lempäälä'"));
        Assert.Equal(1, await FlowAsync("joined", new DateOnly(2024, 6, 1)));
    }

    [Fact]
    public async Task PanelMemberErased_removes_a_member_of_the_group_and_nothing_keeps_the_erased_members_id()
    {
        var day = new DateOnly(2024, 6, 21);
        var id = Guid.NewGuid();
        var profile = Profile("Pälkäne");
        await PublishAsync(new MemberJoined(id, profile, At(new DateOnly(2024, 6, 1)), null));
        await PublishAsync(new MemberVerified(id, profile, At(new DateOnly(2024, 6, 1)), null));
        await Eventually.UntilAsync(() => MembersAsync("Active", "Pälkäne"), n => n == 1, Timeout, "the verification");

        // Membership's erasure: the id (for the services that keep one) apart from the group (for the counts).
        await PublishAsync(new MemberDataErased(id, []));
        await PublishAsync(new PanelMemberErased(profile, MemberState.Active, day));

        await Eventually.UntilAsync(() => FlowAsync("erased", day), n => n == 1, Timeout, "the erasure");
        Assert.Equal(0, await MembersAsync("Active", "Pälkäne"));
        Assert.DoesNotContain(id.ToString(), await host.Database.DumpTextAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task MemberSignedIn_is_counted_per_utc_day()
    {
        var day = new DateOnly(2024, 7, 1);
        // 23:30 Helsinki summer time is still the same UTC day (20:30); 01:00 is the UTC day before (22:00).
        await PublishAsync(new MemberSignedIn(new DateTimeOffset(day.ToDateTime(new TimeOnly(23, 30)), TimeSpan.FromHours(3))));
        await PublishAsync(new MemberSignedIn(At(day, 0)));
        await PublishAsync(new MemberSignedIn(new DateTimeOffset(day.ToDateTime(new TimeOnly(1, 0)), TimeSpan.FromHours(3))));

        await Eventually.UntilAsync(
            () => host.Database.ScalarAsync<long>("SELECT coalesce(sum(sign_ins), 0) FROM panel_daily_sign_ins WHERE day = @p0", day),
            n => n == 2, Timeout, "two sign-ins on the day");
        await Eventually.UntilAsync(
            () => host.Database.ScalarAsync<long>("SELECT coalesce(sum(sign_ins), 0) FROM panel_daily_sign_ins WHERE day = @p0", day.AddDays(-1)),
            n => n == 1, Timeout, "one sign-in on the day before");
        Assert.Equal(2, await host.Database.ScalarAsync<long>(
            "SELECT coalesce(sum(sign_ins), 0) FROM panel_daily_sign_ins WHERE day = @p0", day));
    }

    [Fact]
    public async Task Events_applied_out_of_order_end_in_the_same_counts()
    {
        var id = Guid.NewGuid();
        var profile = Profile("Mänttä-Vilppula", gender: "other");
        var day = new DateOnly(2024, 8, 5);
        await PublishAsync(new MemberJoined(id, profile, At(day), "BUS"));
        await Eventually.UntilAsync(() => MembersAsync("Pending", "Mänttä-Vilppula"), n => n == 1, Timeout, "the join");

        // The erasure of an active member reaches Reporting before the verification that made them active.
        await PublishAsync(new MemberErased(id, profile, MemberState.Active, At(day.AddDays(2))));
        await Eventually.UntilAsync(() => FlowAsync("erased", day.AddDays(2)), n => n == 1, Timeout, "the erasure");
        Assert.Equal(-1, await MembersAsync("Active", "Mänttä-Vilppula"));

        await PublishAsync(new MemberVerified(id, profile, At(day.AddDays(1)), "BUS"));
        await Eventually.UntilAsync(() => FlowAsync("verified", day.AddDays(1), "BUS"), n => n == 1, Timeout, "the verification");

        foreach (var state in new[] { "Pending", "Active", "Paused", "Withdrawn" })
        {
            Assert.Equal(0, await MembersAsync(state, "Mänttä-Vilppula"));
        }

        Assert.Equal(1, await FlowAsync("joined", day, "BUS"));
    }

    [Fact]
    public async Task A_move_delivered_twice_is_applied_once()
    {
        var id = Guid.NewGuid();
        var profile = Profile("Nokia");
        var day = new DateOnly(2024, 9, 9);
        for (var i = 0; i < 2; i++)
        {
            await PublishAsync(new MemberJoined(Guid.NewGuid(), profile, At(day), null));
        }

        await PublishAsync(new MemberJoined(id, profile, At(day), null));
        await Eventually.UntilAsync(() => MembersAsync("Pending", "Nokia"), n => n == 3, Timeout, "three joins");

        var messageId = Guid.NewGuid();
        var verified = new MemberVerified(id, profile, At(day), null);
        await PublishAsync(verified, messageId);
        await PublishAsync(verified, messageId);
        var marker = Profile("Nokia", "85+");
        await PublishAsync(new MemberJoined(Guid.NewGuid(), marker, At(day), null));

        // Both copies are on the queue before the marker; once the marker is counted, both were seen.
        await Eventually.UntilAsync(() => MembersAsync("Pending", "Nokia", "85+"), n => n == 1, Timeout, "the marker");
        await host.Deliveries.UntilDoneAsync(messageId, times: 2);
        Assert.Equal(1, await MembersAsync("Active", "Nokia"));
        Assert.Equal(2, await MembersAsync("Pending", "Nokia", "35-44"));
        Assert.Equal(1, await FlowAsync("verified", day));
    }

    [Fact]
    public async Task No_member_id_is_kept_anywhere_after_a_full_lifecycle()
    {
        var id = Guid.NewGuid();
        var profile = Profile("Orivesi", gender: "female");
        var moved = Profile("Orivesi", "45-54", "female");
        var day = new DateOnly(2024, 10, 1);
        var before = await host.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages");
        await PublishAsync(new MemberJoined(id, profile, At(day), "POSTER-7"));
        await PublishAsync(new MemberVerified(id, profile, At(day), "POSTER-7"));
        await PublishAsync(new MemberProfileChanged(id, profile, moved, MemberState.Active, At(day)));
        await PublishAsync(new MemberPaused(id, moved, day.AddDays(30), At(day)));
        await PublishAsync(new MemberResumed(id, moved, At(day)));
        await PublishAsync(new MemberSignedIn(At(day)));
        await PublishAsync(new MemberWithdrawn(id, moved, MemberState.Active, At(day)));
        await PublishAsync(new MemberErased(id, moved, MemberState.Withdrawn, At(day)));

        await Eventually.UntilAsync(
            () => host.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages"), n => n == before + 8, Timeout, "all eight events");
        Assert.Equal(0, await host.Database.ScalarAsync<long>(
            "SELECT coalesce(sum(abs(members)), 0) FROM panel_member_counts WHERE municipality = 'Orivesi'"));
        Assert.Equal(1, await FlowAsync("erased", day));

        var dump = await host.Database.DumpTextAsync();
        Assert.Contains("POSTER-7", dump, StringComparison.Ordinal); // the dump does see the read model
        Assert.DoesNotContain(id.ToString(), dump, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(id.ToString("N"), dump, StringComparison.OrdinalIgnoreCase);
    }
}
