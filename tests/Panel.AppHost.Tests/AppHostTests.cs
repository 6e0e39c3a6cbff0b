using System.Net;
using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Panel.TestSupport;

namespace Panel.AppHost.Tests;

/// <summary>
/// The AppHost as ./run.sh and CI use it (Panel:Servers=existing): the whole app model started through
/// Aspire.Hosting.Testing on the test servers, each service on a fresh database of its own and all on a fresh
/// RabbitMQ virtual host.
/// </summary>
public sealed class AppHostTests
{
    private static readonly string[] Resources = [ServiceNames.Membership, ServiceNames.Surveys, ServiceNames.Feedback, ServiceNames.Reporting, ServiceNames.Gateway];

    [Fact]
    public async Task The_five_processes_start_healthy_on_existing_servers_and_the_gateway_answers()
    {
        var names = new[] { ConnectionNames.MembershipDb, ConnectionNames.SurveysDb, ConnectionNames.FeedbackDb, ConnectionNames.ReportingDb, ConnectionNames.GatewayDb };
        var databases = await Task.WhenAll(names.Select(n => TestDatabase.CreateAsync("apphost_" + n)));
        await using var bus = await TestVirtualHost.CreateAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var mailbox = Directory.CreateTempSubdirectory("panel-apphost-mailbox").FullName;

        string[] args =
        [
            "Panel:Servers=existing",
            .. names.Select((n, i) => $"ConnectionStrings:{n}={databases[i].ConnectionString}"),
            $"ConnectionStrings:{ConnectionNames.EventBus}={bus.AmqpUri}",
            $"GatewayToken:PrivateKey={key.ExportPkcs8PrivateKeyPem()}",
            $"GatewayToken:PublicKey={key.ExportSubjectPublicKeyInfoPem()}",
            $"Panel:MailboxPath={mailbox}",
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Panel_AppHost>(args);
        await using var app = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await app.StartAsync(timeout.Token);

        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        foreach (var name in Resources)
        {
            await notifications.WaitForResourceHealthyAsync(name, timeout.Token);
        }

        using var gateway = app.CreateHttpClient(ServiceNames.Gateway, "http");
        var health = await gateway.GetAsync("/health", timeout.Token);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        // Membership started with what its emails need (a mailbox and the gateway's address), which the AppHost
        // once did not give it: the join page's options come from it through the gateway.
        var options = await gateway.GetAsync("/api/membership/join-options", timeout.Token);
        Assert.Equal(HttpStatusCode.OK, options.StatusCode);
    }
}
