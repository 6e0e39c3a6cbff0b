using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Panel.Reporting.Data;
using Panel.Reporting.Representativeness;

namespace Panel.Reporting.PanelComposition;

/// <summary>
/// Members in the panel (Active and Paused) by municipality (rows) and age band (columns). Null means suppressed:
/// fewer than k, or a number that would reveal one, here or together with the health and representativeness answers.
/// </summary>
public sealed record PanelCompositionResponse(
    int MinimumGroupSize,
    IReadOnlyList<string> Municipalities,
    IReadOnlyList<string> AgeBands,
    int?[][] Members,
    int?[] MunicipalityTotals,
    int?[] AgeBandTotals,
    int? Total);

public static class CompositionEndpoints
{
    public static IEndpointRouteBuilder MapCompositionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/reporting/panel").WithTags("Panel health")
            .MapGet("/composition", GetComposition)
            .RequireAuthorization(Panel.ServiceDefaults.PanelPolicies.PanelHealth)
            .WithName("GetPanelComposition")
            .WithSummary("Members in the panel (Active and Paused) by municipality and age band, with groups smaller than k suppressed.");
        return app;
    }

    public static async Task<Ok<PanelCompositionResponse>> GetComposition(
        ReportingDbContext db, IOptions<ReportingOptions> options, CancellationToken ct)
    {
        var k = options.Value.MinimumGroupSize;
        var (_, population, panel) = await PanelMembers.LoadAsync(db, ct);
        return TypedResults.Ok(Compose(k, RepresentativenessCalculator.Publish(k, population, panel)));
    }

    /// <summary>
    /// The composition as the representativeness answer publishes the same numbers: its totals are the municipality
    /// and age band values and the panel size there, its cells are shown only where all their parts are.
    /// </summary>
    public static PanelCompositionResponse Compose(int k, PanelPublication published)
    {
        int M = published.Municipalities.Count, A = published.AgeBands.Count;
        return new PanelCompositionResponse(
            k,
            published.Municipalities,
            published.AgeBands,
            Enumerable.Range(0, M).Select(m => Enumerable.Range(0, A).Select(a => published.Cell(m, a)).ToArray()).ToArray(),
            Enumerable.Range(0, M).Select(published.Municipality).ToArray(),
            Enumerable.Range(0, A).Select(published.AgeBand).ToArray(),
            published.Total);
    }
}
