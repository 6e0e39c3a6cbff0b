using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Panel.Membership.Data;
using Panel.Privacy;

namespace Panel.Membership.Invitations;

/// <summary>The database's random record key of a new member or invitation, uniform in [0, 2^31 - 1).</summary>
public static class RecordKeys
{
    public const string Sql = "floor(random() * 2147483647)::int";
}

/// <summary>
/// A target group's criteria that a match count answered with its own number (the query audit's memory). Kept for
/// the latest <see cref="MatchCounting.AuditedQueries"/> criteria; criteria only, never who asked or the number.
/// </summary>
public sealed class TargetingQuery
{
    /// <summary>SHA-256 of <see cref="Criteria"/>, lowercase hex.</summary>
    public required string Hash { get; set; }
    /// <summary>The criteria as canonical JSON (<see cref="TargetFilter"/> with sorted lists).</summary>
    public required string Criteria { get; set; }
    public DateTimeOffset AskedAt { get; set; }
}

internal sealed class TargetingQueryConfiguration : IEntityTypeConfiguration<TargetingQuery>
{
    public void Configure(EntityTypeBuilder<TargetingQuery> e)
    {
        e.ToTable("targeting_queries");
        e.HasKey(q => q.Hash);
        e.Property(q => q.Hash).HasMaxLength(64);
        e.Property(q => q.Criteria).HasColumnType("jsonb");
        e.HasIndex(q => q.AskedAt);
    }
}

/// <summary>Invitable members of one combination of the attributes criteria choose from: how many, and the sum of their record keys.</summary>
public sealed class MemberCell
{
    public string AgeBand { get; set; } = "";
    public string Municipality { get; set; } = "";
    public string Gender { get; set; } = "";
    public string Language { get; set; } = "";
    public bool? IsClient { get; set; }
    public string? CampaignCode { get; set; }
    public long Members { get; set; }
    public long KeySum { get; set; }
}

/// <summary>
/// The number a targeting match count shows (DESIGN.md section 5, rule 4). Free criteria let a reader ask for two
/// overlapping groups that differ by a few members and subtract; so the count is (1) suppressed below k, zero included,
/// (2) perturbed by the cell-key method and rounded to 5 (<see cref="CellKeyPerturbation"/>: the same members always
/// get the same number), and (3) audited: criteria whose members differ from criteria answered before by 1 to k - 1
/// members get that earlier group's number, so many such pairs cannot be averaged either. The number is decided by
/// <see cref="QueryAudit.Answer"/>; this class finds the cells and keeps the audit's memory.
/// </summary>
public static class MatchCounting
{
    /// <summary>How many of the latest answered criteria the audit compares with.</summary>
    public const int AuditedQueries = 2000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<long?> CountAsync(
        MembershipDbContext db, TargetFilter filter, int k, DateOnly today, string consent, TimeProvider time, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // One count at a time: two near criteria asked at once must not both be answered with their own numbers.
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7213001)", ct);
        var cells = await db.Database.SqlQueryRaw<MemberCell>($"""
            SELECT m.reported_age_band AS age_band, m.municipality, coalesce(m.gender, 'unspecified') AS gender,
                   m.language, m.is_client, m.campaign_code, count(*) AS members, sum(m.record_key::bigint)::bigint AS key_sum
            FROM members m
            WHERE {InvitableMembers.Where}
            GROUP BY 1, 2, 3, 4, 5, 6
            """, [.. InvitableMembers.Parameters(TargetFilter.Anyone, today, consent)]).ToListAsync(ct);
        var counts = cells.Select(c => c.Members).ToArray();

        var criteria = Canonical(filter);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(criteria)));
        var earlier = await db.Set<TargetingQuery>().AsNoTracking()
            .Where(q => q.Hash != hash)
            .OrderByDescending(q => q.AskedAt)
            .Take(AuditedQueries)
            .Select(q => q.Criteria)
            .ToListAsync(ct);
        var earlierSets = earlier
            .Select(c => JsonSerializer.Deserialize<TargetFilter>(c, Json))
            .OfType<TargetFilter>()
            .Select(f => (IReadOnlyList<bool>)cells.Select(f.Matches).ToArray())
            .ToList();
        var set = cells.Select(filter.Matches).ToArray();

        var (shown, near) = QueryAudit.Answer(counts, cells.Select(c => c.KeySum).ToArray(), set, earlierSets, k);
        if (near < 0)
        {
            var now = time.GetUtcNow();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO targeting_queries (hash, criteria, asked_at) VALUES ({hash}, {criteria}::jsonb, {now})
                ON CONFLICT (hash) DO UPDATE SET asked_at = EXCLUDED.asked_at
                """, ct);
        }

        await tx.CommitAsync(ct);
        return shown;
    }

    /// <summary>The criteria as JSON with every list sorted, so the same criteria always read the same.</summary>
    public static string Canonical(TargetFilter f) => JsonSerializer.Serialize(
        new TargetFilter(Sorted(f.AgeBands), Sorted(f.Municipalities), Sorted(f.Genders), Sorted(f.Languages), f.IsClient, Sorted(f.CampaignCodes)), Json);

    private static List<string> Sorted(IReadOnlyList<string> values) => values.Order(StringComparer.Ordinal).ToList();
}
