using Panel.Contracts;
using Panel.Membership.Members;

namespace Panel.Load.Generation;

/// <summary>Membership's member states, by the names it stores in members.status.</summary>
public enum MemberStatus
{
    Pending,
    Active,
    Paused,
    Withdrawn,
}

/// <summary>A recruitment campaign of the generated history (a row of Membership's campaigns table).</summary>
public sealed record GeneratedCampaign(string Code, string Name, string Channel, DateOnly StartsOn, DateOnly? EndsOn, double Weight);

/// <summary>An integration event as the outbox stores it: the contract record, its time and the outbox row id.</summary>
public sealed record GeneratedEvent(Guid Id, DateTimeOffset At, object Payload);

/// <summary>One member row of Membership, with the events its join, verification, sign-in, pause or withdrawal raised.</summary>
public sealed class GeneratedMember
{
    public required Guid Id { get; init; }
    public required string Email { get; init; }
    public required int BirthYear { get; init; }
    public required string Municipality { get; init; }
    public string? Gender { get; init; }
    public required string Language { get; init; }
    public bool? IsClient { get; init; }
    public required MemberStatus Status { get; set; }
    public required DateTimeOffset JoinedAt { get; init; }
    /// <summary>The age band Membership reported the member in (the band in the year of joining).</summary>
    public string ReportedAgeBand => AgeBands.For(BirthYear, JoinedAt.Year);
    public required string ConsentVersion { get; init; }
    public string? CampaignCode { get; init; }
    public DateTimeOffset? VerifiedAt { get; set; }
    public DateTimeOffset? LastSignedInAt { get; set; }
    public DateTimeOffset? PausedAt { get; set; }
    public DateOnly? PausedUntil { get; set; }
    public DateTimeOffset? WithdrawnAt { get; set; }
    public List<GeneratedEvent> Events { get; } = [];
}

/// <summary>
/// Makes realistic panel members, deterministically: member <c>i</c> of seed <c>s</c> (with the same
/// <c>now</c>) is always the same person, whatever else is generated, so a panel can be grown in steps.
///
/// Who joins: the county's residents (municipality, age band, gender, from <see cref="County"/>) weighted
/// by how Finnish resident panels turn out: middle-aged people and young retirees join most, the young
/// and the oldest least, young men least of all, the city a little more than the countryside. Of those
/// who give a gender, about 55 % are women; some give none or "unspecified"/"other". Languages mostly fi,
/// some en and sv. History: joins over the past months, organic and in bursts of recruitment campaigns;
/// most verify their email within minutes or days, some never do; some sign in, pause or withdraw later.
/// The rows and events are the ones the join, verification, sign-in, pause and withdrawal endpoints write,
/// including the age band computed in the year of each event.
/// No phone numbers: a made-up one could be a real person's. Emails are <c>prefix.N@example.invalid</c>.
/// </summary>
public sealed class PanelGenerator
{
    public const string EmailDomain = "example.invalid";

    // Relative propensity to join, by age band (15-24 … 85+) and, for men, by band.
    private static readonly double[] AgePropensity = [0.45, 0.75, 0.95, 1.15, 1.40, 1.50, 0.90, 0.30];
    private static readonly double[] MenPropensity = [0.55, 0.70, 0.80, 0.85, 0.90, 0.95, 1.00, 0.90];

    private static readonly Dictionary<Settlement, double> PlacePropensity = new()
    {
        [Settlement.City] = 1.15,
        [Settlement.Suburban] = 1.0,
        [Settlement.Town] = 0.85,
        [Settlement.Rural] = 0.70,
    };

    private readonly County _county;
    private readonly int _seed;
    private readonly string _prefix;
    private readonly string _consentVersion;
    private readonly DateTimeOffset _start;
    private readonly (string Municipality, int Band, string Gender)[] _cells;
    private readonly double[] _cumulative;

    public PanelGenerator(County county, int seed, DateTimeOffset now, string prefix, string consentVersion, int months = 18)
    {
        _county = county;
        // Different prefixes are different people (and ids) under the same seed.
        _seed = seed ^ Fnv1a(prefix);
        _prefix = prefix;
        _consentVersion = consentVersion;
        Now = now;
        _start = now.AddMonths(-months);
        Campaigns = MakeCampaigns(now);

        var cells = new List<(string, int, string)>();
        var cumulative = new List<double>();
        var total = 0.0;
        foreach (var m in county.Municipalities)
        {
            for (var band = 0; band < County.Bands.Count; band++)
            {
                foreach (var gender in (string[])["woman", "man"])
                {
                    total += county.Population(m, band, gender) * PlacePropensity[m.Kind] * AgePropensity[band]
                        * (gender == "man" ? MenPropensity[band] : 1.0);
                    cells.Add((m.Name, band, gender));
                    cumulative.Add(total);
                }
            }
        }

        _cells = [.. cells];
        _cumulative = [.. cumulative.Select(c => c / total)];
    }

    public DateTimeOffset Now { get; }

    public IReadOnlyList<GeneratedCampaign> Campaigns { get; }

    public string EmailOf(int index) => $"{_prefix}.{index}@{EmailDomain}";

    /// <summary>Member number <paramref name="index"/> (1-based).</summary>
    public GeneratedMember Generate(int index)
    {
        var rnd = new MemberRandom(_seed, index);
        var id = RandomGuid(rnd, version: 4, timestamp: null);

        var (municipality, band, realGender) = _cells[Pick(rnd.NextDouble())];
        var g = rnd.NextDouble();
        var gender = g < 0.06 ? null : g < 0.09 ? "unspecified" : g < 0.10 ? "other" : realGender;
        var l = rnd.NextDouble();
        var language = l < 0.94 ? "fi" : l < 0.99 ? "en" : "sv";
        var c = rnd.NextDouble();
        bool? isClient = c < 0.55 ? true : c < 0.88 ? false : null;

        // Joined through a campaign (in its period, most in its first days) or on their own (more lately).
        string? campaignCode = null;
        DateTimeOffset joinedAt;
        if (rnd.NextDouble() < 0.45)
        {
            var campaign = PickCampaign(rnd.NextDouble());
            campaignCode = campaign.Code;
            var from = new DateTimeOffset(campaign.StartsOn.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var to = campaign.EndsOn is { } ends ? new DateTimeOffset(ends.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero) : Now;
            if (to > Now) to = Now;
            var r = rnd.NextDouble();
            joinedAt = from + (to - from) * (r * r);
        }
        else
        {
            joinedAt = _start + (Now - _start) * Math.Sqrt(rnd.NextDouble());
        }

        joinedAt = Truncate(Min(joinedAt, Now.AddMinutes(-10)));

        // Age at the join: uniform in the band; 85+ thins out towards 95.
        var (low, high) = band == County.Bands.Count - 1 ? (85, 95) : (15 + 10 * band, 24 + 10 * band);
        var age = band == County.Bands.Count - 1
            ? low + (int)(Math.Abs(rnd.NextDouble() - rnd.NextDouble()) * (high - low + 1))
            : rnd.Next(low, high + 1);
        var birthYear = joinedAt.Year - age;

        var member = new GeneratedMember
        {
            Id = id,
            Email = EmailOf(index),
            BirthYear = birthYear,
            Municipality = municipality,
            Gender = gender,
            Language = language,
            IsClient = isClient,
            Status = MemberStatus.Pending,
            JoinedAt = joinedAt,
            ConsentVersion = _consentVersion,
            CampaignCode = campaignCode,
        };
        Add(member, rnd, joinedAt, new MemberJoined(id, Snapshot(member, joinedAt), joinedAt, campaignCode));

        // Verification: most within minutes, some within the day, a few days later; some never.
        var v = rnd.NextDouble();
        var delay = v < 0.6 ? TimeSpan.FromMinutes(1 + rnd.NextDouble() * 15)
            : v < 0.9 ? TimeSpan.FromHours(rnd.NextDouble() * 24)
            : TimeSpan.FromDays(1 + rnd.NextDouble() * 2);
        var verifiedAt = Truncate(joinedAt + delay);
        if (rnd.NextDouble() < 0.04 || verifiedAt >= Now)
        {
            return member;
        }

        member.Status = MemberStatus.Active;
        member.VerifiedAt = verifiedAt;
        Add(member, rnd, verifiedAt, new MemberVerified(id, Snapshot(member, verifiedAt), verifiedAt, campaignCode));

        // A later sign-in to "my panel", a withdrawal or a pause (until a day in the coming months).
        var rest = Now - verifiedAt;
        var a = rnd.NextDouble();
        var s = rnd.NextDouble();
        var later = Truncate(verifiedAt + rest * rnd.NextDouble());
        if (a < 0.10)
        {
            if (s < 0.3)
            {
                SignIn(member, rnd, verifiedAt + (later - verifiedAt) * rnd.NextDouble());
            }

            member.Status = MemberStatus.Withdrawn;
            member.WithdrawnAt = later;
            Add(member, rnd, later, new MemberWithdrawn(id, Snapshot(member, later), MemberState.Active, later));
        }
        else if (a < 0.14)
        {
            SignIn(member, rnd, later);
            var until = DateOnly.FromDateTime(Now.UtcDateTime).AddDays(rnd.Next(7, 181));
            member.Status = MemberStatus.Paused;
            member.PausedAt = later;
            member.PausedUntil = until;
            Add(member, rnd, later, new MemberPaused(id, Snapshot(member, later), until, later));
        }
        else if (s < 0.35)
        {
            SignIn(member, rnd, later);
        }

        return member;
    }

    private static void SignIn(GeneratedMember member, MemberRandom rnd, DateTimeOffset at)
    {
        at = Truncate(at);
        member.LastSignedInAt = at;
        Add(member, rnd, at, new MemberSignedIn(at));
    }

    private static void Add(GeneratedMember member, MemberRandom rnd, DateTimeOffset at, object payload) =>
        member.Events.Add(new GeneratedEvent(RandomGuid(rnd, version: 7, timestamp: at), at, payload));

    /// <summary>
    /// The coarse profile as Membership reports it: the age band it reported the member in (set at joining,
    /// members.reported_age_band), whatever the year of the event. Members who have aged into another band
    /// since are reported by Membership's maintenance job with MemberProfileChanged, as in production.
    /// </summary>
    private static ProfileSnapshot Snapshot(GeneratedMember m, DateTimeOffset at) =>
        new(m.ReportedAgeBand, m.Municipality, m.Gender, m.Language, m.IsClient);

    private int Pick(double u)
    {
        var i = Array.BinarySearch(_cumulative, u);
        return Math.Min(i < 0 ? ~i : i, _cells.Length - 1);
    }

    private GeneratedCampaign PickCampaign(double u)
    {
        var total = Campaigns.Sum(c => c.Weight);
        foreach (var c in Campaigns)
        {
            u -= c.Weight / total;
            if (u < 0) return c;
        }

        return Campaigns[^1];
    }

    /// <summary>Six campaigns of the past year and a half, the last one still running.</summary>
    private static List<GeneratedCampaign> MakeCampaigns(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        GeneratedCampaign Make(string prefix, string name, string channel, int weeksAgo, int weeks, double weight)
        {
            var starts = today.AddDays(-7 * weeksAgo);
            var ends = starts.AddDays(7 * weeks - 1);
            return new($"{prefix}-{starts:yyyy-MM}", name, channel, starts, ends >= today ? null : ends, weight);
        }

        return
        [
            Make("JULISTE", "Julisteet kirjastoissa ja terveysasemilla", "poster", 74, 8, 0.15),
            Make("ELOKUVA", "Elokuvateatterimainos", "cinema", 56, 6, 0.12),
            Make("SOME", "Sosiaalisen median kampanja", "social-media", 35, 5, 0.25),
            Make("MESSUT", "Hyvinvointimessujen osasto", "event", 22, 1, 0.10),
            Make("KAUPPAKESKUS", "Kauppakeskusten näytöt", "mall-screen", 14, 6, 0.16),
            Make("SOME", "Syksyn somekampanja", "social-media", 5, 8, 0.22),
        ];
    }

    private static int Fnv1a(string s)
    {
        var h = 2166136261u;
        foreach (var c in s)
        {
            h = (h ^ c) * 16777619u;
        }

        return (int)h;
    }

    /// <summary>A random (v4) or time-ordered (v7, as the outbox's ids) Guid drawn from the member's generator.</summary>
    private static Guid RandomGuid(MemberRandom rnd, int version, DateTimeOffset? timestamp)
    {
        Span<byte> b = stackalloc byte[16];
        rnd.NextBytes(b);
        if (timestamp is { } t)
        {
            var ms = t.ToUnixTimeMilliseconds();
            for (var i = 0; i < 6; i++)
            {
                b[i] = (byte)(ms >> (8 * (5 - i)));
            }
        }

        b[6] = (byte)((b[6] & 0x0F) | (version << 4));
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        return new Guid(b, bigEndian: true);
    }

    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

/// <summary>
/// Member <c>i</c>'s own random stream (SplitMix64 over seed and index): 64 bits of state, so half a
/// million members never share a stream, as they could with <see cref="Random"/>'s 31-bit seeds.
/// </summary>
public sealed class MemberRandom(int seed, int index)
{
    private ulong _state = ((ulong)(uint)seed << 32 | (uint)index) * 0xD1B54A32D192ED03;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public int Next(int min, int max) => min + (int)(NextDouble() * (max - min));

    public void NextBytes(Span<byte> bytes)
    {
        for (var i = 0; i < bytes.Length; i += 8)
        {
            var r = NextUInt64();
            for (var j = 0; j < 8 && i + j < bytes.Length; j++)
            {
                bytes[i + j] = (byte)(r >> (8 * j));
            }
        }
    }
}
