using Npgsql;
using NpgsqlTypes;
using Panel.Contracts;

namespace Panel.Load.Generation;

/// <summary>
/// The changes Reporting's membership consumers make to its panel read models
/// (services/Reporting/Panel.Reporting/Events, PanelHealth/PanelCounts.cs), added up over many events.
///
/// Benchmark-only path: for a panel too large to push through the outbox relay and RabbitMQ within a
/// benchmark's time, the generated events are stored as already relayed in Membership's outbox and these
/// same deltas are applied to Reporting's tables directly. The representativeness benchmark checks at
/// 50 000 members that the real pipeline and this path end in the same counts.
/// </summary>
public sealed class ReportingDeltas
{
    private const string NoGender = "";
    private const string NoCampaign = "";

    public Dictionary<(string State, string Municipality, string AgeBand, string Gender), int> MemberCounts { get; } = [];
    public Dictionary<(DateOnly Day, string Campaign), (int Joined, int Verified, int Withdrawn, int Erased)> DailyFlows { get; } = [];
    public Dictionary<DateOnly, int> SignIns { get; } = [];
    public Dictionary<MemberState, int> ByState { get; } = [];

    public void Add(GeneratedMember member)
    {
        foreach (var e in member.Events)
        {
            Apply(e.Payload);
        }

        var state = member.Status switch
        {
            MemberStatus.Pending => MemberState.Pending,
            MemberStatus.Active => MemberState.Active,
            MemberStatus.Paused => MemberState.Paused,
            _ => MemberState.Withdrawn,
        };
        ByState[state] = ByState.GetValueOrDefault(state) + 1;
    }

    private void Apply(object payload)
    {
        switch (payload)
        {
            case MemberJoined e:
                Move(null, (MemberState.Pending, e.Profile));
                Flow(e.JoinedAt, e.CampaignCode, joined: 1);
                break;
            case MemberVerified e:
                Move((MemberState.Pending, e.Profile), (MemberState.Active, e.Profile));
                Flow(e.VerifiedAt, e.CampaignCode, verified: 1);
                break;
            case MemberPaused e:
                Move((MemberState.Active, e.Profile), (MemberState.Paused, e.Profile));
                break;
            case MemberResumed e:
                Move((MemberState.Paused, e.Profile), (MemberState.Active, e.Profile));
                break;
            case MemberWithdrawn e:
                Move((e.PreviousState, e.Profile), (MemberState.Withdrawn, e.Profile));
                Flow(e.WithdrawnAt, null, withdrawn: 1);
                break;
            case MemberProfileChanged e:
                Move((e.State, e.Previous), (e.State, e.Current));
                break;
            case MemberSignedIn e:
                var day = DateOnly.FromDateTime(e.SignedInAt.UtcDateTime);
                SignIns[day] = SignIns.GetValueOrDefault(day) + 1;
                break;
            default:
                throw new NotSupportedException($"No read model delta for {payload.GetType().Name}");
        }
    }

    private void Move((MemberState State, ProfileSnapshot Profile)? from, (MemberState State, ProfileSnapshot Profile)? to)
    {
        var f = from is { } a ? Key(a.State, a.Profile) : default((string, string, string, string)?);
        var t = to is { } b ? Key(b.State, b.Profile) : default((string, string, string, string)?);
        if (f == t) return;
        if (f is { } fk) MemberCounts[fk] = MemberCounts.GetValueOrDefault(fk) - 1;
        if (t is { } tk) MemberCounts[tk] = MemberCounts.GetValueOrDefault(tk) + 1;
    }

    private static (string, string, string, string) Key(MemberState state, ProfileSnapshot p) =>
        (state.ToString(), p.Municipality, p.AgeBand, p.Gender ?? NoGender);

    private void Flow(DateTimeOffset at, string? campaign, int joined = 0, int verified = 0, int withdrawn = 0)
    {
        var key = (DateOnly.FromDateTime(at.UtcDateTime), string.IsNullOrWhiteSpace(campaign) ? NoCampaign : campaign.Trim());
        var current = DailyFlows.GetValueOrDefault(key);
        DailyFlows[key] = (current.Joined + joined, current.Verified + verified, current.Withdrawn + withdrawn, current.Erased);
    }

    /// <summary>Adds the deltas to Reporting's tables in one transaction, with the consumers' upserts.</summary>
    public async Task ApplyAsync(NpgsqlDataSource reporting)
    {
        await using var connection = await reporting.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var counts = MemberCounts.Where(c => c.Value != 0).ToList();
        await using (var cmd = new NpgsqlCommand(
            """
            INSERT INTO panel_member_counts (state, municipality, age_band, gender, members)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[])
            ON CONFLICT (state, municipality, age_band, gender)
            DO UPDATE SET members = panel_member_counts.members + EXCLUDED.members
            """, connection, tx))
        {
            cmd.Parameters.AddWithValue(counts.Select(c => c.Key.State).ToArray());
            cmd.Parameters.AddWithValue(counts.Select(c => c.Key.Municipality).ToArray());
            cmd.Parameters.AddWithValue(counts.Select(c => c.Key.AgeBand).ToArray());
            cmd.Parameters.AddWithValue(counts.Select(c => c.Key.Gender).ToArray());
            cmd.Parameters.AddWithValue(counts.Select(c => c.Value).ToArray());
            await cmd.ExecuteNonQueryAsync();
        }

        var flows = DailyFlows.ToList();
        await using (var cmd = new NpgsqlCommand(
            """
            INSERT INTO panel_daily_flows (day, campaign_code, joined, verified, withdrawn, erased)
            SELECT * FROM unnest($1::date[], $2::text[], $3::int[], $4::int[], $5::int[], $6::int[])
            ON CONFLICT (day, campaign_code) DO UPDATE SET
                joined = panel_daily_flows.joined + EXCLUDED.joined,
                verified = panel_daily_flows.verified + EXCLUDED.verified,
                withdrawn = panel_daily_flows.withdrawn + EXCLUDED.withdrawn,
                erased = panel_daily_flows.erased + EXCLUDED.erased
            """, connection, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = flows.Select(f => f.Key.Day).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date });
            cmd.Parameters.AddWithValue(flows.Select(f => f.Key.Campaign).ToArray());
            cmd.Parameters.AddWithValue(flows.Select(f => f.Value.Joined).ToArray());
            cmd.Parameters.AddWithValue(flows.Select(f => f.Value.Verified).ToArray());
            cmd.Parameters.AddWithValue(flows.Select(f => f.Value.Withdrawn).ToArray());
            cmd.Parameters.AddWithValue(flows.Select(f => f.Value.Erased).ToArray());
            await cmd.ExecuteNonQueryAsync();
        }

        await using (var cmd = new NpgsqlCommand(
            """
            INSERT INTO panel_daily_sign_ins (day, sign_ins)
            SELECT * FROM unnest($1::date[], $2::int[])
            ON CONFLICT (day) DO UPDATE SET sign_ins = panel_daily_sign_ins.sign_ins + EXCLUDED.sign_ins
            """, connection, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = SignIns.Keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date });
            cmd.Parameters.AddWithValue(SignIns.Values.ToArray());
            await cmd.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
    }

    /// <summary>Reporting's member counts now, to compare before and after.</summary>
    public static async Task<Dictionary<(string, string, string, string), int>> ReadMemberCountsAsync(NpgsqlDataSource reporting)
    {
        var result = new Dictionary<(string, string, string, string), int>();
        await using var cmd = reporting.CreateCommand("SELECT state, municipality, age_band, gender, members FROM panel_member_counts");
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3))] = reader.GetInt32(4);
        }

        return result;
    }
}
