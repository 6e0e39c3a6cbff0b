using Microsoft.EntityFrameworkCore;
using Panel.Contracts;
using Panel.Reporting.Data;

namespace Panel.Reporting.PanelHealth;

/// <summary>One state and coarse group of the member counts.</summary>
public readonly record struct MemberGroup(MemberState State, string Municipality, string AgeBand, string Gender)
{
    public static MemberGroup Of(MemberState state, ProfileSnapshot profile) =>
        new(state, profile.Municipality, profile.AgeBand, profile.Gender ?? PanelMemberCount.NoGender);

    public string Key => $"{State}\u001f{Municipality}\u001f{AgeBand}\u001f{Gender}";
}

public enum MemberFlow
{
    Joined,
    Verified,
    Withdrawn,
    Erased,
}

/// <summary>
/// The atomic upserts every membership consumer is made of. Each event moves one member out of one group
/// and into another; the deltas commute, so events applied in any order end in the same counts.
/// </summary>
public static class PanelCounts
{
    /// <summary>Subtracts the member from <paramref name="from"/> and adds them to <paramref name="to"/> (null: none).</summary>
    public static async Task MoveAsync(ReportingDbContext db, MemberGroup? from, MemberGroup? to, CancellationToken ct)
    {
        if (from == to)
        {
            return;
        }

        var deltas = new List<(MemberGroup Group, int Delta)>();
        if (from is { } f) deltas.Add((f, -1));
        if (to is { } t) deltas.Add((t, 1));

        // Rows are always locked in the same order, so two consumers moving members between the same
        // two groups in opposite directions wait for each other instead of deadlocking.
        foreach (var (g, delta) in deltas.OrderBy(d => d.Group.Key, StringComparer.Ordinal))
        {
            var state = g.State.ToString();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO panel_member_counts (state, municipality, age_band, gender, members)
                VALUES ({state}, {g.Municipality}, {g.AgeBand}, {g.Gender}, {delta})
                ON CONFLICT (state, municipality, age_band, gender)
                DO UPDATE SET members = panel_member_counts.members + EXCLUDED.members
                """, ct);
        }
    }

    /// <summary>Counts one flow on the UTC day of <paramref name="at"/>, under its campaign code if it has one.</summary>
    public static Task CountFlowAsync(ReportingDbContext db, MemberFlow flow, DateTimeOffset at, string? campaignCode, CancellationToken ct)
    {
        var day = DayOf(at);
        var campaign = string.IsNullOrWhiteSpace(campaignCode) ? PanelDailyFlow.NoCampaign : campaignCode.Trim();
        int joined = flow == MemberFlow.Joined ? 1 : 0, verified = flow == MemberFlow.Verified ? 1 : 0,
            withdrawn = flow == MemberFlow.Withdrawn ? 1 : 0, erased = flow == MemberFlow.Erased ? 1 : 0;
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO panel_daily_flows (day, campaign_code, joined, verified, withdrawn, erased)
            VALUES ({day}, {campaign}, {joined}, {verified}, {withdrawn}, {erased})
            ON CONFLICT (day, campaign_code) DO UPDATE SET
                joined = panel_daily_flows.joined + EXCLUDED.joined,
                verified = panel_daily_flows.verified + EXCLUDED.verified,
                withdrawn = panel_daily_flows.withdrawn + EXCLUDED.withdrawn,
                erased = panel_daily_flows.erased + EXCLUDED.erased
            """, ct);
    }

    public static Task CountSignInAsync(ReportingDbContext db, DateTimeOffset at, CancellationToken ct)
    {
        var day = DayOf(at);
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO panel_daily_sign_ins (day, sign_ins) VALUES ({day}, 1)
            ON CONFLICT (day) DO UPDATE SET sign_ins = panel_daily_sign_ins.sign_ins + 1
            """, ct);
    }

    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);
}
