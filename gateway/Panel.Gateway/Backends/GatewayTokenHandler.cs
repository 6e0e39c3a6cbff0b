using System.Net;
using System.Net.Http.Headers;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Backends;

/// <summary>
/// The one handler in front of every generated service client: it adds the gateway's token for the request's user
/// (a staff member, a signed-in resident, or the public) for <paramref name="service"/>, and turns a service that
/// cannot be reached (connection refused, timeout, circuit open) into a 503 answer, so a page shows a notice
/// instead of failing. It is the outermost handler, outside the resilience pipeline's retries.
/// </summary>
public sealed partial class GatewayTokenHandler(
    IHttpContextAccessor http, GatewayTokenIssuer issuer, string service, ILogger<GatewayTokenHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var user = http.HttpContext?.User ?? new System.Security.Claims.ClaimsPrincipal();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", issuer.Issue(user, service));
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or TimeoutException
            or OperationCanceledException or Polly.ExecutionRejectedException)
        {
            // The path names no secret (tokens and codes travel in headers and bodies); the exception's type says enough.
            LogUnreachable(logger, service, request.Method.Method, request.RequestUri?.AbsolutePath, e.GetType().Name);
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { RequestMessage = request, Content = new StringContent("") };
        }
    }

    /// <summary>Registers <typeparamref name="TImplementation"/> as the typed client of <paramref name="service"/>, behind this handler.</summary>
    public static void AddClient<TClient, TImplementation>(IServiceCollection services, string service)
        where TClient : class where TImplementation : class, TClient
    {
        services.AddHttpClient<TClient, TImplementation>(service, c => c.BaseAddress = new Uri($"http://{service}/"))
            .ConfigureAdditionalHttpMessageHandlers((handlers, sp) => handlers.Insert(0, new GatewayTokenHandler(
                sp.GetRequiredService<IHttpContextAccessor>(), sp.GetRequiredService<GatewayTokenIssuer>(), service,
                sp.GetRequiredService<ILogger<GatewayTokenHandler>>())));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Service} service could not be reached ({Method} {Path}): {Error}")]
    private static partial void LogUnreachable(ILogger logger, string service, string method, string? path, string error);
}
