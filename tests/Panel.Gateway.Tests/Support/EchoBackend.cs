using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests.Support;

/// <summary>One request as a backend service saw it.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string? BearerToken =>
        Header("Authorization") is { } value && value.StartsWith("Bearer ", StringComparison.Ordinal) ? value["Bearer ".Length..] : null;
}

/// <summary>
/// A real Kestrel server standing in for the four services: it records every request (method, path,
/// headers, body) and answers with canned responses shaped like the real services' ones.
/// </summary>
public sealed partial class EchoBackend : IAsyncDisposable
{
    /// <summary>A join whose email contains this is refused with a 400 naming the email field.</summary>
    public const string RejectedEmailMarker = "rejected";

    public const string JoinOptionsJson =
        """{"municipalities":["Tampere","Nokia"],"genders":["woman","man","other","unspecified"],"languages":["fi","sv","en"],"minimumAge":15,"consentVersion":"1"}""";

    /// <summary>Nokia's small groups are suppressed (null); Tampere's are shown.</summary>
    public const string CompositionJson =
        """{"minimumGroupSize":5,"municipalities":["Nokia","Tampere"],"ageBands":["25-34","35-44"],"members":[[null,null],[12,7]],"municipalityTotals":[null,19],"ageBandTotals":[null,null],"total":23}""";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests;
    private readonly EchoStaffState _staff;

    private EchoBackend(WebApplication app, ConcurrentQueue<RecordedRequest> requests, EchoStaffState staff, Uri address)
    {
        _app = app;
        _requests = requests;
        _staff = staff;
        Address = address;
    }

    public Uri Address { get; }

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public IReadOnlyList<RecordedRequest> RequestsTo(string path) =>
        [.. _requests.Where(r => r.Path.Equals(path, StringComparison.Ordinal))];

    public static async Task<EchoBackend> StartAsync()
    {
        var requests = new ConcurrentQueue<RecordedRequest>();
        var app = RecordingServer.Create(requests.Enqueue);

        app.MapGet("/api/membership/join-options", () => Json(JoinOptionsJson, StatusCodes.Status200OK));

        app.MapPost("/api/membership/members", async (HttpRequest request) =>
        {
            using var json = await JsonDocument.ParseAsync(request.Body);
            var email = json.RootElement.TryGetProperty("email", out var e) ? e.GetString() ?? "" : "";
            return email.Contains(RejectedEmailMarker, StringComparison.OrdinalIgnoreCase)
                ? Results.Content(
                    """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.","status":400,"errors":{"email":["The email address is not valid."]}}""",
                    "application/problem+json", Encoding.UTF8, StatusCodes.Status400BadRequest)
                : Json("""{"status":"received"}""", StatusCodes.Status202Accepted);
        });

        // Like the real Reporting service: only coordinators and IT administrators see the composition.
        app.MapGet("/api/reporting/panel/composition", (HttpRequest request) =>
            RolesOf(request).Any(r => r is PanelRoles.Coordinator or PanelRoles.ItAdmin)
                ? Json(CompositionJson, StatusCodes.Status200OK)
                : Results.Content("""{"title":"Forbidden","status":403}""", "application/problem+json", Encoding.UTF8, StatusCodes.Status403Forbidden));

        MapMembershipResidentEndpoints(app);
        MapReportingPanelEndpoints(app);
        var staff = new EchoStaffState();
        MapStaffEndpoints(app, staff);

        app.MapFallback((HttpRequest request) => Json(JsonSerializer.Serialize(new { echo = request.Path.Value }), StatusCodes.Status200OK));

        var address = await RecordingServer.StartAsync(app);
        return new EchoBackend(app, requests, staff, address);
    }

    private static IResult Json(string json, int status) => Results.Content(json, "application/json", Encoding.UTF8, status);

    /// <summary>The claims of the bearer token, read without validation (the tests validate tokens themselves).</summary>
    private static JsonElement? PayloadOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        var parts = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Split('.') : [];
        if (parts.Length != 3)
        {
            return null;
        }

        var payload = parts[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        using var json = JsonDocument.Parse(Convert.FromBase64String(payload));
        return json.RootElement.Clone();
    }

    /// <summary>The role claims of the bearer token.</summary>
    private static List<string> RolesOf(HttpRequest request)
    {
        if (PayloadOf(request) is not { } payload || !payload.TryGetProperty("role", out var role))
        {
            return [];
        }

        return role.ValueKind == JsonValueKind.Array
            ? [.. role.EnumerateArray().Select(r => r.GetString() ?? "")]
            : [role.GetString() ?? ""];
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
