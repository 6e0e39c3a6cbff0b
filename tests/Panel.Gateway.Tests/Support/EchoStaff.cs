using System.Collections.Concurrent;
using System.Text;
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

    /// <summary>What GET /panel/representativeness answers (see <see cref="EchoBackend.RepresentativenessJson"/>).</summary>
    public string Representativeness { get; set; } = EchoBackend.RepresentativenessJson;
}

/// <summary>
/// Membership's campaign list (for the campaign report's page, whose weeks only the echo can date) and Reporting's
/// representativeness, shaped like the real ones: the same field
/// names in their ValidationProblems, the same statuses, the same roles.
/// </summary>
public sealed partial class EchoBackend
{
    /// <summary>
    /// Two municipalities and three of the age bands, with the reference; Nokia's 75-84 are hidden
    /// (fewer than five in the panel, or hidden with them); Ruovesi's 75-84 and Nokia's 25-34 are the
    /// groups to recruit.
    /// </summary>
    public const string RepresentativenessJson =
        """
        {"minimumGroupSize":5,"reference":{"version":3,"publishedAt":"2026-02-10T09:30:00+00:00","population":245810},"panelMembers":412,
        "attributes":[
          {"attribute":"municipality","values":[
            {"value":"Nokia","panelMembers":152,"panelShare":0.369,"population":35210,"populationShare":0.1432,"ratio":2.58},
            {"value":"Ruovesi","panelMembers":260,"panelShare":0.631,"population":210600,"populationShare":0.8568,"ratio":0.74}]},
          {"attribute":"ageBand","values":[
            {"value":"25-34","panelMembers":200,"panelShare":0.4854,"population":100000,"populationShare":0.4068,"ratio":1.19},
            {"value":"45-54","panelMembers":208,"panelShare":0.5049,"population":120000,"populationShare":0.4882,"ratio":1.03},
            {"value":"75-84","panelMembers":null,"panelShare":null,"population":25810,"populationShare":0.105,"ratio":null}]},
          {"attribute":"gender","values":[
            {"value":"woman","panelMembers":230,"panelShare":0.5583,"population":125000,"populationShare":0.5085,"ratio":1.1},
            {"value":"man","panelMembers":182,"panelShare":0.4417,"population":120810,"populationShare":0.4915,"ratio":0.9}]}],
        "groups":[
          {"municipality":"Nokia","ageBand":"25-34","panelMembers":7,"panelShare":0.017,"population":9100,"populationShare":0.037,"ratio":0.46,"shortfall":8},
          {"municipality":"Nokia","ageBand":"75-84","panelMembers":null,"panelShare":null,"population":1300,"populationShare":0.0053,"ratio":null,"shortfall":null},
          {"municipality":"Ruovesi","ageBand":"45-54","panelMembers":110,"panelShare":0.267,"population":40000,"populationShare":0.1627,"ratio":1.64,"shortfall":0},
          {"municipality":"Ruovesi","ageBand":"75-84","panelMembers":6,"panelShare":0.0146,"population":12000,"populationShare":0.0488,"ratio":0.3,"shortfall":14}],
        "underRepresented":[
          {"municipality":"Ruovesi","ageBand":"75-84","panelMembers":6,"panelShare":0.0146,"population":12000,"populationShare":0.0488,"ratio":0.3,"shortfall":14},
          {"municipality":"Nokia","ageBand":"25-34","panelMembers":7,"panelShare":0.017,"population":9100,"populationShare":0.037,"ratio":0.46,"shortfall":8}]}
        """;

    /// <summary>No reference uploaded yet: nothing to compare with.</summary>
    public const string NoReferenceJson =
        """{"minimumGroupSize":5,"reference":null,"panelMembers":412,"attributes":[],"groups":[],"underRepresented":[]}""";

    public EchoStaffState Staff => _staff;

    private static void MapStaffEndpoints(WebApplication app, EchoStaffState state)
    {
        Seed(state);

        app.MapGet("/api/membership/campaigns", (HttpRequest request) =>
            !IsPanelManager(request)
                ? Problem(StatusCodes.Status403Forbidden, "Forbidden")
                : Json(JsonSerializer.Serialize(state.Campaigns.Values.OrderByDescending(c => c.GetProperty("startsOn").GetString(), StringComparer.Ordinal)), StatusCodes.Status200OK));

        app.MapGet("/api/reporting/panel/representativeness", (HttpRequest request) =>
            IsPanelManager(request) ? Json(state.Representativeness, StatusCodes.Status200OK) : Problem(StatusCodes.Status403Forbidden, "Forbidden"));
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

    private static IResult ValidationProblem(Dictionary<string, string[]> errors) =>
        Results.Content(
            JsonSerializer.Serialize(new
            {
                type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
                title = "One or more validation errors occurred.",
                status = 400,
                errors,
            }),
            "application/problem+json", Encoding.UTF8, StatusCodes.Status400BadRequest);
}
