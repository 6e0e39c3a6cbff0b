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
/// The panel counts every panel endpoint publishes (composition, health's "in panel", representativeness), decided
/// once by the disclosure-control engine, so a number hidden in one is hidden in all and the answers together say no
/// more than each alone. Two tables that share only the panel size:
/// <list type="bullet">
/// <item>members by municipality × age band (all genders) with its margins, suppressed by
/// <see cref="Panel.Privacy.SmallCountSuppression"/> (optimal secondary suppression, audited);</item>
/// <item>members by gender (woman, man, other or not given) adding up to the panel size, suppressed by the same
/// engine with the panel size fixed as the first table decided it; in a panel under 2k every gender number is
/// hidden (<see cref="RepresentativenessCalculator.PublishLine"/>).</item>
/// </list>
/// Nothing else is published from the members: every share, ratio and shortfall is computed from shown numbers
/// only. A reader who knows every shown number and that no count is negative cannot narrow a hidden count below k:
/// each table passes the engine's audit, and the tables meet only in the panel size, which is shown in both or
/// hides the gender table whole. Health's active and paused members are a third such line.
/// </summary>
public sealed class PanelPublication
{
    internal PanelPublication(IReadOnlyList<string> municipalities, IReadOnlyList<string> ageBands, Panel.Privacy.SuppressedTable composition, int?[] genders)
    {
        Municipalities = municipalities;
        AgeBands = ageBands;
        Composition = composition;
        Genders = genders;
    }

    /// <summary>The reference's municipalities and those panel members have, in ordinal order.</summary>
    public IReadOnlyList<string> Municipalities { get; }
    public IReadOnlyList<string> AgeBands { get; }

    /// <summary>Rows the municipalities, columns the age bands; null where hidden.</summary>
    public Panel.Privacy.SuppressedTable Composition { get; }

    /// <summary>Members who said woman, man, and other or nothing (<see cref="RepresentativenessCalculator.GenderLayers"/>); null where hidden.</summary>
    public IReadOnlyList<int?> Genders { get; }

    /// <summary>Members in the panel in all (Active and Paused); null when hidden.</summary>
    public int? Total => Composition.Total;
    public int? Municipality(int m) => Composition.RowTotals[m];
    public int? AgeBand(int a) => Composition.ColumnTotals[a];
    /// <summary>Members of a municipality and age band, all genders; null when hidden.</summary>
    public int? Cell(int m, int a) => Composition.Cells[m][a];
}
