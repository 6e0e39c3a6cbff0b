using System.Security.Cryptography;
using System.Text;

namespace Panel.Gateway.Accounts;

/// <summary>
/// The one-time token that lets the first administrator be created when no staff account exists
/// and none is configured. Only its hash is kept; it is printed once to the console at start,
/// never to the log pipeline.
/// </summary>
public sealed class SetupToken
{
    private byte[]? _hash;
    private readonly Lock _lock = new();

    public bool IsActive
    {
        get { lock (_lock) { return _hash is not null; } }
    }

    public string Create()
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        lock (_lock)
        {
            _hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        }

        return token;
    }

    /// <summary>True once for the right token; the token is spent by the first successful use.</summary>
    public bool TryConsume(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        lock (_lock)
        {
            if (_hash is null || !CryptographicOperations.FixedTimeEquals(hash, _hash))
            {
                return false;
            }

            _hash = null;
            return true;
        }
    }

    /// <summary>Checks the token without spending it (the setup form shows its fields only to a holder).</summary>
    public bool Matches(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        lock (_lock)
        {
            return _hash is not null && CryptographicOperations.FixedTimeEquals(hash, _hash);
        }
    }
}
