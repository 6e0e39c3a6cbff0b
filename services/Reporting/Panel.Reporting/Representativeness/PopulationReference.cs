using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Panel.Reporting.Representativeness;

/// <summary>
/// Which population reference version Reporting holds (one row, id 1). Only the newest version published in
/// Membership is kept; an older one that arrives late is ignored.
/// </summary>
public sealed class CurrentPopulationReference
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;
    public int Version { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
}

/// <summary>Residents of one municipality, age band and gender ("woman" or "man") in the current reference. Public statistics.</summary>
public sealed class PopulationGroup
{
    public required string Municipality { get; set; }
    public required string AgeBand { get; set; }
    public required string Gender { get; set; }
    public long Population { get; set; }
}

internal sealed class CurrentPopulationReferenceConfiguration : IEntityTypeConfiguration<CurrentPopulationReference>
{
    public void Configure(EntityTypeBuilder<CurrentPopulationReference> e)
    {
        e.ToTable("population_reference", t => t.HasCheckConstraint("ck_population_reference_singleton", "id = 1"));
        e.HasKey(r => r.Id);
        e.Property(r => r.Id).ValueGeneratedNever();
    }
}

internal sealed class PopulationGroupConfiguration : IEntityTypeConfiguration<PopulationGroup>
{
    public void Configure(EntityTypeBuilder<PopulationGroup> e)
    {
        e.ToTable("population_groups", t => t.HasCheckConstraint("ck_population_groups_population", "population >= 0"));
        e.HasKey(g => new { g.Municipality, g.AgeBand, g.Gender });
        e.Property(g => g.Municipality).HasMaxLength(100);
        e.Property(g => g.AgeBand).HasMaxLength(10);
        e.Property(g => g.Gender).HasMaxLength(10);
    }
}
