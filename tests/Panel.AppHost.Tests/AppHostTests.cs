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

        // As ./run.sh gives them: every connection string and the private key in the AppHost's environment, which
        // the processes inherit unless the AppHost takes them out.
        var environment = names.Select((n, i) => ($"ConnectionStrings__{n}", databases[i].ConnectionString))
            .Append(($"ConnectionStrings__{ConnectionNames.EventBus}", bus.AmqpUri.ToString()))
            .Append(("GatewayToken__PrivateKey", key.ExportPkcs8PrivateKeyPem()))
            .ToList();
        foreach (var (name, value) in environment)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        string[] args =
        [
            "Panel:Servers=existing",
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

        // Each process got only its own: Membership its database, the bus and the public key; the gateway its
        // database and the private key. (Linux: a process's environment is /proc/PID/environ.)
        var membership = EnvironmentOf("Panel.Membership", $"ConnectionStrings__{ConnectionNames.MembershipDb}={databases[0].ConnectionString}");
        Assert.Equal(
            [$"ConnectionStrings__{ConnectionNames.EventBus}", $"ConnectionStrings__{ConnectionNames.MembershipDb}", "GatewayToken__PublicKey"],
            membership.Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || k.StartsWith("GatewayToken__", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        var gatewayProcess = EnvironmentOf("Panel.Gateway", $"ConnectionStrings__{ConnectionNames.GatewayDb}={databases[4].ConnectionString}");
        Assert.Equal(
            [$"ConnectionStrings__{ConnectionNames.GatewayDb}", "GatewayToken__PrivateKey"],
            gatewayProcess.Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || k.StartsWith("GatewayToken__", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    /// <summary>The environment of the running process whose command line names the project and whose environment holds the entry.</summary>
    private static Dictionary<string, string> EnvironmentOf(string project, string entry)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (!commandLine.Contains("/" + project, StringComparison.Ordinal))
                {
                    continue;
                }

                var entries = File.ReadAllText(Path.Combine(directory, "environ")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
                if (entries.Contains(entry))
                {
                    return entries.Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A process that ended meanwhile.
            }
        }

        throw new InvalidOperationException($"No running {project} process with {entry.Split('=')[0]} of this test.");
    }
}
