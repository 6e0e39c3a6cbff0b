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
    public const string JoinOptionsJson =
        """{"municipalities":["Tampere","Nokia"],"genders":["woman","man","other","unspecified"],"languages":["fi","sv","en"],"minimumAge":15,"consentVersion":"1"}""";

    public const string EmptyCompositionJson =
        """{"minimumGroupSize":5,"municipalities":[],"ageBands":[],"members":[],"municipalityTotals":[],"ageBandTotals":[],"total":0}""";

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

        // The join form of the pages the echo serves (the rate limits' tests post it).
        app.MapGet("/api/membership/join-options", () => Json(JoinOptionsJson, StatusCodes.Status200OK));

        // The staff start page of the pages the echo serves: a panel without members.
        app.MapGet("/api/reporting/panel/composition", () => Json(EmptyCompositionJson, StatusCodes.Status200OK));

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
