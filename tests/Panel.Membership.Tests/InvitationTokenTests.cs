using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Panel.Membership.Invitations;
using Panel.Membership.Links;

namespace Panel.Membership.Tests;

/// <summary>Invitation tokens encrypted with AES-GCM under a per-survey data key that Data Protection protects.</summary>
public sealed class InvitationTokenTests
{
    private readonly EphemeralDataProtectionProvider _protection = new();
    private readonly InvitationTokens _tokens;

    public InvitationTokenTests() => _tokens = new InvitationTokens(new OneTimeTokens(RandomNumberGenerator.Create()), _protection);

    [Fact]
    public void A_token_encrypted_under_its_survey_key_comes_back_through_the_stored_protected_key()
    {
        var survey = Guid.NewGuid();
        var invitation = Guid.NewGuid();
        var (token, hash) = _tokens.New();
        string stored;
        string protectedKey;
        using (var key = _tokens.NewSurveyKey(survey))
        {
            stored = key.Encrypt(invitation, token);
            protectedKey = key.Protected;
            // A random nonce per token: the same token never encrypts to the same text.
            Assert.NotEqual(stored, key.Encrypt(invitation, token));
        }

        Assert.DoesNotContain(token, stored, StringComparison.Ordinal);
        Assert.Equal(64, hash.Length);
        Assert.Equal(hash, OneTimeTokens.Hash(token));
        using var opened = _tokens.OpenSurveyKey(survey, protectedKey);
        Assert.NotNull(opened);
        Assert.Equal(token, _tokens.Unprotect(opened, invitation, stored));
    }

    [Fact]
    public void Another_surveys_key_or_another_invitation_cannot_decrypt_a_token()
    {
        var survey = Guid.NewGuid();
        var invitation = Guid.NewGuid();
        var (token, _) = _tokens.New();
        using var key = _tokens.NewSurveyKey(survey);
        var stored = key.Encrypt(invitation, token);
        using var other = _tokens.NewSurveyKey(Guid.NewGuid());

        Assert.Null(_tokens.Unprotect(other, invitation, stored));
        // The ciphertext is bound to its invitation: copied onto another invitation of the same survey it is refused.
        Assert.Null(_tokens.Unprotect(key, Guid.NewGuid(), stored));
        // The stored key is bound to its survey: copied onto another survey it does not open.
        Assert.Null(_tokens.OpenSurveyKey(Guid.NewGuid(), key.Protected));
        Assert.Equal(token, _tokens.Unprotect(key, invitation, stored));
    }

    [Fact]
    public void Tampering_with_a_stored_token_or_key_is_detected()
    {
        var survey = Guid.NewGuid();
        var invitation = Guid.NewGuid();
        var (token, _) = _tokens.New();
        using var key = _tokens.NewSurveyKey(survey);
        var stored = key.Encrypt(invitation, token);
        var bytes = Base64Url.DecodeFromChars(stored.AsSpan(SurveyTokenKey.Prefix.Length));

        for (var i = 0; i < bytes.Length; i++)
        {
            var changed = (byte[])bytes.Clone();
            changed[i] ^= 0x01;
            Assert.Null(_tokens.Unprotect(key, invitation, SurveyTokenKey.Prefix + Base64Url.EncodeToString(changed)));
        }

        Assert.Null(_tokens.Unprotect(key, invitation, SurveyTokenKey.Prefix + Base64Url.EncodeToString(bytes[..^1])));
        Assert.Null(_tokens.Unprotect(key, invitation, SurveyTokenKey.Prefix + "not base64!"));
        Assert.Null(_tokens.Unprotect(key, invitation, SurveyTokenKey.Prefix));
        var protectedKey = Convert.FromBase64String(key.Protected);
        protectedKey[^1] ^= 0x01;
        Assert.Null(_tokens.OpenSurveyKey(survey, Convert.ToBase64String(protectedKey)));
        Assert.Null(_tokens.OpenSurveyKey(survey, "not base64!"));
        Assert.Equal(token, _tokens.Unprotect(key, invitation, stored));
    }

    [Fact]
    public void Without_the_survey_key_cleared_at_closing_or_the_data_protection_keys_no_token_is_recovered()
    {
        var survey = Guid.NewGuid();
        var invitation = Guid.NewGuid();
        var (token, _) = _tokens.New();
        using var key = _tokens.NewSurveyKey(survey);
        var stored = key.Encrypt(invitation, token);

        Assert.Null(_tokens.OpenSurveyKey(survey, null));
        Assert.Null(_tokens.Unprotect(null, invitation, stored));
        Assert.Null(_tokens.Unprotect(key, invitation, null));
        // Another installation's (or lost) Data Protection keys cannot open the survey key.
        var elsewhere = new InvitationTokens(new OneTimeTokens(RandomNumberGenerator.Create()), new EphemeralDataProtectionProvider());
        Assert.Null(elsewhere.OpenSurveyKey(survey, key.Protected));
    }

    [Fact]
    public void Tokens_protected_one_by_one_before_survey_keys_are_still_read()
    {
        var (token, _) = _tokens.New();
        var legacy = _protection.CreateProtector(InvitationTokens.Purpose).Protect(token);

        Assert.Equal(token, _tokens.Unprotect(null, Guid.NewGuid(), legacy));
        Assert.Null(_tokens.Unprotect(null, Guid.NewGuid(), legacy + "x"));
    }
}
