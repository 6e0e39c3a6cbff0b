using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Panel.Contracts;
using Panel.Reporting.Data;
using Panel.Reporting.Suppression;

namespace Panel.Reporting.PanelComposition;

/// <summary>Panel members by municipality (rows) and age band (columns). Null means suppressed (fewer than k).</summary>
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
            .WithSummary("Panel members by municipality and age band, with groups smaller than k suppressed.");
        return app;
    }

    public static async Task<Ok<PanelCompositionResponse>> GetComposition(
        ReportingDbContext db, IOptions<ReportingOptions> options, CancellationToken ct)
    {
        // Everyone who has joined and not left: Pending, Active and Paused, summed over gender.
        MemberState[] inPanel = [MemberState.Pending, MemberState.Active, MemberState.Paused];
        var counts = (await db.PanelMemberCounts.AsNoTracking()
                .Where(c => inPanel.Contains(c.State))
                .GroupBy(c => new { c.Municipality, c.AgeBand })
                .Select(g => new { g.Key.Municipality, g.Key.AgeBand, Members = g.Sum(c => c.Members) })
                .ToListAsync(ct))
            // A group is briefly negative only while events arrive out of order.
            .Where(c => c.Members > 0)
            .ToList();
        var municipalities = counts.Select(c => c.Municipality).Distinct().Order(StringComparer.Ordinal).ToList();
        var ageBands = counts.Select(c => c.AgeBand).Distinct().Order(StringComparer.Ordinal).ToList();
        var grid = new int[municipalities.Count, ageBands.Count];
        foreach (var c in counts)
        {
            grid[municipalities.IndexOf(c.Municipality), ageBands.IndexOf(c.AgeBand)] = c.Members;
        }

        var k = options.Value.MinimumGroupSize;
        var table = SmallCountSuppression.Suppress(municipalities, ageBands, grid, k);
        return TypedResults.Ok(new PanelCompositionResponse(
            k, table.Rows, table.Columns, table.Cells, table.RowTotals, table.ColumnTotals, table.Total));
    }
}
