using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Panel.Contracts;

namespace Panel.Reporting.PanelHealth;

/// <summary>
/// How many members are in one state and one coarse group. Maintained by deltas from the membership
/// events, so it holds no member ids; while events arrive out of order a group may briefly be negative.
/// </summary>
public sealed class PanelMemberCount
{
    /// <summary>Stored for a member who gave no gender: a key column cannot be null, and "not given" is a group of its own.</summary>
    public const string NoGender = "";

    public required MemberState State { get; set; }
    public required string Municipality { get; set; }
    public required string AgeBand { get; set; }
    public required string Gender { get; set; }
    public int Members { get; set; }
}

/// <summary>Members joined, verified, withdrawn and erased on one UTC day, per campaign code ("" for none).</summary>
public sealed class PanelDailyFlow
{
    public const string NoCampaign = "";

    public required DateOnly Day { get; set; }
    public required string CampaignCode { get; set; }
    public int Joined { get; set; }
    public int Verified { get; set; }
    public int Withdrawn { get; set; }
    public int Erased { get; set; }
}

/// <summary>Sign-ins to "my panel" on one UTC day.</summary>
public sealed class PanelDailySignIns
{
    public required DateOnly Day { get; set; }
    public int SignIns { get; set; }
}

internal sealed class PanelMemberCountConfiguration : IEntityTypeConfiguration<PanelMemberCount>
{
    public void Configure(EntityTypeBuilder<PanelMemberCount> e)
    {
        e.ToTable("panel_member_counts");
        e.HasKey(c => new { c.State, c.Municipality, c.AgeBand, c.Gender });
        e.Property(c => c.State).HasConversion<string>().HasMaxLength(20);
        e.Property(c => c.Municipality).HasMaxLength(100);
        e.Property(c => c.AgeBand).HasMaxLength(10);
        e.Property(c => c.Gender).HasMaxLength(50);
    }
}

internal sealed class PanelDailyFlowConfiguration : IEntityTypeConfiguration<PanelDailyFlow>
{
    public void Configure(EntityTypeBuilder<PanelDailyFlow> e)
    {
        e.ToTable("panel_daily_flows");
        e.HasKey(f => new { f.Day, f.CampaignCode });
        e.Property(f => f.CampaignCode).HasMaxLength(100);
    }
}

internal sealed class PanelDailySignInsConfiguration : IEntityTypeConfiguration<PanelDailySignIns>
{
    public void Configure(EntityTypeBuilder<PanelDailySignIns> e)
    {
        e.ToTable("panel_daily_sign_ins");
        e.HasKey(s => s.Day);
    }
}
