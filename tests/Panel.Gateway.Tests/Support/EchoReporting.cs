using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests.Support;

/// <summary>
/// Reporting's panel health and campaign reports, shaped like the real ones: suppressed counts are null,
/// and only coordinators and IT administrators are answered (others get a 403).
/// </summary>
public sealed partial class EchoBackend
{
    /// <summary>Three months; the February joins, the March verifications and several totals are suppressed.</summary>
    public const string HealthJson =
        """{"minimumGroupSize":5,"byState":{"pending":6,"active":null,"paused":null,"withdrawn":null,"inPanel":15},"months":[{"month":"2026-01","joined":8,"verified":6,"withdrawn":null,"erased":0,"signIns":7},{"month":"2026-02","joined":null,"verified":5,"withdrawn":null,"erased":null,"signIns":12},{"month":"2026-03","joined":13,"verified":null,"withdrawn":0,"erased":null,"signIns":null}],"totals":{"joined":null,"verified":11,"withdrawn":null,"erased":null,"signIns":19}}""";

    /// <summary>KINO has a suppressed week and a suppressed total; MALL has one week.</summary>
    public const string CampaignsJson =
        """{"minimumGroupSize":5,"weeks":["2025-W38","2025-W39","2026-W02","2026-W03","2026-W05"],"campaigns":[{"campaignCode":"KINO","weeks":[{"week":"2026-W03","joined":null,"verified":null},{"week":"2026-W02","joined":8,"verified":6}],"totals":{"joined":null,"verified":6}},{"campaignCode":"MALL","weeks":[{"week":"2026-W05","joined":9,"verified":7}],"totals":{"joined":9,"verified":7}}]}""";

    public const string NoCampaignsJson =
        """{"minimumGroupSize":5,"weeks":["2025-W38","2025-W39"],"campaigns":[]}""";

    /// <summary>Whether GET /panel/campaigns answers with no campaigns at all.</summary>
    public static bool CampaignsEmpty { get; set; }

    /// <summary>When set, what GET /panel/campaigns answers instead.</summary>
    public static string? CampaignsJsonOverride { get; set; }

    private static void MapReportingPanelEndpoints(WebApplication app)
    {
        app.MapGet("/api/reporting/panel/health", (HttpRequest request) =>
            ForPanelHealth(request, HealthJson));

        app.MapGet("/api/reporting/panel/campaigns", (HttpRequest request) =>
            ForPanelHealth(request, CampaignsJsonOverride ?? (CampaignsEmpty ? NoCampaignsJson : CampaignsJson)));
    }

    private static IResult ForPanelHealth(HttpRequest request, string json) =>
        RolesOf(request).Any(r => r is PanelRoles.Coordinator or PanelRoles.ItAdmin)
            ? Json(json, StatusCodes.Status200OK)
            : Problem(StatusCodes.Status403Forbidden, "Forbidden");
}
