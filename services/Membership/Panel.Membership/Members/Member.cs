using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Panel.Membership.Members;

public enum MemberStatus
{
    Pending,
    Active,
    Paused,
    Withdrawn,
}

/// <summary>A panelist. The only place in Panel where contact details live.</summary>
public sealed class Member
{
    /// <summary>Random id; the only way other services may know this member.</summary>
    public Guid Id { get; set; }
    public required string Email { get; set; }
    public string? Phone { get; set; }
    public int BirthYear { get; set; }
    public required string Municipality { get; set; }
    public string? Gender { get; set; }
    public required string Language { get; set; }
    public bool? IsClient { get; set; }
    public MemberStatus Status { get; set; }
    public DateTimeOffset JoinedAt { get; set; }
    public required string ConsentVersion { get; set; }
    public DateTimeOffset ConsentAcceptedAt { get; set; }
    public string? CampaignCode { get; set; }
}

internal sealed class MemberConfiguration : IEntityTypeConfiguration<Member>
{
    public void Configure(EntityTypeBuilder<Member> e)
    {
        e.ToTable("members");
        e.HasKey(m => m.Id);
        e.Property(m => m.Email).HasMaxLength(254);
        e.HasIndex(m => m.Email).IsUnique();
        e.Property(m => m.Phone).HasMaxLength(32);
        e.Property(m => m.Municipality).HasMaxLength(100);
        e.Property(m => m.Gender).HasMaxLength(20);
        e.Property(m => m.Language).HasMaxLength(2);
        e.Property(m => m.Status).HasConversion<string>().HasMaxLength(20);
        e.Property(m => m.ConsentVersion).HasMaxLength(20);
        e.Property(m => m.CampaignCode).HasMaxLength(40);
    }
}
