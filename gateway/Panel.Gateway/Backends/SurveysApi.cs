using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Backends;

/// <summary>
/// The outcome of a staff survey page's call: the value and its ETag, or the problem the page explains
/// (field errors of a 400, the detail and reasons of a 403, 409 or 412). A service that cannot be reached
/// is a 503 here, so a page shows a notice instead of failing.
/// </summary>
public sealed record ApiResult<T>(
    HttpStatusCode Status, T? Value, IReadOnlyDictionary<string, string[]> Errors, string? Detail, IReadOnlyList<string> Reasons, string? ETag)
{
    public bool Ok => (int)Status is >= 200 and < 300;
}

/// <summary>
/// Calls the Surveys API (and Membership's targeting and progress endpoints) for the staff survey pages, with
/// the gateway's token for the signed-in staff member, an If-Match header where a change must not overwrite
/// another, and the problem details the pages need.
/// </summary>
public sealed partial class SurveysClient(IHttpClientFactory factory, GatewayTokenIssuer issuer, ILogger<SurveysClient> logger)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<ApiResult<T>> GetAsync<T>(string service, string path, ClaimsPrincipal user, CancellationToken ct) =>
        SendAsync<T>(service, HttpMethod.Get, path, null, null, user, ct);

    public Task<ApiResult<T>> PostAsync<T>(string service, string path, object? body, ClaimsPrincipal user, CancellationToken ct) =>
        SendAsync<T>(service, HttpMethod.Post, path, body, null, user, ct);

    public Task<ApiResult<T>> PutAsync<T>(string service, string path, object body, ClaimsPrincipal user, CancellationToken ct) =>
        SendAsync<T>(service, HttpMethod.Put, path, body, null, user, ct);

    /// <summary>A PATCH of the survey's content; <paramref name="version"/> is the definition version the user saw (If-Match).</summary>
    public Task<ApiResult<T>> PatchAsync<T>(string service, string path, object body, int version, ClaimsPrincipal user, CancellationToken ct) =>
        SendAsync<T>(service, HttpMethod.Patch, path, body, $"\"{version}\"", user, ct);

    public async Task<ApiResult<T>> SendAsync<T>(
        string service, HttpMethod method, string path, object? body, string? ifMatch, ClaimsPrincipal user, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", issuer.Issue(user, service));
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (body is not null)
        {
            request.Content = body is JsonNode node
                ? new StringContent(node.ToJsonString(), System.Text.Encoding.UTF8, "application/json")
                : JsonContent.Create(body, options: Json);
        }

        HttpResponseMessage response;
        try
        {
            response = await factory.CreateClient(service).SendAsync(request, ct);
        }
        catch (HttpRequestException)
        {
            LogUnreachable(logger, service);
            return new ApiResult<T>(HttpStatusCode.ServiceUnavailable, default, Empty, null, [], null);
        }

        using var _ = response;
        var etag = response.Headers.ETag?.ToString();
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.IsSuccessStatusCode)
        {
            T? value;
            try
            {
                value = string.IsNullOrWhiteSpace(text) ? default : JsonSerializer.Deserialize<T>(text, Json);
            }
            catch (JsonException)
            {
                // A service answering another shape than agreed is unavailable to this page, not a crash of it.
                LogBadShape(logger, service);
                return new ApiResult<T>(HttpStatusCode.BadGateway, default, Empty, null, [], null);
            }

            return new ApiResult<T>(response.StatusCode, value, Empty, null, [], etag);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        string? detail = null;
        var reasons = new List<string>();
        if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json" && text.Length > 0)
        {
            try
            {
                var problem = JsonNode.Parse(text) as JsonObject;
                detail = problem?["detail"]?.GetValue<string>();
                if (problem?["errors"] is JsonObject fieldErrors)
                {
                    foreach (var (field, messages) in fieldErrors)
                    {
                        errors[field] = messages is JsonArray list ? [.. list.Select(m => m?.ToString() ?? "")] : [messages?.ToString() ?? ""];
                    }
                }

                if (problem?["reasons"] is JsonArray list2)
                {
                    reasons.AddRange(list2.Select(r => r?.ToString() ?? "").Where(r => r.Length > 0));
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                // Not a problem document after all: the status alone explains it.
            }
        }

        return new ApiResult<T>(response.StatusCode, default, errors, detail, reasons, etag);
    }

    private static readonly IReadOnlyDictionary<string, string[]> Empty = new Dictionary<string, string[]>();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Service} service could not be reached from a staff survey page")]
    private static partial void LogUnreachable(ILogger logger, string service);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Service} service answered a staff survey page in an unexpected shape")]
    private static partial void LogBadShape(ILogger logger, string service);
}

/// <summary>The values the staff survey pages offer, and the paths the assisted-answer and preview pages still call through <see cref="SurveysClient"/>.</summary>
public static class SurveysApi
{
    public static string Survey(Guid id) => $"/api/surveys/{id}";
    public static string Preview(Guid id, string language) => $"/api/surveys/{id}/preview?language={Uri.EscapeDataString(language)}";

    /// <summary>The states in the order of a survey's life.</summary>
    public static readonly IReadOnlyList<string> States = ["draft", "in-review", "approved", "open", "closed", "results-published"];

    public static readonly IReadOnlyList<string> QuestionTypes =
        ["single-choice", "multiple-choice", "likert", "nps", "number", "free-text", "ranking", "matrix", "budget"];

    public static readonly IReadOnlyList<string> Languages = ["fi", "sv", "en"];

    public static readonly IReadOnlyList<string> AgeBands = ["15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"];

    public static readonly IReadOnlyList<string> Genders = ["woman", "man", "other", "unspecified"];

    public static readonly IReadOnlyList<string> QuotaAttributes = ["ageBand", "municipality", "gender", "language", "isClient"];
}

/// <summary>GET /api/surveys/{id} as the pages read it; the pages themselves are kept as JSON (<see cref="SurveyDocument"/>).</summary>
public sealed record SurveyInfo(
    Guid Id, string Kind, string ServiceArea, int MinimumGroupSize, List<string> Languages,
    Dictionary<string, string> Title, Dictionary<string, string>? Purpose, Dictionary<string, string>? ResultsUse,
    string State, int DefinitionVersion, Dictionary<string, List<string>> MissingTranslations, bool TranslationsComplete, bool HasAnswers,
    List<string> AllowedActions, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? TemplateId,
    DateTimeOffset? SubmittedAt, DateTimeOffset? ApprovedAt, DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt,
    DateTimeOffset? OpenedAt, DateTimeOffset? ClosedAt, DateTimeOffset? ResultsPublishedAt, JsonObject? TargetGroup, string? PublicId)
{
    public bool Allows(string action) => AllowedActions.Contains(action);
}
