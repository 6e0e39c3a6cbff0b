using Panel.Gateway.Tests.Support;

namespace Panel.Gateway.Tests;

/// <summary>
/// The first staff sign-in after a database restart used to fail with a 500: the gateway took a pooled connection
/// the restart had closed. The sessions are ended here as a restart ends them, on the gateway's own database.
/// </summary>
[Collection(LiveGatewayCollection.Name)]
public sealed class DatabaseRestartTests(LiveGatewayHost host)
{
    [Fact]
    public async Task The_first_staff_sign_in_after_the_database_closed_every_connection_succeeds()
    {
        await host.SignedInAsync();
        Assert.True(await host.Database.TerminateConnectionsAsync() > 0, "The gateway held no connection to close.");

        // Asserts the redirect and the session cookie.
        await host.SignedInAsync();
    }
}
