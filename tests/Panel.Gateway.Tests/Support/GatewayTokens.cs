using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Panel.Gateway.Tests.Support;

/// <summary>Validates a token a gateway attached, as a service would, with that gateway's public key.</summary>
public static class GatewayTokens
{
    public static async Task<JsonWebToken> ValidateAsync(string? token, string audience, string publicKeyPem)
    {
        Assert.False(string.IsNullOrEmpty(token), "The request carried no bearer token.");
        var result = await CheckAsync(token, audience, publicKeyPem);
        Assert.True(result.IsValid, $"The token is not valid for {audience}: {result.Exception?.Message}");
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.InRange(jwt.ValidTo - jwt.ValidFrom, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.True(jwt.ValidTo <= DateTime.UtcNow.AddSeconds(61), $"The token lives until {jwt.ValidTo:O}.");
        return jwt;
    }

    // Keys live for the whole run: IdentityModel caches signature providers per key thumbprint,
    // so disposing an ECDsa behind a cached provider would fail every later validation.
    private static readonly ConcurrentDictionary<string, ECDsaSecurityKey> PublicKeys = new(StringComparer.Ordinal);

    public static async Task<TokenValidationResult> CheckAsync(string? token, string audience, string publicKeyPem) =>
        await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = "panel-gateway",
            ValidAudience = audience,
            IssuerSigningKey = PublicKeys.GetOrAdd(publicKeyPem, pem =>
            {
                var key = ECDsa.Create();
                key.ImportFromPem(pem);
                return new ECDsaSecurityKey(key);
            }),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ClockSkew = TimeSpan.Zero,
        });

    public static string Claim(this JsonWebToken token, string type) =>
        token.Claims.SingleOrDefault(c => c.Type == type)?.Value ?? throw new Xunit.Sdk.XunitException($"No '{type}' claim.");

    public static IReadOnlyList<string> Roles(this JsonWebToken token) =>
        [.. token.Claims.Where(c => c.Type == "role").Select(c => c.Value).Order(StringComparer.Ordinal)];
}
