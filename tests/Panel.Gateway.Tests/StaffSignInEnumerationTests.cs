using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Panel.Gateway.Accounts;
using Accounts = Panel.Gateway.Accounts;
using Panel.Gateway.Tests.Support;
using Panel.TestSupport;

namespace Panel.Gateway.Tests;

/// <summary>The passwords the gateway's hasher was asked to verify, in order.</summary>
public sealed class VerifiedPasswords
{
    public ConcurrentQueue<string> Passwords { get; } = new();

    public int Count(string password) => Passwords.Count(p => p == password);
}

/// <summary>The gateway's own hasher (same algorithm and parameters) that also records each password it verifies.</summary>
public sealed class RecordingPasswordHasher(IOptions<PasswordHasherOptions> options, VerifiedPasswords verified) : PasswordHasher<StaffUser>(options)
{
    public override PasswordVerificationResult VerifyHashedPassword(StaffUser user, string hashedPassword, string providedPassword)
    {
        verified.Passwords.Enqueue(providedPassword);
        return base.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}

/// <summary>A gateway of its own whose password hasher records what it verifies.</summary>
public sealed class RecordingHasherGatewayHost : GatewayHost
{
    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<VerifiedPasswords>();
        services.AddScoped<IPasswordHasher<StaffUser>, RecordingPasswordHasher>();
    }

    public VerifiedPasswords Verified => Services.GetRequiredService<VerifiedPasswords>();
}

/// <summary>
/// The staff sign-in page does not tell whether an account exists: an unknown email, a wrong password, a locked-out
/// account (even with the right password), a disabled account and one without a password all get the same page, the
/// same cookies and the same password-hashing work, and take about as long.
/// </summary>
public sealed class StaffSignInEnumerationTests(RecordingHasherGatewayHost host) : IClassFixture<RecordingHasherGatewayHost>
{
    private const string Wrong = "Wrong-Passw0rd-Here";

    private static string UnknownEmail() => $"nobody-{Guid.NewGuid():N}@panel.test";

    private async Task<StaffUser> LockedOutAsync()
    {
        var user = await host.CreateStaffAsync();
        for (var i = 1; i <= 5; i++)
        {
            await host.NewBrowser().SignInAsync(user.Email!, $"{Wrong}-{i}");
        }

        Assert.True(await host.WithUsersAsync(async users => await users.IsLockedOutAsync((await users.FindByIdAsync(user.Id))!)));
        return user;
    }

    private async Task<StaffUser> DisabledAsync()
    {
        var user = await host.CreateStaffAsync();
        await using var scope = host.Services.CreateAsyncScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<Accounts.StaffAccounts>().SetDisabledAsync(user.Id, disabled: true));
        return user;
    }

    private async Task<StaffUser> WithoutPasswordAsync()
    {
        var email = $"new-{Guid.NewGuid():N}@panel.test";
        var user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, LockoutEnabled = true };
        Assert.True((await host.WithUsersAsync(users => users.CreateAsync(user))).Succeeded);
        return user;
    }

    [Fact]
    public async Task Unknown_wrong_locked_out_disabled_and_passwordless_accounts_get_the_same_page_and_cookies()
    {
        var known = await host.CreateStaffAsync();
        var locked = await LockedOutAsync();
        var disabled = await DisabledAsync();
        var passwordless = await WithoutPasswordAsync();
        var unknown = UnknownEmail();

        var wrongPassword = await host.NewBrowser().SignInAsync(known.Email!, Wrong);
        var cases = new Dictionary<string, (Page Page, string Email)>
        {
            ["unknown email"] = (await host.NewBrowser().SignInAsync(unknown, Wrong), unknown),
            ["locked out, right password"] = (await host.NewBrowser().SignInAsync(locked.Email!, GatewayHost.StaffPassword), locked.Email!),
            ["locked out, wrong password"] = (await host.NewBrowser().SignInAsync(locked.Email!, Wrong), locked.Email!),
            ["disabled, right password"] = (await host.NewBrowser().SignInAsync(disabled.Email!, GatewayHost.StaffPassword), disabled.Email!),
            ["no password yet"] = (await host.NewBrowser().SignInAsync(passwordless.Email!, Wrong), passwordless.Email!),
        };

        Assert.Equal(HttpStatusCode.OK, wrongPassword.Status);
        Assert.Contains(GatewayHost.Texts.Get("fi", "signIn.failed"), wrongPassword.Text, StringComparison.Ordinal);
        Assert.False(wrongPassword.SetsCookie("panel.staff"));
        var expected = wrongPassword.Outside(known.Email!);
        foreach (var (name, (page, email)) in cases)
        {
            Assert.True(expected == page.Outside(email), $"{name} differs from a wrong password:\n{page.Outside(email)}\n---\n{expected}");
        }
    }

    [Fact]
    public async Task Every_refusal_verifies_the_given_password_with_the_same_hasher()
    {
        var known = await host.CreateStaffAsync();
        var locked = await LockedOutAsync();
        var disabled = await DisabledAsync();
        var passwordless = await WithoutPasswordAsync();
        var attempts = new (string Email, string Password)[]
        {
            (known.Email!, $"Wrong-{Guid.NewGuid():N}"),
            (UnknownEmail(), $"Unknown-{Guid.NewGuid():N}"),
            (locked.Email!, $"Locked-{Guid.NewGuid():N}"),
            (disabled.Email!, $"Disabled-{Guid.NewGuid():N}"),
            (passwordless.Email!, $"Passwordless-{Guid.NewGuid():N}"),
        };

        foreach (var (email, password) in attempts)
        {
            await host.NewBrowser().SignInAsync(email, password);
        }

        Assert.All(attempts, a => Assert.True(host.Verified.Count(a.Password) == 1, $"The password tried for {a.Email} should have been verified once."));
        // A locked account stays refused with the right password, and that too costs one verification.
        var before = host.Verified.Count(GatewayHost.StaffPassword);
        await host.NewBrowser().SignInAsync(locked.Email!, GatewayHost.StaffPassword);
        Assert.Equal(before + 1, host.Verified.Count(GatewayHost.StaffPassword));
    }

    [Fact]
    public async Task An_unknown_email_takes_about_as_long_as_a_wrong_password()
    {
        var known = await host.CreateStaffAsync();
        var unknown = UnknownEmail();

        var timing = await TimingComparison.MeasureAsync(15,
            () => host.NewBrowser().SignInAsync(known.Email!, Wrong),
            () => host.NewBrowser().SignInAsync(unknown, Wrong),
            // Untimed: the known account never reaches its lockout, so each sample is a plain wrong password.
            beforeEach: () => host.WithUsersAsync(async users => await users.ResetAccessFailedCountAsync((await users.FindByIdAsync(known.Id))!)));

        TimingComparison.AssertSimilar(timing);
    }

    [Fact]
    public async Task A_locked_out_account_with_the_right_password_takes_about_as_long_as_a_wrong_password()
    {
        var known = await host.CreateStaffAsync();
        var locked = await LockedOutAsync();

        var timing = await TimingComparison.MeasureAsync(15,
            () => host.NewBrowser().SignInAsync(known.Email!, Wrong),
            () => host.NewBrowser().SignInAsync(locked.Email!, GatewayHost.StaffPassword),
            beforeEach: () => host.WithUsersAsync(async users => await users.ResetAccessFailedCountAsync((await users.FindByIdAsync(known.Id))!)));

        TimingComparison.AssertSimilar(timing);
    }
}
