using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Panel.Reporting.Data;
using Panel.ServiceDefaults;

namespace Panel.Reporting.Representativeness;

/// <summary>
/// The panel against the county's population. Panel members are those verified and still in the panel
/// (Active and Paused). Null means suppressed: fewer than k members, or a number that would reveal one.
/// </summary>
/// <param name="MinimumGroupSize">k.</param>
/// <param name="Reference">The population reference compared with; null when none has been published, and then the lists are empty.</param>
/// <param name="PanelMembers">Active and Paused members in all.</param>
/// <param name="Attributes">"municipality", "ageBand" and "gender", in that order.</param>
/// <param name="Groups">
/// One per municipality × age band of the reference (all genders); a municipality or age band that panel members
/// have but the reference lacks is there too, with population 0.
/// </param>
/// <param name="UnderRepresented">
/// At most 10 groups to recruit more of: those with a known shortfall above 0, the most members lacking first; then, while there is room,
/// those with residents whose ratio cannot be shown (panel count hidden), largest population first.
/// </param>
public sealed record RepresentativenessResponse(
    int MinimumGroupSize,
    ReferenceInfo? Reference,
    int? PanelMembers,
    IReadOnlyList<AttributeComparison> Attributes,
    IReadOnlyList<GroupComparison> Groups,
    IReadOnlyList<GroupComparison> UnderRepresented);

/// <param name="Population">Residents in the reference in all.</param>
public sealed record ReferenceInfo(int Version, DateTimeOffset PublishedAt, long Population);

/// <param name="Attribute">"municipality", "ageBand" or "gender".</param>
public sealed record AttributeComparison(string Attribute, IReadOnlyList<ShareComparison> Values);

/// <summary>
/// One value of an attribute. Shares are fractions (0..1) of all panel members, and of all residents. Gender has the
/// values woman and man, which population statistics have; members who said another gender or nothing count in the
/// panel size only.
/// </summary>
/// <param name="Ratio">PanelShare / PopulationShare; null when the population share is 0 or the panel share is hidden.</param>
public sealed record ShareComparison(string Value, int? PanelMembers, double? PanelShare, long Population, double PopulationShare, double? Ratio);

/// <summary>One municipality × age band, all genders. The panel share is of all panel members.</summary>
/// <param name="Shortfall">Members to recruit into the group for its panel share to reach its population share (0 if it has); null when hidden.</param>
public sealed record GroupComparison(
    string Municipality, string AgeBand, int? PanelMembers, double? PanelShare, long Population, double PopulationShare, double? Ratio, int? Shortfall);

/// <summary>The reference version held, for the calculator.</summary>
public sealed record ReferenceHeader(int Version, DateTimeOffset PublishedAt);

public static class RepresentativenessEndpoints
{
    public static IEndpointRouteBuilder MapRepresentativenessEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/reporting/panel").WithTags("Panel health")
            .MapGet("/representativeness", GetRepresentativeness)
            .RequireAuthorization(PanelPolicies.PanelHealth)
            .WithName("GetPanelRepresentativeness")
            .WithSummary("The panel (Active and Paused members) against the population reference, per municipality, age band, gender and group (municipality × age band); small counts suppressed.")
            .WithDescription(
                "Shares are fractions 0..1 of all panel members (and of all residents), and Ratio is panel share / population share. " +
                "Gender compares women and men, which population statistics have; members who said another gender or nothing count " +
                "in the panel size. Counts are suppressed by the disclosure-control engine (municipality × age band with its margins, " +
                "and the genders adding up to the panel): a hidden count is null and so is every share, ratio or shortfall computed " +
                "from it, and no hidden count under k can be narrowed below k from what is shown here, in the composition or in panel " +
                "health. UnderRepresented lists the groups lacking the most members (known shortfall), then groups whose count is " +
                "hidden, largest population first, at most 10.");
        return app;
    }

    public static async Task<Ok<RepresentativenessResponse>> GetRepresentativeness(
        ReportingDbContext db, IOptions<ReportingOptions> options, CancellationToken ct)
    {
        var (reference, population, panel) = await PanelMembers.LoadAsync(db, ct);
        return TypedResults.Ok(RepresentativenessCalculator.Compute(options.Value.MinimumGroupSize, reference, population, panel));
    }
}
