using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Panel.Reporting.PanelComposition;

/// <summary>How many panel members fall in one municipality and age band. Built only from events; no member ids.</summary>
public sealed class PanelGroupCount
{
    public required string Municipality { get; set; }
    public required string AgeBand { get; set; }
    public int Members { get; set; }
}

internal sealed class PanelGroupCountConfiguration : IEntityTypeConfiguration<PanelGroupCount>
{
    public void Configure(EntityTypeBuilder<PanelGroupCount> e)
    {
        e.ToTable("panel_group_counts");
        e.HasKey(c => new { c.Municipality, c.AgeBand });
        e.Property(c => c.Municipality).HasMaxLength(100);
        e.Property(c => c.AgeBand).HasMaxLength(10);
    }
}
