using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Panel.Membership.Population;

/// <summary>
/// One published version of the county's population by municipality, age band and gender, uploaded by a
/// coordinator as CSV. The newest version is the current one; older ones are kept as published.
/// </summary>
public sealed class PopulationReference
{
    public int Version { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
    /// <summary>The publishing staff member's subject.</summary>
    public required string PublishedBy { get; set; }
    public int Groups { get; set; }
    public long Total { get; set; }
    public List<PopulationReferenceRow> Rows { get; set; } = [];
}

/// <summary>Residents of one municipality, age band and gender in one version. A group not stored has none.</summary>
public sealed class PopulationReferenceRow
{
    public int Version { get; set; }
    public required string Municipality { get; set; }
    public required string AgeBand { get; set; }
    public required string Gender { get; set; }
    public int Count { get; set; }
}

/// <summary>The genders of population statistics. Members may also say "other" or "unspecified", which the statistics do not have.</summary>
public static class PopulationGenders
{
    public static readonly IReadOnlyList<string> All = ["woman", "man"];
}

internal sealed class PopulationReferenceConfiguration : IEntityTypeConfiguration<PopulationReference>
{
    public void Configure(EntityTypeBuilder<PopulationReference> e)
    {
        e.ToTable("population_references", t =>
        {
            t.HasCheckConstraint("ck_population_references_groups", "groups > 0");
            t.HasCheckConstraint("ck_population_references_total", "total > 0");
        });
        e.HasKey(r => r.Version);
        e.Property(r => r.Version).ValueGeneratedNever();
        e.Property(r => r.PublishedBy).HasMaxLength(200);
        e.HasMany(r => r.Rows).WithOne().HasForeignKey(r => r.Version).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PopulationReferenceRowConfiguration : IEntityTypeConfiguration<PopulationReferenceRow>
{
    public void Configure(EntityTypeBuilder<PopulationReferenceRow> e)
    {
        e.ToTable("population_reference_rows", t =>
        {
            t.HasCheckConstraint("ck_population_reference_rows_count", "count >= 0");
            t.HasCheckConstraint("ck_population_reference_rows_gender", "gender IN ('woman', 'man')");
        });
        e.HasKey(r => new { r.Version, r.Municipality, r.AgeBand, r.Gender });
        e.Property(r => r.Municipality).HasMaxLength(100);
        e.Property(r => r.AgeBand).HasMaxLength(10);
        e.Property(r => r.Gender).HasMaxLength(10);
    }
}
