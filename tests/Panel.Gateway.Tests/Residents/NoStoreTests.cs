using System.Net;
using Panel.Gateway.Tests.Support;

namespace Panel.Gateway.Tests.Residents;

/// <summary>What the services answer through the gateway (a member's own data, a staff view) is kept by no cache.</summary>
[Collection(LiveGatewayCollection.Name)]
public sealed class NoStoreTests(LiveGatewayHost host)
{
    [Fact]
    public async Task A_members_own_data_and_the_audit_log_through_the_proxy_say_no_store()
    {
        var resident = await host.SignedInResidentAsync();
        var admin = await host.SignedInAsync();

        using var me = await resident.Browser.Http.GetAsync("/api/membership/me");
        using var export = await resident.Browser.Http.GetAsync("/api/membership/me/export");
        using var audit = await admin.Http.GetAsync("/api/membership/audit");

        foreach (var response in new[] { me, export, audit })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.CacheControl?.NoStore, $"{response.RequestMessage?.RequestUri}: Cache-Control {response.Headers.CacheControl}");
        }
    }
}
