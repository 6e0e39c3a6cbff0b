using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Panel.Membership.Campaigns;

/// <summary>A recruitment campaign; joins carry its code (upper case), so joins can be counted per campaign.</summary>
public sealed class Campaign
{
    public Guid Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string Channel { get; set; }
    public DateOnly StartsOn { get; set; }
    public DateOnly? EndsOn { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public static class CampaignChannels
{
    public static readonly IReadOnlyList<string> All = ["poster", "cinema", "mall-screen", "social-media", "event", "other"];
}

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> e)
    {
        e.ToTable("campaigns", t =>
        {
            t.HasCheckConstraint("ck_campaigns_code", "code ~ '^[A-Z0-9-]{2,40}$'");
            t.HasCheckConstraint("ck_campaigns_period", "ends_on IS NULL OR ends_on >= starts_on");
        });
        e.HasKey(c => c.Id);
        e.Property(c => c.Code).HasMaxLength(40);
        e.HasIndex(c => c.Code).IsUnique();
        e.Property(c => c.Name).HasMaxLength(200);
        e.Property(c => c.Channel).HasMaxLength(20);
    }
}
