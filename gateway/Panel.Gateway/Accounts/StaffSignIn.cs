using Microsoft.AspNetCore.Identity;

namespace Panel.Gateway.Accounts;

/// <summary>
/// Password sign-in for staff that tells nobody whether an account exists. Every refusal looks the same from outside
/// (the page shows one message for all of them) and costs the same password-hashing work: an unknown email, an account
/// without a password, a locked-out or disabled account (disabling is a lockout without end) each verify the given
/// password against a fixed dummy hash made by the same hasher with the same parameters, as long as a real check takes.
/// Lockout still counts a known account's failures and refuses it for a while, but it is invisible: a locked account
/// answers exactly like a wrong password, so it cannot show that the account exists. (An unknown email never locks;
/// with the same answer for all, nobody can see the difference.) Identity alone would answer an unknown email or a
/// locked account at once, without hashing, and a locked one with its own result.
/// </summary>
public sealed class StaffSignIn(SignInManager<StaffUser> signIn, IPasswordHasher<StaffUser> hasher, DummyPasswordHash dummy)
{
    private static readonly StaffUser Nobody = new();

    /// <summary>Signs in with a session cookie when the password is right and the account may sign in; else false.</summary>
    public async Task<bool> PasswordSignInAsync(string email, string password)
    {
        var users = signIn.UserManager;
        var user = await users.FindByNameAsync(email);
        if (user is null || user.PasswordHash is null || !await signIn.CanSignInAsync(user) || await users.IsLockedOutAsync(user))
        {
            hasher.VerifyHashedPassword(Nobody, dummy.For(hasher), password);
            return false;
        }

        // Verifies the password (the same work as above), counts a failure towards the lockout, signs in on success.
        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        return result.Succeeded;
    }
}

/// <summary>A hash of a random password, made once by the configured hasher, for checks that must cost as much as a real one.</summary>
public sealed class DummyPasswordHash
{
    private string? _hash;

    public string For(IPasswordHasher<StaffUser> hasher) =>
        LazyInitializer.EnsureInitialized(ref _hash, () => hasher.HashPassword(new StaffUser(), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))));
}
