using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Panel.Gateway.Accounts;
using Panel.Gateway.Tests.Support;

namespace Panel.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class BootstrapTests(GatewayHost host)
{
    [Fact]
    public async Task The_configured_administrator_exists_with_the_IT_administrator_and_coordinator_roles()
    {
        var roles = await host.WithUsersAsync(async users =>
        {
            var admin = await users.FindByEmailAsync(GatewayHost.AdminEmail);
            Assert.NotNull(admin);
            return (await users.GetRolesAsync(admin)).Order(StringComparer.Ordinal).ToList();
        });

        Assert.Equal(["Coordinator", "ItAdmin"], roles);
    }

    [Fact]
    public async Task With_a_configured_administrator_no_setup_link_is_offered()
    {
        Assert.False(host.Services.GetRequiredService<SetupToken>().IsActive);

        var page = await host.NewBrowser().GetAsync("/setup?token=anything");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(GatewayHost.Texts.Get("fi", "setup.notAvailable"), page.Text, StringComparison.Ordinal);
        Assert.False(page.HasForm("setup"));
    }
}
