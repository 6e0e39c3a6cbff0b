using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests.Support;

/// <summary>
/// What the staff pages' stand-in services hold and answer; one per <see cref="EchoBackend"/>, so a test
/// that changes it changes nothing in another gateway's tests.
/// </summary>
public sealed class EchoStaffState
{
    /// <summary>Campaigns by code; KINO and MALL exist from the start (the campaign report has both).</summary>
    public ConcurrentDictionary<string, JsonElement> Campaigns { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Membership's campaign list (for the campaign report's page, whose weeks only the echo can date), shaped like the
/// real one: the same fields, the same statuses, the same roles.
/// </summary>
public sealed partial class EchoBackend
{
    public EchoStaffState Staff => _staff;

    private static void MapStaffEndpoints(WebApplication app, EchoStaffState state)
    {
        Seed(state);

        app.MapGet("/api/membership/campaigns", (HttpRequest request) =>
            !IsPanelManager(request)
                ? Problem(StatusCodes.Status403Forbidden, "Forbidden")
                : Json(JsonSerializer.Serialize(state.Campaigns.Values.OrderByDescending(c => c.GetProperty("startsOn").GetString(), StringComparer.Ordinal)), StatusCodes.Status200OK));
    }

    private static void Seed(EchoStaffState state)
    {
        state.Campaigns["KINO"] = JsonSerializer.SerializeToElement(new
        {
            code = "KINO", name = "Elokuvamainos kevät 2026", channel = "cinema", startsOn = "2026-01-05", endsOn = "2026-03-29", createdAt = "2025-12-20T10:00:00+00:00",
        });
        state.Campaigns["MALL"] = JsonSerializer.SerializeToElement(new
        {
            code = "MALL", name = "Kauppakeskus Ratina", channel = "mall-screen", startsOn = "2026-01-20", endsOn = (string?)null, createdAt = "2026-01-10T10:00:00+00:00",
        });
    }

    private static bool IsPanelManager(HttpRequest request) =>
        RolesOf(request).Any(r => r is PanelRoles.Coordinator or PanelRoles.ItAdmin);
}
