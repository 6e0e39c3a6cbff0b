using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Panel.Membership.Links;

namespace Panel.Membership.Invitations;

/// <summary>
/// Invitation tokens: 256 random bits (base64url, 43 characters). Surveys learns only the lowercase-hex SHA-256
/// of the token; Membership keeps the token itself only encrypted, so reminders and "my panel" can repeat the same
/// link. Each survey has a data key of its own (256 random bits), stored only protected with ASP.NET Data Protection
/// (a purpose of its own): one Data Protection call per survey instead of one per invitation. Each token is encrypted
/// with AES-256-GCM under its survey's key (a random 96-bit nonce per token; the survey and invitation ids are
/// authenticated data, so a ciphertext copied to another invitation or survey does not decrypt). When the survey
/// closes, its key and the ciphertexts are deleted, and the tokens cannot be recovered. The token is never logged or
/// stored in clear.
/// </summary>
public sealed class InvitationTokens(OneTimeTokens tokens, IDataProtectionProvider protection)
{
    /// <summary>The purpose of tokens protected one by one with Data Protection (before survey keys; still read).</summary>
    public const string Purpose = "Panel.Membership.Invitations.Token.v1";

    /// <summary>The purpose that protects the survey data keys.</summary>
    public const string KeyPurpose = "Panel.Membership.Invitations.SurveyKey.v1";

    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);
    private readonly IDataProtector _keyProtector = protection.CreateProtector(KeyPurpose);

    /// <summary>A new token and its hash (what Surveys and the token lookup know).</summary>
    public (string Token, string Hash) New()
    {
        var token = tokens.NewToken();
        return (token, OneTimeTokens.Hash(token));
    }

    /// <summary>A new random data key for the survey; store <see cref="SurveyTokenKey.Protected"/> with the survey.</summary>
    public SurveyTokenKey NewSurveyKey(Guid surveyId)
    {
        var key = RandomNumberGenerator.GetBytes(SurveyTokenKey.KeySize);
        return new SurveyTokenKey(surveyId, key, Convert.ToBase64String(_keyProtector.Protect(Tagged(surveyId, key))));
    }

    /// <summary>The survey's data key, or null when there is none (cleared at closing) or it cannot be unprotected.</summary>
    public SurveyTokenKey? OpenSurveyKey(Guid surveyId, string? protectedKey)
    {
        if (protectedKey is null)
        {
            return null;
        }

        byte[] tagged;
        try
        {
            tagged = _keyProtector.Unprotect(Convert.FromBase64String(protectedKey));
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return null;
        }

        // The key is bound to its survey: a key row copied to another survey is refused.
        if (tagged.Length != 16 + SurveyTokenKey.KeySize || !surveyId.ToByteArray().AsSpan().SequenceEqual(tagged.AsSpan(0, 16)))
        {
            CryptographicOperations.ZeroMemory(tagged);
            return null;
        }

        var key = tagged[16..];
        CryptographicOperations.ZeroMemory(tagged);
        return new SurveyTokenKey(surveyId, key, protectedKey);
    }

    /// <summary>
    /// The token of an invitation, or null when it cannot be recovered (cleared, the survey key gone, tampered with,
    /// or Data Protection keys lost). Tokens stored before survey keys existed were protected one by one.
    /// </summary>
    public string? Unprotect(SurveyTokenKey? key, Guid invitationId, string? protectedToken)
    {
        if (protectedToken is null)
        {
            return null;
        }

        if (protectedToken.StartsWith(SurveyTokenKey.Prefix, StringComparison.Ordinal))
        {
            return key?.Decrypt(invitationId, protectedToken);
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

    private static byte[] Tagged(Guid surveyId, byte[] key) => [.. surveyId.ToByteArray(), .. key];
}

/// <summary>
/// A survey's token data key in memory (zeroed on dispose). Encrypting and decrypting are thread-safe.
/// Stored token format: "g1." + base64url(nonce (12 bytes) | ciphertext | tag (16 bytes)).
/// </summary>
public sealed class SurveyTokenKey : IDisposable
{
    public const int KeySize = 32;
    public const string Prefix = "g1.";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Context = Encoding.ASCII.GetBytes("panel-invitation-token-v1");

    private readonly byte[] _key;

    internal SurveyTokenKey(Guid surveyId, byte[] key, string protectedKey)
    {
        SurveyId = surveyId;
        _key = key;
        Protected = protectedKey;
    }

    public Guid SurveyId { get; }

    /// <summary>The key protected with Data Protection (base64), as stored with the survey.</summary>
    public string Protected { get; }

    public string Encrypt(Guid invitationId, string token)
    {
        var plain = Encoding.UTF8.GetBytes(token);
        var sealedToken = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedToken.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        Span<byte> aad = stackalloc byte[Context.Length + 32];
        AssociatedData(invitationId, aad);
        using (var aes = new AesGcm(_key, TagSize))
        {
            aes.Encrypt(nonce, plain, sealedToken.AsSpan(NonceSize, plain.Length), sealedToken.AsSpan(NonceSize + plain.Length), aad);
        }

        return Prefix + Base64Url.EncodeToString(sealedToken);
    }

    /// <summary>The token, or null when the ciphertext is malformed, tampered with, or not this survey's and invitation's.</summary>
    public string? Decrypt(Guid invitationId, string protectedToken)
    {
        if (!protectedToken.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        byte[] sealedToken;
        try
        {
            sealedToken = Base64Url.DecodeFromChars(protectedToken.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return null;
        }

        if (sealedToken.Length < NonceSize + TagSize + 1)
        {
            return null;
        }

        var length = sealedToken.Length - NonceSize - TagSize;
        var plain = new byte[length];
        Span<byte> aad = stackalloc byte[Context.Length + 32];
        AssociatedData(invitationId, aad);
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(sealedToken.AsSpan(0, NonceSize), sealedToken.AsSpan(NonceSize, length), sealedToken.AsSpan(NonceSize + length), plain, aad);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return Encoding.UTF8.GetString(plain);
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    private void AssociatedData(Guid invitationId, Span<byte> aad)
    {
        Context.CopyTo(aad);
        SurveyId.TryWriteBytes(aad.Slice(Context.Length, 16));
        invitationId.TryWriteBytes(aad.Slice(Context.Length + 16, 16));
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
