using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Panel.Load;

/// <summary>
/// Tokens as the gateway mints them (ES256 JWT, issuer panel-gateway, audience panel-{service}), for benchmarks that
/// call a service directly to measure it without the gateway. The key is the gateway's private key, from
/// GatewayToken__PrivateKey or PANEL_LOCAL_DIR/secrets/gateway-token.key (written by run.sh).
/// </summary>
internal static class GatewayTokens
{
    public static ECDsa LoadKey()
    {
        var pem = Environment.GetEnvironmentVariable("GatewayToken__PrivateKey");
        if (string.IsNullOrWhiteSpace(pem))
        {
            var file = Path.Combine(Environment.GetEnvironmentVariable("PANEL_LOCAL_DIR") ?? ".local", "secrets", "gateway-token.key");
            if (!File.Exists(file)) throw new UsageException($"The gateway's private key is needed to mint tokens: GatewayToken__PrivateKey or {file}");
            pem = File.ReadAllText(file);
        }

        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return key;
    }

    /// <summary>A token for <paramref name="service"/> (e.g. reporting), valid for an hour, with the given actor claims.</summary>
    public static string Mint(ECDsa key, string service, string subject, string actorKind, string? role = null)
    {
        static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object>
        {
            ["iss"] = "panel-gateway", ["aud"] = "panel-" + service, ["sub"] = subject, ["act_kind"] = actorKind,
            ["iat"] = now, ["nbf"] = now - 5, ["exp"] = now + 3600,
        };
        if (role is not null) claims["role"] = role;
        var header = B64(JsonSerializer.SerializeToUtf8Bytes(new { alg = "ES256", typ = "JWT" }));
        var payload = B64(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = key.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256);
        return header + "." + payload + "." + B64(signature);
    }
}
