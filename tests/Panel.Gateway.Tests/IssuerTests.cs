using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests;

public sealed class IssuerTests
{
    [Fact]
    public void Disposing_one_issuer_leaves_another_with_the_same_key_working()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var options = Options.Create(new GatewayTokenOptions { PrivateKey = key.ExportPkcs8PrivateKeyPem() });
        var first = new GatewayTokenIssuer(options, TimeProvider.System);
        using var second = new GatewayTokenIssuer(options, TimeProvider.System);
        // Staff: signed every time (a public actor's token would be reused and prove nothing here).
        var staff = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "staff-1")], "test"));
        _ = first.Issue(staff, ServiceNames.Membership);
        _ = second.Issue(staff, ServiceNames.Membership);

        first.Dispose();
        var token = second.Issue(staff, ServiceNames.Membership);

        Assert.Equal(3, token.Split('.').Length);
    }

    [Fact]
    public void The_public_actors_token_is_reused_for_a_quarter_of_its_lifetime_per_service_and_staff_tokens_never()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var issuer = new GatewayTokenIssuer(Options.Create(new GatewayTokenOptions { PrivateKey = key.ExportPkcs8PrivateKeyPem(), LifetimeSeconds = 60 }), clock);
        var anyone = new ClaimsPrincipal(new ClaimsIdentity());
        var staff = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "staff-1")], "test"));

        var first = issuer.Issue(anyone, ServiceNames.Surveys);
        clock.Advance(TimeSpan.FromSeconds(14));
        Assert.Equal(first, issuer.Issue(anyone, ServiceNames.Surveys));
        var membership = issuer.Issue(anyone, ServiceNames.Membership);
        Assert.NotEqual(first, membership); // another audience
        // Staff tokens are signed each time (ECDSA signatures differ even for the same claims and times).
        Assert.NotEqual(issuer.Issue(staff, ServiceNames.Surveys), issuer.Issue(staff, ServiceNames.Surveys));

        clock.Advance(TimeSpan.FromSeconds(1.5)); // 15.5 s: past a quarter of 60 s
        var renewed = issuer.Issue(anyone, ServiceNames.Surveys);
        Assert.NotEqual(first, renewed);
        var expires = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(renewed).ValidTo;
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddSeconds(60), expires, TimeSpan.FromSeconds(1));
    }
}
