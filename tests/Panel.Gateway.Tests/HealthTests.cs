using System.Net;
using System.Text.Json;
using Panel.Gateway.Tests.Support;

namespace Panel.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class HealthTests(GatewayHost host)
{
    [Fact]
    public async Task Health_is_ready_and_names_the_database_check()
    {
        var response = await host.NewBrowser().Http.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty("database").GetString());
    }

    [Fact]
    public async Task Alive_answers()
    {
        var response = await host.NewBrowser().Http.GetAsync("/alive");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
