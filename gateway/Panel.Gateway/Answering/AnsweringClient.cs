using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Answering;

/// <summary>
/// The outcome of an answering call: a value, or the problem Surveys named (<see cref="Reason"/>, the answers'
/// problems, field errors). A service that does not answer is a 503 here, never an exception for the page.
/// </summary>
public sealed record AnsweringResult<T>(
    HttpStatusCode Status,
    T? Value,
    string? Reason,
    IReadOnlyList<AnswerProblem> AnswerErrors,
    IReadOnlyDictionary<string, string[]> Errors)
{
    public bool Ok => (int)Status is >= 200 and < 300 && Value is not null;
}

/// <summary>
/// Calls Surveys' answering API and Membership's invitation list for the resident pages, with the gateway's
/// token for the request's user (public, signed-in resident or staff). Unlike <see cref="Backends.BackendClient"/>
/// it reads the problem's <c>reason</c> and <c>answerErrors</c>, which the pages word in the resident's language.
/// Nothing secret is logged: the token and resume code are only in request bodies.
/// </summary>
public sealed partial class AnsweringClient(IHttpClientFactory factory, GatewayTokenIssuer issuer, ILogger<AnsweringClient> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Register(IServiceCollection services)
    {
        services.AddScoped<AnsweringClient>();
        services.AddSingleton<AnswerSecrets>();
    }

    public Task<AnsweringResult<AnswerSession>> OpenInvitationAsync(AnswerRequest request, ClaimsPrincipal user, CancellationToken ct) =>
        SendAsync<AnswerSession>(HttpMethod.Post, ServiceNames.Surveys, AnsweringApi.InvitationForm, request, user, ct);

    public Task<AnsweringResult<AnswerSession>> SaveInvitationAsync(AnswerRequest request, ClaimsPrincipal user, CancellationToken ct) =>
        SendAsync<AnswerSession>(HttpMethod.Put, ServiceNames.Surveys, AnsweringApi.InvitationDraft, request, user, ct);

    public Task<AnsweringResult<AnswerReceived>> SubmitInvitationAsync(AnswerRequest request, ClaimsPrincipal user, CancellationToken ct) =>
        SendAsync<AnswerReceived>(HttpMethod.Post, ServiceNames.Surveys, AnsweringApi.InvitationSubmit, request, user, ct);

    public Task<AnsweringResult<AnswerSession>> OpenLinkFormAsync(string publicId, AnswerRequest request, ClaimsPrincipal user, CancellationToken ct) =>
        SendAsync<AnswerSession>(HttpMethod.Post, ServiceNames.Surveys, AnsweringApi.Open(publicId, "form"), request, user, ct);

    public Task<AnsweringResult<AnswerSession>> SaveOpenLinkAsync(string publicId, AnswerRequest request, ClaimsPrincipal user, CancellationToken ct) =>
        SendAsync<AnswerSession>(HttpMethod.Put, ServiceNames.Surveys, AnsweringApi.Open(publicId, "draft"), request, user, ct);

    public Task<AnsweringResult<AnswerReceived>> SubmitOpenLinkAsync(string publicId, AnswerRequest request, ClaimsPrincipal user, CancellationToken ct) =>
        SendAsync<AnswerReceived>(HttpMethod.Post, ServiceNames.Surveys, AnsweringApi.Open(publicId, "submit"), request, user, ct);

    /// <summary>An answer staff enter for a resident or from paper; the staff token authorizes it, the body names no one.</summary>
    public Task<AnsweringResult<AnswerReceived>> SubmitAssistedAsync(Guid surveyId, AssistedAnswer answer, ClaimsPrincipal user, CancellationToken ct) =>
        SendAsync<AnswerReceived>(HttpMethod.Post, ServiceNames.Surveys, AnsweringApi.Assisted(surveyId), answer, user, ct);

    public Task<AnsweringResult<List<MyInvitation>>> MyInvitationsAsync(ClaimsPrincipal user, CancellationToken ct) =>
        SendAsync<List<MyInvitation>>(HttpMethod.Get, ServiceNames.Membership, AnsweringApi.MyInvitations, null, user, ct);

    private async Task<AnsweringResult<T>> SendAsync<T>(
        HttpMethod method, string service, string path, object? body, ClaimsPrincipal user, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", issuer.Issue(user, service));
        try
        {
            using var response = await factory.CreateClient(service).SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (response.IsSuccessStatusCode)
            {
                var value = string.IsNullOrWhiteSpace(text) ? default : JsonSerializer.Deserialize<T>(text, Json);
                return value is null ? Unavailable<T>() : new AnsweringResult<T>(response.StatusCode, value, null, [], Empty);
            }

            return Problem<T>(response.StatusCode, response.Content.Headers.ContentType?.MediaType, text);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or JsonException or TimeoutException
            or OperationCanceledException or Polly.ExecutionRejectedException)
        {
            // The path names no secret; the exception's type says enough.
            LogCallFailed(logger, method.Method, path, e.GetType().Name);
            return Unavailable<T>();
        }
    }

    private static readonly IReadOnlyDictionary<string, string[]> Empty = new Dictionary<string, string[]>();

    private static AnsweringResult<T> Unavailable<T>() => new(HttpStatusCode.ServiceUnavailable, default, null, [], Empty);

    private static AnsweringResult<T> Problem<T>(HttpStatusCode status, string? mediaType, string text)
    {
        if (mediaType is not ("application/problem+json" or "application/json") || string.IsNullOrWhiteSpace(text))
        {
            return new AnsweringResult<T>(status, default, null, [], Empty);
        }

        try
        {
            var problem = JsonSerializer.Deserialize<ProblemBody>(text, Json);
            return new AnsweringResult<T>(status, default, problem?.Reason, problem?.AnswerErrors ?? [],
                problem?.Errors ?? new Dictionary<string, string[]>());
        }
        catch (JsonException)
        {
            return new AnsweringResult<T>(status, default, null, [], Empty);
        }
    }

    private sealed record ProblemBody(string? Reason, List<AnswerProblem>? AnswerErrors, Dictionary<string, string[]>? Errors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answering call {Method} {Path} failed: {Error}")]
    private static partial void LogCallFailed(ILogger logger, string method, string path, string error);
}
