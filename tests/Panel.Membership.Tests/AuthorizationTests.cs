using Microsoft.Extensions.Hosting;
using System.Net;
using System.Net.Http.Json;
using Panel.TestSupport;

namespace Panel.Membership.Tests;

/// <summary>Nothing in the service answers without the gateway's token for this service.</summary>
public sealed class AuthorizationTests(MembershipHost host) : IClassFixture<MembershipHost>
{
    public static TheoryData<string?> BadTokens() => new()
    {
        { null },
        { TestTokens.Forged(ServiceNames.Membership) },
        { TestTokens.Staff(ServiceNames.Reporting, "Coordinator") },
        { "not-a-token" },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Calls_without_a_valid_gateway_token_for_membership_are_401_and_store_nothing(string? token)
    {
        var client = host.Client(token);
        var email = $"x-{Guid.NewGuid():N}@example.fi";

        var join = await client.PostAsJsonAsync("/api/membership/members", new
        {
            email, birthYear = 1980, municipality = "Tampere", language = "fi", consent = true,
        });
        var options = await client.GetAsync("/api/membership/join-options");
        var openApi = await client.GetAsync(ServiceApiExtensions.OpenApiPath(ServiceNames.Membership));

        Assert.Equal(HttpStatusCode.Unauthorized, join.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, options.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, openApi.StatusCode);
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM members WHERE email = @p0", email));
    }

    [Fact]
    public async Task Health_and_alive_answer_without_a_token_and_report_database_and_broker()
    {
        var client = host.Client();

        var health = await Eventually.UntilAsync(() => client.GetAsync("/health"), r => r.StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "membership to become healthy");
        var body = await health.Content.ReadAsStringAsync();
        var alive = await client.GetAsync("/alive");

        Assert.Contains("\"database\":\"Healthy\"", body);
        Assert.Contains("masstransit", body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_join_endpoint()
    {
        var client = host.Client(TestTokens.Public(ServiceNames.Membership));

        var document = await client.GetStringAsync(ServiceApiExtensions.OpenApiPath(ServiceNames.Membership));

        Assert.Contains("/api/membership/members", document);
        Assert.Contains("JoinPanel", document);
    }
}
