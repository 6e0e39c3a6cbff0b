using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Panel.Gateway.Accounts;
using Panel.Gateway.Tests.Support;

namespace Panel.Gateway.Tests;

/// <summary>A gateway with no administrator configured and an empty database.</summary>
public sealed class UnconfiguredGatewayHost : GatewayHost
{
    public bool SetupTokenActiveAtStart { get; private set; }
    public int StaffAccountsAtStart { get; private set; }

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Bootstrap:AdminEmail"] = "";
        settings["Bootstrap:AdminPassword"] = "";
    }

    protected override async Task StartedAsync()
    {
        SetupTokenActiveAtStart = Services.GetRequiredService<SetupToken>().IsActive;
        StaffAccountsAtStart = await WithUsersAsync(users => users.Users.CountAsync());
    }
}

public sealed class SetupTests(UnconfiguredGatewayHost host) : IClassFixture<UnconfiguredGatewayHost>
{
    private const string StrongPassword = "Ensimmäinen-Ylläpitäjä-2025";

    private static string Text(string key) => GatewayHost.Texts.Get("fi", key);

    private SetupToken Token => host.Services.GetRequiredService<SetupToken>();

    private Task<int> StaffAccounts() => host.WithUsersAsync(users => users.Users.CountAsync());

    private static Dictionary<string, string> Fields(string email, string password) => new()
    {
        ["Form.Email"] = email,
        ["Form.Password"] = password,
    };

    [Fact]
    public void Without_a_configured_administrator_and_without_staff_a_one_time_setup_link_is_made_at_start()
    {
        Assert.Equal(0, host.StaffAccountsAtStart);
        Assert.True(host.SetupTokenActiveAtStart);
    }

    [Fact]
    public async Task A_wrong_token_shows_that_setup_is_not_available_and_creates_nothing()
    {
        Token.Create();
        var before = await StaffAccounts();
        var browser = host.NewBrowser();

        var page = await browser.GetAsync("/setup?token=wrong");
        // A hand-made post with a valid antiforgery token (from another page) and the wrong setup token.
        var join = await browser.GetAsync("/join");
        var posted = await browser.PostAsync(new Uri(page.Url, "/setup?token=wrong"), new Dictionary<string, string>(Fields($"intruder-{Guid.NewGuid():N}@evil.example", StrongPassword))
        {
            ["__RequestVerificationToken"] = join.Form("join").Hidden["__RequestVerificationToken"],
            ["_handler"] = "setup",
            ["Form.Token"] = "wrong",
        });

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Text("setup.notAvailable"), page.Text, StringComparison.Ordinal);
        Assert.False(page.HasForm("setup"));
        // Without the right token the setup form is not on the page, so there is nothing to post to.
        Assert.Equal(HttpStatusCode.BadRequest, posted.Status);
        Assert.Equal(before, await StaffAccounts());
        Assert.True(Token.IsActive);
    }

    [Fact]
    public async Task The_right_token_creates_the_first_administrator_once()
    {
        var token = Token.Create();
        var email = $"first-admin-{Guid.NewGuid():N}@panel.test";
        var browser = host.NewBrowser();
        var form = await browser.GetAsync("/setup?token=" + token);

        var created = await browser.SubmitAsync(form, "setup", Fields(email, StrongPassword));
        var again = await browser.SubmitAsync(form, "setup", Fields("second-" + email, StrongPassword));

        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Contains(Text("setup.done"), created.Text, StringComparison.Ordinal);
        var roles = await host.WithUsersAsync(async users =>
        {
            var admin = await users.FindByEmailAsync(email);
            Assert.NotNull(admin);
            Assert.True(await users.CheckPasswordAsync(admin, StrongPassword));
            return (await users.GetRolesAsync(admin)).Order(StringComparer.Ordinal).ToList();
        });
        Assert.Equal(["Coordinator", "ItAdmin"], roles);
        Assert.False(Token.IsActive);
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Null(await host.WithUsersAsync(users => users.FindByEmailAsync("second-" + email)));
        Assert.Contains(Text("setup.notAvailable"), (await browser.GetAsync("/setup?token=" + token)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_without_the_token_field_creates_nothing_even_from_the_right_link()
    {
        var token = Token.Create();
        var email = $"no-token-{Guid.NewGuid():N}@panel.test";
        var browser = host.NewBrowser();
        var form = await browser.GetAsync("/setup?token=" + token);
        var fields = form.Form("setup").Hidden.Where(f => f.Key != "Form.Token").ToDictionary();
        fields["Form.Email"] = email;
        fields["Form.Password"] = StrongPassword;

        var posted = await browser.PostAsync(form.Url, fields);

        Assert.Equal(HttpStatusCode.OK, posted.Status);
        Assert.DoesNotContain(Text("setup.done"), posted.Text, StringComparison.Ordinal);
        Assert.Null(await host.WithUsersAsync(users => users.FindByEmailAsync(email)));
        Assert.True(Token.Matches(token));
    }

    [Fact]
    public async Task A_weak_password_is_refused_with_the_reasons_and_does_not_spend_the_token()
    {
        var token = Token.Create();
        var email = $"weak-admin-{Guid.NewGuid():N}@panel.test";
        var browser = host.NewBrowser();
        var form = await browser.GetAsync("/setup?token=" + token);

        var refused = await browser.SubmitAsync(form, "setup", Fields(email, "short"));

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains(new IdentityErrorDescriber().PasswordTooShort(12).Description, refused.Text, StringComparison.Ordinal);
        Assert.Null(await host.WithUsersAsync(users => users.FindByEmailAsync(email)));
        Assert.True(Token.Matches(token));
        Assert.True(refused.HasForm("setup"));

        var created = await browser.SubmitAsync(refused, "setup", Fields(email, StrongPassword));

        Assert.Contains(Text("setup.done"), created.Text, StringComparison.Ordinal);
        Assert.NotNull(await host.WithUsersAsync(users => users.FindByEmailAsync(email)));
    }
}
