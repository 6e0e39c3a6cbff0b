using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace Panel.Gateway.Tests.Support;

/// <summary>
/// The calls a gateway's clients make to the real services in process, with the services' answers (what the gateway
/// sends, where the token travels), and failures a test may put in front of a service (<see cref="Faults"/>: a 5xx or
/// a malformed body, what the real service cannot be made to answer).
/// </summary>
public sealed class ServiceCalls
{
    private readonly ConcurrentQueue<RecordedCall> _calls = new();

    /// <summary>Failures put in front of the services: the first rule that answers a request answers it instead.</summary>
    public ConcurrentDictionary<string, Func<RecordedCall, HttpResponseMessage?>> Faults { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<RecordedCall> All => [.. _calls];

    /// <summary>The calls to one path (no query), oldest first.</summary>
    public IReadOnlyList<RecordedCall> To(string path) => [.. _calls.Where(c => c.Path == path)];

    /// <summary>Records every call of the gateway's clients of the services <paramref name="names"/>.</summary>
    public void RecordClients(IServiceCollection services, params string[] names)
    {
        foreach (var name in names)
        {
            services.AddHttpClient(name).AddHttpMessageHandler(() => new Recorder(this));
        }
    }

    private sealed class Recorder(ServiceCalls calls) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            var call = new RecordedCall(request.Method.Method, request.RequestUri!.AbsolutePath, request.RequestUri.Query, headers, body);
            calls._calls.Enqueue(call);
            var response = calls.Faults.Values.Select(f => f(call)).FirstOrDefault(r => r is not null)
                ?? await base.SendAsync(request, cancellationToken);
            response.RequestMessage ??= request;
            if (response.Content is { } content)
            {
                await content.LoadIntoBufferAsync(cancellationToken);
                call.ResponseBody = await content.ReadAsStringAsync(cancellationToken);
            }

            return response;
        }
    }
}

/// <summary>A call the gateway made to a service, and what the service answered.</summary>
public sealed record RecordedCall(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? ResponseBody { get; set; }

    public string? BearerToken =>
        Headers.TryGetValue("Authorization", out var value) && value.StartsWith("Bearer ", StringComparison.Ordinal) ? value["Bearer ".Length..] : null;
}
