using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Panel.Contracts;
using Panel.Reporting.Data;
using Panel.Reporting.Representativeness;
using Panel.Privacy;
using Panel.ServiceDefaults;

namespace Panel.Reporting.PanelHealth;

/// <summary>Members by state. Null means suppressed (fewer than k, or a number that would reveal one).</summary>
/// <param name="InPanel">
/// Active + Paused: the members in the panel, the same number as the composition's total and the representativeness
/// answer's panelMembers, and hidden where they hide it. Pending and Withdrawn members are in no total.
/// </param>
public sealed record MembersByState(int? Pending, int? Active, int? Paused, int? Withdrawn, int? InPanel);

/// <summary>What happened in one calendar month (UTC). Null means suppressed.</summary>
public sealed record MonthFlows(string Month, int? Joined, int? Verified, int? Withdrawn, int? Erased, int? SignIns);

/// <summary>Each measure summed over the window; null when any month of it is suppressed.</summary>
public sealed record FlowTotals(int? Joined, int? Verified, int? Withdrawn, int? Erased, int? SignIns);

/// <param name="RoundingBase">
/// The flows, totals and the pending and withdrawn members are rounded down to a multiple of this (zeros shown as 0),
/// so that no two of them can be subtracted to count a few people (joined minus verified against the pending members).
/// </param>
public sealed record PanelHealthResponse(int MinimumGroupSize, MembersByState ByState, IReadOnlyList<MonthFlows> Months, FlowTotals Totals, int RoundingBase);

/// <summary>One ISO week (e.g. "2026-W48") of a campaign. Null means suppressed.</summary>
public sealed record CampaignWeek(string Week, int? Joined, int? Verified);

public sealed record CampaignTotals(int? Joined, int? Verified);

public sealed record CampaignFlows(string CampaignCode, IReadOnlyList<CampaignWeek> Weeks, CampaignTotals Totals);

public sealed record PanelCampaignsResponse(int MinimumGroupSize, IReadOnlyList<string> Weeks, IReadOnlyList<CampaignFlows> Campaigns, int RoundingBase);

public static class PanelHealthEndpoints
{
    private static readonly string[] MonthMeasures = ["joined", "verified", "withdrawn", "erased", "signIns"];
    private static readonly string[] CampaignMeasures = ["joined", "verified"];

    public static IEndpointRouteBuilder MapPanelHealthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/reporting/panel").WithTags("Panel health")
            .RequireAuthorization(PanelPolicies.PanelHealth);
        group.MapGet("/health", GetHealth)
            .WithName("GetPanelHealth")
            .WithSummary("Members by state and, per month, members joined, verified, withdrawn, erased and sign-ins; small counts suppressed.");
        group.MapGet("/campaigns", GetCampaigns)
            .WithName("GetPanelCampaigns")
            .WithSummary("Per recruitment campaign code, members joined and verified per ISO week; small counts suppressed.");
        return app;
    }

    /// <param name="months">How many calendar months, ending with the current one (1-36, default 12).</param>
    public static async Task<Results<Ok<PanelHealthResponse>, ValidationProblem>> GetHealth(
        string? months, ReportingDbContext db, TimeProvider time, IOptions<ReportingOptions> options, CancellationToken ct)
    {
        if (!TryParseWindow(months, nameof(months), 36, 12, out var count, out var problem))
        {
            return problem;
        }

        var k = options.Value.MinimumGroupSize;
        var byState = await MembersByStateAsync(db, k, ct);

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var first = new DateOnly(today.Year, today.Month, 1).AddMonths(-(count - 1));
        var end = new DateOnly(today.Year, today.Month, 1).AddMonths(1);
        var labels = Enumerable.Range(0, count).Select(i => first.AddMonths(i).ToString("yyyy-MM", CultureInfo.InvariantCulture)).ToList();
        int Row(DateOnly day) => (day.Year - first.Year) * 12 + day.Month - first.Month;

        var grid = new int[count, MonthMeasures.Length];
        var flows = await db.PanelDailyFlows.AsNoTracking()
            .Where(f => f.Day >= first && f.Day < end)
            .GroupBy(f => f.Day)
            .Select(g => new { Day = g.Key, Joined = g.Sum(f => f.Joined), Verified = g.Sum(f => f.Verified), Withdrawn = g.Sum(f => f.Withdrawn), Erased = g.Sum(f => f.Erased) })
            .ToListAsync(ct);
        foreach (var f in flows)
        {
            var i = Row(f.Day);
            grid[i, 0] += f.Joined;
            grid[i, 1] += f.Verified;
            grid[i, 2] += f.Withdrawn;
            grid[i, 3] += f.Erased;
        }

        var signIns = await db.PanelDailySignIns.AsNoTracking().Where(s => s.Day >= first && s.Day < end).ToListAsync(ct);
        foreach (var s in signIns)
        {
            grid[Row(s.Day), 4] += s.SignIns;
        }

        // Rounded as well as suppressed: exact flows could be subtracted from each other and from the members by
        // state (joined minus verified over a window holding the panel's whole history is the pending members).
        var table = WindowSuppression.SuppressRounded(labels, MonthMeasures, grid, k);
        var rows = labels.Select((label, i) =>
        {
            var c = table.Cells[i];
            return new MonthFlows(label, c[0], c[1], c[2], c[3], c[4]);
        }).ToList();
        var t = table.ColumnTotals;
        return TypedResults.Ok(new PanelHealthResponse(k, byState, rows, new FlowTotals(t[0], t[1], t[2], t[3], t[4]), CountRounding.DefaultBase));
    }

    /// <param name="weeks">How many ISO weeks, ending with the current one (1-104, default 26).</param>
    public static async Task<Results<Ok<PanelCampaignsResponse>, ValidationProblem>> GetCampaigns(
        string? weeks, ReportingDbContext db, TimeProvider time, IOptions<ReportingOptions> options, CancellationToken ct)
    {
        if (!TryParseWindow(weeks, nameof(weeks), 104, 26, out var count, out var problem))
        {
            return problem;
        }

        var k = options.Value.MinimumGroupSize;
        var today = time.GetUtcNow().UtcDateTime.Date;
        var monday = DateOnly.FromDateTime(ISOWeek.ToDateTime(ISOWeek.GetYear(today), ISOWeek.GetWeekOfYear(today), DayOfWeek.Monday));
        var first = monday.AddDays(-7 * (count - 1));
        var end = monday.AddDays(7);
        var labels = Enumerable.Range(0, count).Select(i => WeekLabel(first.AddDays(7 * i))).ToList();

        var flows = await db.PanelDailyFlows.AsNoTracking()
            .Where(f => f.Day >= first && f.Day < end && f.CampaignCode != PanelDailyFlow.NoCampaign && (f.Joined != 0 || f.Verified != 0))
            .Select(f => new { f.CampaignCode, f.Day, f.Joined, f.Verified })
            .ToListAsync(ct);

        var campaigns = flows.GroupBy(f => f.CampaignCode).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var grid = new int[count, CampaignMeasures.Length];
            foreach (var f in g)
            {
                var i = (f.Day.DayNumber - first.DayNumber) / 7;
                grid[i, 0] += f.Joined;
                grid[i, 1] += f.Verified;
            }

            var table = WindowSuppression.SuppressRounded(labels, CampaignMeasures, grid, k);
            return new CampaignFlows(
                g.Key,
                labels.Select((label, i) => new CampaignWeek(label, table.Cells[i][0], table.Cells[i][1])).ToList(),
                new CampaignTotals(table.ColumnTotals[0], table.ColumnTotals[1]));
        }).ToList();

        return TypedResults.Ok(new PanelCampaignsResponse(k, labels, campaigns, CountRounding.DefaultBase));
    }

    /// <summary>
    /// Active and Paused with their sum "in panel", which is the panel size the composition and representativeness
    /// answers publish (from the same audited numbers, so shown or hidden with them). The two states are shown only
    /// when the panel size is and both are 0 or at least k; otherwise both are hidden, their known sum being at
    /// least k. Pending and Withdrawn stand alone, each hidden below k: in a total with the others, the difference
    /// of that total and the panel size would give them away.
    /// </summary>
    private static async Task<MembersByState> MembersByStateAsync(ReportingDbContext db, int k, CancellationToken ct)
    {
        var sums = await db.PanelMemberCounts.AsNoTracking()
            .GroupBy(c => c.State)
            .Select(g => new { State = g.Key, Members = g.Sum(c => c.Members) })
            .ToDictionaryAsync(s => s.State, s => s.Members, ct);
        var (_, population, panel) = await PanelMembers.LoadAsync(db, ct);
        return ByState(k, sums, population, panel);
    }

    /// <param name="sums">Members by state over all groups, as the read model holds them.</param>
    /// <param name="population">The population reference's groups, as the other panel endpoints use them.</param>
    /// <param name="panel">Members in the panel (Active and Paused) by group.</param>
    public static MembersByState ByState(
        int k, IReadOnlyDictionary<MemberState, int> sums, IReadOnlyList<PopulationCount> population, IReadOnlyList<PanelMembersCount> panel)
    {
        // A state is briefly negative only while events arrive out of order.
        int Of(MemberState state) => Math.Max(0, sums.GetValueOrDefault(state));
        // Pending and withdrawn members are also the difference of flows (joined minus verified, …): rounded like them.
        int? Rounded(int n) => (int?)CountRounding.PublishShowingZero(n, k);

        var inPanel = RepresentativenessCalculator.Publish(k, population, panel).Total;
        int active = Of(MemberState.Active), paused = Of(MemberState.Paused);
        // Active and paused add up to the panel: one line of the engine (hidden whole while events arrive out of order
        // and the two do not add up to the panel size yet).
        var states = RepresentativenessCalculator.PublishLine([active, paused], inPanel, k);
        return new MembersByState(
            Rounded(Of(MemberState.Pending)),
            states[0],
            states[1],
            Rounded(Of(MemberState.Withdrawn)),
            inPanel);
    }

    private static string WeekLabel(DateOnly monday)
    {
        var date = monday.ToDateTime(TimeOnly.MinValue);
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(date):D4}-W{ISOWeek.GetWeekOfYear(date):D2}");
    }

    private static bool TryParseWindow(string? value, string name, int max, int fallback, out int count, out ValidationProblem problem)
    {
        problem = null!;
        if (value is null)
        {
            count = fallback;
            return true;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count >= 1 && count <= max)
        {
            return true;
        }

        problem = TypedResults.ValidationProblem(new Dictionary<string, string[]>
        {
            [name] = [$"The {name} must be a whole number from 1 to {max}."],
        });
        return false;
    }
}
