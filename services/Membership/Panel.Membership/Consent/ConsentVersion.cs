using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Panel.Membership.Data;

namespace Panel.Membership.Consent;

/// <summary>A consent text published by a coordinator. The newest one is the one residents accept.</summary>
public sealed class ConsentVersion
{
    public int Version { get; set; }
    public required string TextFi { get; set; }
    public required string TextSv { get; set; }
    public required string TextEn { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
    /// <summary>The publishing staff member's subject.</summary>
    public required string PublishedBy { get; set; }
}

internal sealed class ConsentVersionConfiguration : IEntityTypeConfiguration<ConsentVersion>
{
    public void Configure(EntityTypeBuilder<ConsentVersion> e)
    {
        e.ToTable("consent_versions");
        e.HasKey(c => c.Version);
        e.Property(c => c.Version).ValueGeneratedNever();
        e.Property(c => c.TextFi).HasMaxLength(20000);
        e.Property(c => c.TextSv).HasMaxLength(20000);
        e.Property(c => c.TextEn).HasMaxLength(20000);
        e.Property(c => c.PublishedBy).HasMaxLength(200);
    }
}

/// <summary>
/// The current consent: the newest published version, or the configured one
/// (Membership:ConsentVersion / ConsentTexts) while none has been published.
/// </summary>
public static class CurrentConsent
{
    public static async Task<ConsentResponse> GetAsync(MembershipDbContext db, MembershipOptions options, CancellationToken ct)
    {
        var newest = await db.ConsentVersions.AsNoTracking().OrderByDescending(c => c.Version).FirstOrDefaultAsync(ct);
        return newest is null
            ? new ConsentResponse(options.ConsentVersion, new ConsentTexts(options.ConsentTexts["fi"], options.ConsentTexts["sv"], options.ConsentTexts["en"]))
            : new ConsentResponse(newest.Version.ToString(CultureInfo.InvariantCulture), new ConsentTexts(newest.TextFi, newest.TextSv, newest.TextEn));
    }

    public static async Task<string> VersionAsync(MembershipDbContext db, MembershipOptions options, CancellationToken ct)
    {
        var newest = await db.ConsentVersions.AsNoTracking().OrderByDescending(c => c.Version).Select(c => (int?)c.Version).FirstOrDefaultAsync(ct);
        return newest is { } v ? v.ToString(CultureInfo.InvariantCulture) : options.ConsentVersion;
    }
}
