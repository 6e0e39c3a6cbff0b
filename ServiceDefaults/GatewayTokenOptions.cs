using System.ComponentModel.DataAnnotations;

namespace Panel.ServiceDefaults;

/// <summary>
/// The gateway signs a short-lived token for every call it forwards; services validate it with
/// the gateway's public key. Only the gateway holds the private key, so a compromised service
/// cannot mint tokens for another.
/// </summary>
public sealed class GatewayTokenOptions
{
    public const string Section = "GatewayToken";
    public const string Issuer = "panel-gateway";

    /// <summary>ECDSA P-256 public key, PEM (services).</summary>
    public string? PublicKey { get; set; }

    /// <summary>ECDSA P-256 private key, PEM (gateway only).</summary>
    public string? PrivateKey { get; set; }

    [Range(5, 600)]
    public int LifetimeSeconds { get; set; } = 60;

    public static string AudienceFor(string serviceName) => "panel-" + serviceName;
}
