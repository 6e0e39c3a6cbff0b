using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
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
        var anyone = new ClaimsPrincipal(new ClaimsIdentity());
        _ = first.Issue(anyone, ServiceNames.Membership);
        _ = second.Issue(anyone, ServiceNames.Membership);

        first.Dispose();
        var token = second.Issue(anyone, ServiceNames.Membership);

        Assert.Equal(3, token.Split('.').Length);
    }
}
