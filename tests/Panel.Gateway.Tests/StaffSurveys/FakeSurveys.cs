using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests.StaffSurveys;

/// <summary>
/// The real services behind the gateway, except that Membership's targeting count fails with a 500 (what the real
/// service does not do on demand): the gateway's client for Membership answers that path itself.
/// </summary>
public sealed class FailingMatchesGatewayHost : LiveGatewayHost
{
    public const string MatchesPath = "/api/membership/targeting/matches";

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.AddHttpClient(ServiceNames.Membership).AddHttpMessageHandler(() => new FailingMatches());
    }

    private sealed class FailingMatches : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            request.RequestUri?.AbsolutePath == MatchesPath
                ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.InternalServerError)
                {
                    RequestMessage = request,
                    Content = new StringContent("""{"title":"Boom","status":500}""", Encoding.UTF8, "application/problem+json"),
                })
                : base.SendAsync(request, cancellationToken);
    }
}

[CollectionDefinition(Name)]
public sealed class FailingMatchesCollection : ICollectionFixture<FailingMatchesGatewayHost>
{
    public const string Name = "failing matches";
}
