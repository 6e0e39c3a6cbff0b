using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Panel.Membership.Links;

namespace Panel.Membership.Invitations;

/// <summary>
/// Invitation tokens: 256 random bits (base64url, 43 characters). Surveys learns only the lowercase-hex SHA-256
/// of the token; Membership keeps the token itself only protected with ASP.NET Data Protection (a purpose of
/// its own), so reminders and "my panel" can repeat the same link. The token is never logged or stored in clear.
/// </summary>
public sealed class InvitationTokens(OneTimeTokens tokens, IDataProtectionProvider protection)
{
    public const string Purpose = "Panel.Membership.Invitations.Token.v1";

    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    public (string Token, string Hash, string Protected) New()
    {
        var token = tokens.NewToken();
        return (token, OneTimeTokens.Hash(token), _protector.Protect(token));
    }

    /// <summary>The token, or null when it cannot be unprotected (keys lost or revoked).</summary>
    public string? Unprotect(string? protectedToken)
    {
        if (protectedToken is null)
        {
            return null;
        }

        try
        {
            return _protector.Unprotect(protectedToken);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}

/// <summary>The random source of sampling, injected so that tests and benchmarks can draw reproducible samples.</summary>
public interface ISampleRandom
{
    Random Create();
}

/// <summary>A fresh <see cref="Random"/> per sample, seeded from the CSPRNG, or from Invitations:SampleSeed when set.</summary>
public sealed class SampleRandom(IOptions<InvitationOptions> options) : ISampleRandom
{
    public Random Create() => new(options.Value.SampleSeed ?? RandomNumberGenerator.GetInt32(int.MaxValue));
}
