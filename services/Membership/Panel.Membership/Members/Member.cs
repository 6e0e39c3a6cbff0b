using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Panel.Contracts;

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
    /// <summary>
    /// The age band the member's events last reported, i.e. the group Reporting counts them in. It lags the band
    /// by today's year until the member's next event or the maintenance pass reports the change (ReportedProfile).
    /// </summary>
    public required string ReportedAgeBand { get; set; }
    public required string Municipality { get; set; }
    public string? Gender { get; set; }
    public required string Language { get; set; }
    public bool? IsClient { get; set; }
    /// <summary>"email" or "sms": how the member prefers to be invited.</summary>
    public string ContactChannel { get; set; } = ContactChannels.Email;
    public MemberStatus Status { get; set; }
    public DateTimeOffset JoinedAt { get; set; }
    public DateTimeOffset? VerifiedAt { get; set; }
    /// <summary>Last day (inclusive, county time) of a pause; set only while Paused.</summary>
    public DateOnly? PausedUntil { get; set; }
    public DateTimeOffset? PausedAt { get; set; }
    public DateTimeOffset? WithdrawnAt { get; set; }
    public DateTimeOffset? ProfileChangedAt { get; set; }
    public DateTimeOffset? LastSignedInAt { get; set; }
    public required string ConsentVersion { get; set; }
    public DateTimeOffset ConsentAcceptedAt { get; set; }
    public string? CampaignCode { get; set; }
    /// <summary>
    /// A random record key drawn once by the database (never shown): the perturbation of a targeting match count is a
    /// function of the sum of the counted members' keys (the cell-key method, <see cref="Panel.Privacy.CellKeyPerturbation"/>).
    /// </summary>
    public int RecordKey { get; set; }

    public MemberState State => Status switch
    {
        MemberStatus.Pending => MemberState.Pending,
        MemberStatus.Active => MemberState.Active,
        MemberStatus.Paused => MemberState.Paused,
        _ => MemberState.Withdrawn,
    };
}

public static class ContactChannels
{
    public const string Email = "email";
    public const string Sms = "sms";
    public static readonly IReadOnlyList<string> All = [Email, Sms];
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
        e.Property(m => m.ReportedAgeBand).HasMaxLength(10);
        e.Property(m => m.Municipality).HasMaxLength(100);
        e.Property(m => m.Gender).HasMaxLength(20);
        e.Property(m => m.Language).HasMaxLength(2);
        e.Property(m => m.ContactChannel).HasMaxLength(10).HasDefaultValue(ContactChannels.Email);
        e.Property(m => m.Status).HasConversion<string>().HasMaxLength(20);
        e.Property(m => m.ConsentVersion).HasMaxLength(20);
        e.Property(m => m.CampaignCode).HasMaxLength(40);
        e.Property(m => m.RecordKey).HasDefaultValueSql(Invitations.RecordKeys.Sql);
        e.Ignore(m => m.State);
        // The pause check looks only at paused members.
        e.HasIndex(m => m.PausedUntil).HasFilter("status = 'Paused'");
    }
}
