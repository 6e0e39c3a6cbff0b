using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Backends;

/// <summary>The outcome of a UI call to a service: a value, field errors, or a status the page explains.</summary>
public sealed record BackendResult<T>(HttpStatusCode Status, T? Value, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool Ok => (int)Status is >= 200 and < 300;
}

/// <summary>
/// Calls a service from the UI with the gateway's token for the signed-in user (or a public one).
/// The address comes from service discovery (services:{name}:http:0).
/// </summary>
public sealed class BackendClient(IHttpClientFactory factory, GatewayTokenIssuer issuer)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<BackendResult<T>> GetAsync<T>(string service, string path, ClaimsPrincipal user, CancellationToken ct) =>
        SendAsync<T>(service, new HttpRequestMessage(HttpMethod.Get, path), user, ct);

    /// <summary>A POST with a JSON body, or with none when <paramref name="body"/> is null.</summary>
    public Task<BackendResult<T>> PostAsync<T>(string service, string path, object? body, ClaimsPrincipal user, CancellationToken ct) =>
        SendAsync<T>(service, new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body, options: Json) }, user, ct);

    public Task<BackendResult<T>> PutAsync<T>(string service, string path, object body, ClaimsPrincipal user, CancellationToken ct) =>
        SendAsync<T>(service, new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body, options: Json) }, user, ct);

    /// <summary>A multipart/form-data POST of one file in the form field <paramref name="field"/>, as a browser uploads it.</summary>
    public Task<BackendResult<T>> PostFileAsync<T>(
        string service, string path, string field, string fileName, Stream content, string? contentType, ClaimsPrincipal user, CancellationToken ct)
    {
        var file = new StreamContent(content);
        file.Headers.ContentType = MediaTypeHeaderValue.TryParse(contentType, out var type) ? type : new MediaTypeHeaderValue("text/csv");
        var form = new MultipartFormDataContent { { file, field, fileName } };
        return SendAsync<T>(service, new HttpRequestMessage(HttpMethod.Post, path) { Content = form }, user, ct);
    }

    /// <summary>A GET whose response the caller streams on (a download) and disposes.</summary>
    public async Task<HttpResponseMessage> GetResponseAsync(string service, string path, ClaimsPrincipal user, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", issuer.Issue(user, service));
        return await factory.CreateClient(service).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    private async Task<BackendResult<T>> SendAsync<T>(string service, HttpRequestMessage request, ClaimsPrincipal user, CancellationToken ct)
    {
        using var _ = request;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", issuer.Issue(user, service));
        var client = factory.CreateClient(service);
        using var response = await client.SendAsync(request, ct);
        if (response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            var value = string.IsNullOrWhiteSpace(text) ? default : JsonSerializer.Deserialize<T>(text, Json);
            return new BackendResult<T>(response.StatusCode, value, new Dictionary<string, string[]>());
        }

        var errors = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        if (response.StatusCode == HttpStatusCode.BadRequest
            && response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json")
        {
            var problem = await response.Content.ReadFromJsonAsync<ValidationProblem>(Json, ct);
            foreach (var (field, messages) in problem?.Errors ?? [])
            {
                errors[field] = messages;
            }
        }

        return new BackendResult<T>(response.StatusCode, default, errors);
    }

    private sealed record ValidationProblem(Dictionary<string, string[]>? Errors);

    public static void Register(IServiceCollection services)
    {
        foreach (var name in ServiceNames.Backends)
        {
            services.AddHttpClient(name, c => c.BaseAddress = new Uri($"http://{name}"));
        }

        services.AddScoped<BackendClient>();
    }
}
