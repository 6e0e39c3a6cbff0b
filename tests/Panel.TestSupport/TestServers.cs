using System.Diagnostics;
using DotNet.Testcontainers.Builders;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Panel.TestSupport;

/// <summary>
/// The real PostgreSQL and RabbitMQ the tests use: Testcontainers where a Docker engine exists,
/// otherwise the servers test.sh started (PANEL_TEST_POSTGRES, PANEL_TEST_RABBITMQ, ...).
/// One pair per test process; each test makes its own databases and virtual host on it.
/// </summary>
public sealed class TestServers
{
    private static readonly Lazy<Task<TestServers>> Shared = new(StartAsync);

    public required string PostgresConnectionString { get; init; }
    /// <summary>amqp://user:password@host:port, without a virtual host.</summary>
    public required Uri RabbitMqUri { get; init; }
    public required Uri RabbitMqManagement { get; init; }
    public required string RabbitMqUser { get; init; }
    public required string RabbitMqPassword { get; init; }
    private RabbitMqContainer? Container { get; init; }

    public static Task<TestServers> GetAsync() => Shared.Value;

    private static async Task<TestServers> StartAsync()
    {
        var postgres = Environment.GetEnvironmentVariable("PANEL_TEST_POSTGRES");
        var rabbit = Environment.GetEnvironmentVariable("PANEL_TEST_RABBITMQ");
        if (!string.IsNullOrEmpty(postgres) && !string.IsNullOrEmpty(rabbit))
        {
            return new TestServers
            {
                // The maintenance database, where test databases are created and dropped.
                PostgresConnectionString = new Npgsql.NpgsqlConnectionStringBuilder(postgres) { Database = "postgres" }.ConnectionString,
                RabbitMqUri = new Uri(rabbit.TrimEnd('/')),
                RabbitMqManagement = new Uri(Environment.GetEnvironmentVariable("PANEL_TEST_RABBITMQ_MANAGEMENT") ?? "http://127.0.0.1:15672"),
                RabbitMqUser = Environment.GetEnvironmentVariable("PANEL_TEST_RABBITMQ_USER") ?? "panel",
                RabbitMqPassword = Environment.GetEnvironmentVariable("PANEL_TEST_RABBITMQ_PASSWORD") ?? "",
            };
        }

        PostgreSqlContainer pg;
        RabbitMqContainer mq;
        try
        {
            // Build() is where Testcontainers finds out there is no Docker engine.
            pg = new PostgreSqlBuilder("postgres:16").Build();
            mq = new RabbitMqBuilder("rabbitmq:3.13-management").WithPortBinding(15672, true)
                .WithUsername("panel").WithPassword("panel").Build();
        }
        catch (DockerUnavailableException ex)
        {
            throw new InvalidOperationException(
                "No Docker engine, and PANEL_TEST_POSTGRES / PANEL_TEST_RABBITMQ are not set: run the tests with ./test.sh, which starts the servers.", ex);
        }

        await Task.WhenAll(pg.StartAsync(), mq.StartAsync());
        var amqp = new UriBuilder(mq.GetConnectionString()) { Path = "" }.Uri;
        return new TestServers
        {
            PostgresConnectionString = pg.GetConnectionString() + ";Include Error Detail=false",
            RabbitMqUri = amqp,
            RabbitMqManagement = new UriBuilder("http", mq.Hostname, mq.GetMappedPublicPort(15672)).Uri,
            RabbitMqUser = "panel",
            RabbitMqPassword = "panel",
            Container = mq,
        };
    }

    /// <summary>
    /// Stops the RabbitMQ application (every connection drops, the node stays) or starts it
    /// again: a broker outage as clients see it.
    /// </summary>
    public async Task RabbitMqCtlAsync(string command)
    {
        if (Container is not null)
        {
            var result = await Container.ExecAsync(["rabbitmqctl", command]);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"rabbitmqctl {command} failed: {result.Stderr}");
            }

            return;
        }

        using var process = Process.Start(new ProcessStartInfo("rabbitmqctl", command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {command} failed ({process.ExitCode}): {await stderr}");
        }
    }
}
