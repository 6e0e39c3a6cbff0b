using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Panel.ServiceDefaults;

/// <summary>
/// Mints the short-lived token the gateway attaches to every call it makes or forwards to a
/// service (audience: that service). Staff get their id, roles and service areas; everyone else a public actor.
/// The public actor's token is the same for every caller, so one per service is reused for a quarter of its
/// lifetime (at most <see cref="PublicReuse"/>) rather than signed per request: residents' answers and joins are
/// the busiest calls.
/// </summary>
public sealed class GatewayTokenIssuer : IDisposable
{
    private readonly ECDsa _key;
    private readonly SigningCredentials _credentials;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (string Token, DateTime IssuedAt, DateTime Until)> _public = new(StringComparer.Ordinal);

    /// <summary>Longest time one public actor token is handed out again.</summary>
    public static readonly TimeSpan PublicReuse = TimeSpan.FromSeconds(15);

    public GatewayTokenIssuer(IOptions<GatewayTokenOptions> options, TimeProvider time)
    {
        _key = ECDsa.Create();
        _key.ImportFromPem(options.Value.PrivateKey);
        // A factory of our own: the default one caches signature providers process-wide by key id,
        // so disposing one issuer would break every other issuer holding the same key.
        var key = new ECDsaSecurityKey(_key) { CryptoProviderFactory = new CryptoProviderFactory() };
        _credentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256);
        _lifetime = TimeSpan.FromSeconds(options.Value.LifetimeSeconds);
        _time = time;
    }

    /// <summary>
    /// A token for <paramref name="serviceName"/>: staff (Identity's NameIdentifier, Role and <c>area</c> claims),
    /// a signed-in resident (the resident cookie's panelist_id claim), or the public actor.
    /// </summary>
    public string Issue(ClaimsPrincipal user, string serviceName)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var identity = new ClaimsIdentity();
        if (user.Identity?.IsAuthenticated == true && user.FindFirstValue(ClaimTypes.NameIdentifier) is { } staffId)
        {
            identity.AddClaim(new Claim(PanelClaims.Subject, staffId));
            identity.AddClaim(new Claim(PanelClaims.ActorKind, PanelClaims.ActorStaff));
            foreach (var role in user.FindAll(ClaimTypes.Role).Select(c => c.Value).Where(PanelRoles.All.Contains).Distinct())
            {
                identity.AddClaim(new Claim(PanelClaims.Role, role));
            }

            // The service areas a DomainContact is scoped to (the staff account's "area" claims).
            foreach (var area in user.FindAll(PanelClaims.ServiceArea).Select(c => c.Value).Distinct(StringComparer.Ordinal))
            {
                identity.AddClaim(new Claim(PanelClaims.ServiceArea, area));
            }
        }
        else if (user.Identity?.IsAuthenticated == true && user.FindFirstValue(PanelClaims.PanelistId) is { } panelistId)
        {
            identity.AddClaim(new Claim(PanelClaims.Subject, panelistId));
            identity.AddClaim(new Claim(PanelClaims.ActorKind, PanelClaims.ActorResident));
        }
        else
        {
            if (_public.TryGetValue(serviceName, out var reused) && now >= reused.IssuedAt && now < reused.Until)
            {
                return reused.Token;
            }

            identity.AddClaim(new Claim(PanelClaims.Subject, "public"));
            identity.AddClaim(new Claim(PanelClaims.ActorKind, PanelClaims.ActorPublic));
            var token = Create(identity, serviceName, now);
            _public[serviceName] = (token, now, now + (_lifetime / 4 < PublicReuse ? _lifetime / 4 : PublicReuse));
            return token;
        }

        return Create(identity, serviceName, now);
    }

    private string Create(ClaimsIdentity identity, string serviceName, DateTime now) =>
        _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = GatewayTokenOptions.Issuer,
            Audience = GatewayTokenOptions.AudienceFor(serviceName),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + _lifetime,
            Subject = identity,
            SigningCredentials = _credentials,
        });

    public void Dispose() => _key.Dispose();
}
