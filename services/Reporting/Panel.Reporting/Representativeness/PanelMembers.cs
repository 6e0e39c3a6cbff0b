using Microsoft.EntityFrameworkCore;
using Panel.Contracts;
using Panel.Reporting.Data;

namespace Panel.Reporting.Representativeness;

/// <summary>What the panel endpoints are computed from: the population reference held and the members in the panel.</summary>
public sealed record PanelSnapshot(ReferenceHeader? Reference, IReadOnlyList<PopulationCount> Population, IReadOnlyList<PanelMembersCount> Panel);

/// <summary>
/// The one definition of "members in the panel" for composition, health and representativeness: verified and not
/// withdrawn, i.e. Active and Paused. Pending and Withdrawn members are only ever reported as their own state counts.
/// </summary>
public static class PanelMembers
{
    public static readonly MemberState[] States = [MemberState.Active, MemberState.Paused];

    /// <summary>
    /// Small queries whatever the panel's size (the reference row, its groups, the member counts): the read model
    /// holds counts per group, not members.
    /// </summary>
    public static async Task<PanelSnapshot> LoadAsync(ReportingDbContext db, CancellationToken ct)
    {
        var reference = await db.CurrentPopulationReference.AsNoTracking()
            .Where(r => r.Id == CurrentPopulationReference.SingletonId)
            .Select(r => new ReferenceHeader(r.Version, r.PublishedAt))
            .FirstOrDefaultAsync(ct);
        var population = reference is null
            ? []
            : await db.PopulationGroups.AsNoTracking()
                .Select(g => new PopulationCount(g.Municipality, g.AgeBand, g.Gender, g.Population))
                .ToListAsync(ct);
        var panel = await db.PanelMemberCounts.AsNoTracking()
            .Where(c => States.Contains(c.State))
            .GroupBy(c => new { c.Municipality, c.AgeBand, c.Gender })
            .Select(g => new PanelMembersCount(g.Key.Municipality, g.Key.AgeBand, g.Key.Gender, g.Sum(c => c.Members)))
            .ToListAsync(ct);
        return new PanelSnapshot(reference, population, panel);
    }
}

/// <summary>
/// The panel counts every panel endpoint publishes, suppressed and audited once (<see cref="PublishedPanel"/>):
/// composition, health's "in panel" and representativeness all take their numbers from here, so a number hidden
/// in one is hidden in all and the answers together say no more than each alone.
/// </summary>
public sealed class PanelPublication
{
    internal PanelPublication(IReadOnlyList<string> municipalities, IReadOnlyList<string> ageBands, PublishedPanel shown)
    {
        Municipalities = municipalities;
        AgeBands = ageBands;
        Shown = shown;
    }

    /// <summary>The reference's municipalities and those panel members have, in ordinal order.</summary>
    public IReadOnlyList<string> Municipalities { get; }
    public IReadOnlyList<string> AgeBands { get; }
    internal PublishedPanel Shown { get; }

    /// <summary>Members in the panel in all (Active and Paused); null when hidden.</summary>
    public int? Total => Shown.Total;
    public int? Municipality(int m) => Shown.Municipalities[m];
    public int? AgeBand(int a) => Shown.AgeBands[a];
    /// <summary>Members of a municipality and age band, all genders; null when hidden.</summary>
    public int? Cell(int m, int a) => Shown.Cell(m, a);
}
