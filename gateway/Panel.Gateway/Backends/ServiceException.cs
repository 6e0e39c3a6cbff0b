using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Panel.Gateway.Backends;

/// <summary>
/// What every generated service client (<c>ServiceClients.targets</c>) throws when a call does not give the value its
/// OpenAPI document promises: the service's problem (a 400 with field errors, a 403, 404, 409 or 412 with its detail
/// and reasons), a service that cannot be reached (503, from <see cref="GatewayTokenHandler"/>), or an answer in
/// another shape than agreed (502). Pages explain <see cref="Status"/> and the problem in the user's language.
/// </summary>
public partial class ServiceException : Exception
{
    public ServiceException(string message, int statusCode, string? response,
        IReadOnlyDictionary<string, IEnumerable<string>> headers, Exception? innerException)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Response = response;
        Headers = headers;
        Problem = ParseProblem(headers, response);
    }

    /// <summary>The status the service answered; a success status here means its body could not be read.</summary>
    public int StatusCode { get; }

    public string? Response { get; }

    public IReadOnlyDictionary<string, IEnumerable<string>> Headers { get; }

    /// <summary>The status a page explains: a success the gateway could not read is a bad gateway.</summary>
    public HttpStatusCode Status => StatusCode is >= 200 and < 300 ? HttpStatusCode.BadGateway : (HttpStatusCode)StatusCode;

    /// <summary>The problem details document, when the service sent one.</summary>
    public JsonObject? Problem { get; }

    public string? Detail => Text(Problem?["detail"]);

    /// <summary>The service's machine-readable reason (e.g. "closed", "already-answered"), worded by the page.</summary>
    public string? Reason => Text(Problem?["reason"]);

    public IReadOnlyList<string> Reasons =>
        Problem?["reasons"] is JsonArray list ? [.. list.Select(Text).OfType<string>().Where(r => r.Length > 0)] : [];

    /// <summary>The field errors of a validation problem, by the field's path in the request.</summary>
    public IReadOnlyDictionary<string, string[]> Errors
    {
        get
        {
            var errors = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
            if (Problem?["errors"] is JsonObject fields)
            {
                foreach (var (name, messages) in fields)
                {
                    errors[name] = messages is JsonArray many ? [.. many.Select(m => Text(m) ?? "")] : [Text(messages) ?? ""];
                }
            }

            return errors;
        }
    }

    /// <summary>An extension member of the problem read as <typeparamref name="T"/>, or default when absent or of another shape.</summary>
    public T? Extension<T>(string name)
    {
        if (Problem?[name] is not { } node)
        {
            return default;
        }

        try
        {
            return node.Deserialize<T>(JsonSerializerOptions.Web);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return default;
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString();

    private static JsonObject? ParseProblem(IReadOnlyDictionary<string, IEnumerable<string>> headers, string? response)
    {
        if (string.IsNullOrWhiteSpace(response)
            || !headers.TryGetValue("Content-Type", out var types)
            || !types.Any(t => t.StartsWith("application/problem+json", StringComparison.OrdinalIgnoreCase)
                || t.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(response) as JsonObject;
        }
        catch (JsonException)
        {
            // Not a problem document after all: the status alone explains it.
            return null;
        }
    }
}

/// <summary>A documented error response the client read into its generated type (e.g. a validation problem).</summary>
public sealed class ServiceException<TResult>(
    string message, int statusCode, string? response, IReadOnlyDictionary<string, IEnumerable<string>> headers, TResult result,
    Exception? innerException)
    : ServiceException(message, statusCode, response, headers, innerException)
{
    public TResult Result { get; } = result;
}

/// <summary>Helpers for pages calling a generated client.</summary>
public static class ServiceCall
{
    /// <summary>The call's value, or the problem the page explains.</summary>
    public static async Task<(T? Value, ServiceException? Problem)> TryAsync<T>(Func<Task<T>> call) where T : class
    {
        try
        {
            return (await call(), null);
        }
        catch (ServiceException e)
        {
            return (null, e);
        }
    }

    /// <summary>The call's value, or null when the service answered with a problem or could not be reached.</summary>
    public static async Task<T?> OrNull<T>(Func<Task<T>> call) where T : class
    {
        try
        {
            return await call();
        }
        catch (ServiceException)
        {
            return null;
        }
    }
}
