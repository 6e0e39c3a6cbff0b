using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Panel.ServiceDefaults;

namespace Panel.TestSupport;

/// <summary>A gateway key pair for tests, and tokens minted with it exactly as the gateway mints them.</summary>
public static class TestTokens
{
    private static readonly Lazy<(string Private, string Public)> Keys = new(() =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (key.ExportPkcs8PrivateKeyPem(), key.ExportSubjectPublicKeyInfoPem());
    });

    private static readonly Lazy<GatewayTokenIssuer> Issuer = new(() =>
        new GatewayTokenIssuer(Options.Create(new GatewayTokenOptions { PrivateKey = PrivateKeyPem }), TimeProvider.System));

    public static string PrivateKeyPem => Keys.Value.Private;
    public static string PublicKeyPem => Keys.Value.Public;

    /// <summary>A token for a staff member with the given roles.</summary>
    public static string Staff(string service, params string[] roles)
    {
        var identity = new ClaimsIdentity("test");
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, "staff-" + Guid.NewGuid().ToString("N")));
        foreach (var role in roles)
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, role));
        }

        return Issuer.Value.Issue(new ClaimsPrincipal(identity), service);
    }

    /// <summary>A token for a resident signed in with an email link.</summary>
    public static string Resident(string service, Guid panelistId)
    {
        var identity = new ClaimsIdentity("test");
        identity.AddClaim(new Claim(PanelClaims.PanelistId, panelistId.ToString()));
        return Issuer.Value.Issue(new ClaimsPrincipal(identity), service);
    }

    /// <summary>A token for anyone who came through the gateway without signing in.</summary>
    public static string Public(string service) => Issuer.Value.Issue(new ClaimsPrincipal(new ClaimsIdentity()), service);

    /// <summary>A well-formed token signed with a key the services do not trust.</summary>
    public static string Forged(string service)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issuer = new GatewayTokenIssuer(Options.Create(new GatewayTokenOptions { PrivateKey = key.ExportPkcs8PrivateKeyPem() }), TimeProvider.System);
        var identity = new ClaimsIdentity("test");
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, "intruder"));
        identity.AddClaim(new Claim(ClaimTypes.Role, PanelRoles.Coordinator));
        return issuer.Issue(new ClaimsPrincipal(identity), service);
    }
}
