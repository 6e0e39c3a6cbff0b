using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Panel.Membership.Members;

namespace Panel.Membership.Links;

public enum LinkPurpose
{
    Verification,
    SignIn,
}

/// <summary>
/// A one-time link sent by email. Only the SHA-256 hash of its token is stored, so the database
/// alone cannot be used to verify anybody or sign in as them.
/// </summary>
public sealed class OneTimeLink
{
    public Guid Id { get; set; }
    public Guid MemberId { get; set; }
    public LinkPurpose Purpose { get; set; }
    public required string TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}

internal sealed class OneTimeLinkConfiguration : IEntityTypeConfiguration<OneTimeLink>
{
    public void Configure(EntityTypeBuilder<OneTimeLink> e)
    {
        e.ToTable("one_time_links");
        e.HasKey(l => l.Id);
        e.Property(l => l.Purpose).HasConversion<string>().HasMaxLength(20);
        e.Property(l => l.TokenHash).HasMaxLength(64);
        e.HasIndex(l => l.TokenHash).IsUnique();
        e.HasIndex(l => l.MemberId);
        // Erasing a member erases their links with them.
        e.HasOne<Member>().WithMany().HasForeignKey(l => l.MemberId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Makes one-time tokens; the random source is injected so tests could replace it.</summary>
public sealed class OneTimeTokens(RandomNumberGenerator random)
{
    public string NewToken()
    {
        Span<byte> bytes = stackalloc byte[32];
        random.GetBytes(bytes);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

public enum LinkCheck
{
    Valid,
    Invalid,
    Expired,
    Used,
}

public static class OneTimeLinkStore
{
    /// <summary>
    /// Consumes a token of the given purpose. The conditional UPDATE makes it single use even when
    /// two requests race: only one of them changes the row. Call inside the caller's transaction.
    /// </summary>
    public static async Task<(LinkCheck Check, OneTimeLink? Link)> ConsumeAsync(
        Data.MembershipDbContext db, string? token, LinkPurpose purpose, DateTimeOffset now, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 200)
        {
            return (LinkCheck.Invalid, null);
        }

        var hash = OneTimeTokens.Hash(token.Trim());
        var link = await db.OneTimeLinks.AsNoTracking().FirstOrDefaultAsync(l => l.TokenHash == hash && l.Purpose == purpose, ct);
        if (link is null)
        {
            return (LinkCheck.Invalid, null);
        }

        if (link.UsedAt is not null)
        {
            return (LinkCheck.Used, null);
        }

        if (link.ExpiresAt <= now)
        {
            return (LinkCheck.Expired, null);
        }

        var changed = await db.OneTimeLinks
            .Where(l => l.Id == link.Id && l.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now), ct);
        return changed == 1 ? (LinkCheck.Valid, link) : (LinkCheck.Used, null);
    }

    public static Dictionary<string, string[]> Error(LinkCheck check) => new()
    {
        ["token"] = [check switch
        {
            LinkCheck.Expired => "The link has expired.",
            LinkCheck.Used => "The link has already been used.",
            _ => "The link is not valid.",
        }],
    };
}
