using System.Net;
using System.Text.Json.Nodes;
using Panel.ServiceDefaults;
using Panel.TestSupport;
using static Panel.Surveys.Tests.Answering;

namespace Panel.Surveys.Tests;

/// <summary>Surveys reaching its database through a relay of the test's own, which the test takes away and brings back.</summary>
public sealed class RelayedSurveysHost : SurveysHost
{
    public TcpRelay Relay { get; private set; } = default!;

    protected override void Configure(IDictionary<string, string?> settings)
    {
        var (relay, connectionString) = TcpRelay.ForPostgres(Database.ConnectionString);
        Relay = relay;
        settings[$"ConnectionStrings:{ConnectionNames.SurveysDb}"] = connectionString;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Relay is not null)
        {
            await Relay.DisposeAsync();
        }
    }
}

/// <summary>
/// A database restart is not an error for a resident: an answer submitted after the database closed every connection
/// is stored; while the database cannot be reached, submits are answered 503 with Retry-After (never 500) and store
/// nothing; once it is back they are stored, each acknowledged answer exactly once.
/// </summary>
public sealed class DatabaseOutageTests(RelayedSurveysHost host) : IClassFixture<RelayedSurveysHost>
{
    private static JsonObject Answers() => new() { ["answers"] = Valid() };

    private Task<long> StoredAsync(Guid survey) =>
        host.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0", survey);

    [Fact]
    public async Task An_answer_submitted_after_the_database_closed_every_connection_is_stored()
    {
        var (survey, publicId) = await host.OpenLinkSurveyAsync();
        var resident = host.Public();
        (await resident.PostJsonAsync(OpenSubmit(publicId), Answers())).EnsureSuccessStatusCode();

        Assert.True(await host.Database.TerminateConnectionsAsync() > 0, "The service held no connection to close.");
        var after = await resident.PostJsonAsync(OpenSubmit(publicId), Answers());

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(2, await StoredAsync(survey));
    }

    [Fact]
    public async Task While_the_database_is_unreachable_submits_are_503_with_retry_after_and_afterwards_each_acknowledged_answer_is_stored_once()
    {
        var (survey, publicId) = await host.OpenLinkSurveyAsync();
        var resident = host.Public();
        var acknowledged = 0;
        (await resident.PostJsonAsync(OpenSubmit(publicId), Answers())).EnsureSuccessStatusCode();
        acknowledged++;

        await host.Relay.RefuseAsync();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var refused = await resident.PostJsonAsync(OpenSubmit(publicId), Answers());

                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
                Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "No Retry-After.");
            }
        }
        finally
        {
            host.Relay.Accept();
        }

        for (var i = 0; i < 3; i++)
        {
            var stored = await resident.PostJsonAsync(OpenSubmit(publicId), Answers());
            Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
            acknowledged++;
        }

        Assert.Equal(acknowledged, await StoredAsync(survey));
    }
}
