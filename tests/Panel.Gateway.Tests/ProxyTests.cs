using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Panel.Gateway.Tests.Support;

namespace Panel.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class ProxyTests(GatewayHost host)
{
    [Fact]
    public async Task Anonymous_api_call_reaches_the_service_with_its_path_and_a_public_gateway_token_instead_of_the_callers_credentials()
    {
        var client = host.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var path = $"/api/membership/anything/{Guid.NewGuid():N}";
        using var request = new HttpRequestMessage(HttpMethod.Get, path + "?page=2");
        request.Headers.Add("Cookie", "panel.staff=stolen; other=value");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "callers-own-token");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(host.Backend.RequestsTo(path));
        Assert.Equal("GET", seen.Method);
        Assert.Equal("?page=2", seen.Query);
        Assert.Null(seen.Header("Cookie"));
        Assert.NotEqual("callers-own-token", seen.BearerToken);
        var token = await host.ValidTokenAsync(seen.BearerToken, "panel-membership");
        Assert.Equal("public", token.Claim("act_kind"));
        Assert.Empty(token.Roles());
    }

    [Fact]
    public async Task Signed_in_staff_call_carries_the_staff_members_id_and_roles_and_not_the_session_cookie()
    {
        var browser = await host.SignedInAsync();
        var adminId = await host.WithUsersAsync(async users => (await users.FindByEmailAsync(GatewayHost.AdminEmail))!.Id);
        var path = $"/api/membership/anything/{Guid.NewGuid():N}";

        var response = await browser.Http.PostAsync(path, new StringContent("""{"x":1}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(host.Backend.RequestsTo(path));
        Assert.Equal("POST", seen.Method);
        Assert.Equal("""{"x":1}""", seen.Body);
        Assert.Null(seen.Header("Cookie"));
        var token = await host.ValidTokenAsync(seen.BearerToken, "panel-membership");
        Assert.Equal(adminId, token.Claim("sub"));
        Assert.Equal("staff", token.Claim("act_kind"));
        Assert.Equal(["Coordinator", "ItAdmin"], token.Roles());
    }

    [Theory]
    [InlineData("reporting")]
    [InlineData("surveys")]
    [InlineData("feedback")]
    public async Task Each_route_gets_a_token_for_its_own_service_only(string service)
    {
        var path = $"/api/{service}/anything/{Guid.NewGuid():N}";

        var response = await host.NewBrowser().Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(host.Backend.RequestsTo(path));
        await host.ValidTokenAsync(seen.BearerToken, "panel-" + service);
        Assert.False((await host.CheckTokenAsync(seen.BearerToken, "panel-membership")).IsValid);
    }
}
