using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Panel.Gateway.Data;
using Panel.Gateway.Localization;
using Panel.Gateway.Accounts;
using Panel.Gateway.Tests.StaffSurveys;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests.StaffAccounts;

[Collection(LiveGatewayCollection.Name)]
public sealed partial class StaffAccountsTests(LiveGatewayHost host)
{
    private static string Fi(string key) => GatewayHost.Texts.Get("fi", key);

    private static Task<Page> PostAsync(Browser browser, Page page, string formName, params (string Name, string Value)[] fields) =>
        browser.PostFormAsync(page, formName, fields);

    private static string NewEmail() => $"new-{Guid.NewGuid():N}@panel.test";

    /// <summary>Creates an account through the page as the administrator; returns the page and the one-time link on it.</summary>
    private async Task<(Page Page, string? Link)> CreateAsync(string email, params (string Name, string Value)[] fields)
    {
        var admin = await host.SignedInAsync();
        var page = await admin.GetAsync("/staff/accounts");
        var created = await PostAsync(admin, page, "create-account", [("email", email), .. fields]);
        var link = created.HasElement("set-password-link") ? created.Element("set-password-link")["href"] : null;
        return (created, link);
    }

    private async Task SetPasswordAsync(string link, string password)
    {
        var browser = host.NewBrowser();
        var form = await browser.GetAsync(new Uri(link).PathAndQuery);
        Assert.True(form.HasForm("set-password"), form.Html);
        var done = await PostAsync(browser, form, "set-password", ("password", password), ("confirm", password));
        Assert.Contains(Fi("setPassword.done"), done.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_it_administrator_creates_a_domain_contact_with_areas_and_gets_a_one_time_link_shown_once()
    {
        var email = NewEmail();

        var (page, link) = await CreateAsync(email, ("displayName", "Riikka Yhteys"), ("roles", PanelRoles.DomainContact),
            ("areas", "elderly-services"), ("areas", "oral-health"));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotNull(link);
        Assert.Matches(@"/staff/set-password\?user=[^&]+&token=.+", link);
        Assert.Contains(email, page.Text, StringComparison.Ordinal);
        var account = await host.WithUsersAsync(async users =>
        {
            var user = (await users.FindByEmailAsync(email))!;
            return (user, await users.GetRolesAsync(user), await users.GetClaimsAsync(user));
        });
        Assert.Null(account.user.PasswordHash);
        Assert.Equal("Riikka Yhteys", account.user.DisplayName);
        Assert.Equal([PanelRoles.DomainContact], account.Item2);
        Assert.Equal(["elderly-services", "oral-health"], account.Item3.Where(c => c.Type == PanelClaims.ServiceArea).Select(c => c.Value).Order());

        // The list shows the account afterwards, but never the link again.
        var admin = await host.SignedInAsync();
        var list = await admin.GetAsync("/staff/accounts");
        Assert.Contains(email, list.Text, StringComparison.Ordinal);
        Assert.False(list.HasElement("set-password-link"));
        Assert.Contains(Fi("accounts.state.noPassword"), list.Text, StringComparison.Ordinal);

        // The change is in the gateway's audit log.
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var events = await db.StaffAccountEvents.Where(e => e.AccountId == account.user.Id).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync();
        Assert.Equal(["created", "password-link"], events);
        Assert.DoesNotContain(link!.Split("token=")[1], string.Join(" ", await db.StaffAccountEvents.Select(e => e.Details).ToListAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_link_sets_the_password_once_and_the_new_staff_member_signs_in()
    {
        var email = NewEmail();
        var (_, link) = await CreateAsync(email, ("roles", PanelRoles.SurveyAuthor));

        await SetPasswordAsync(link!, "A-Brand-New-Passw0rd!");

        var signedIn = await host.SignedInAsync(email, "A-Brand-New-Passw0rd!");
        var home = await signedIn.GetAsync("/staff");
        Assert.Contains("href=\"/staff/surveys\"", home.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/staff/accounts\"", home.Html, StringComparison.Ordinal);

        var again = await host.NewBrowser().GetAsync(new Uri(link!).PathAndQuery);
        Assert.True(again.HasElement("link-invalid"));
        Assert.False(again.HasForm("set-password"));
    }

    [Fact]
    public async Task A_tampered_link_sets_nothing()
    {
        var email = NewEmail();
        var (_, link) = await CreateAsync(email, ("roles", PanelRoles.SurveyAuthor));
        var user = await host.WithUsersAsync(users => users.FindByEmailAsync(email));

        var page = await host.NewBrowser().GetAsync($"/staff/set-password?user={user!.Id}&token=not-the-token");

        Assert.True(page.HasElement("link-invalid"));
        Assert.NotNull(link);
    }

    [Fact]
    public async Task Bad_input_is_named_next_to_its_field_and_creates_nothing()
    {
        var before = await host.WithUsersAsync(users => users.Users.CountAsync());

        var (noArea, _) = await CreateAsync(NewEmail(), ("roles", PanelRoles.DomainContact));
        Assert.Contains(Fi("accounts.error.areasRequired"), noArea.Text, StringComparison.Ordinal);
        Assert.True(noArea.HasElement("areas-error"));

        var (noRole, _) = await CreateAsync(NewEmail());
        Assert.True(noRole.HasElement("roles-error"));

        var (badEmail, _) = await CreateAsync("not an email", ("roles", PanelRoles.SurveyAuthor));
        Assert.True(badEmail.HasElement("email-error"));
        Assert.Equal("true", badEmail.Element("email").GetValueOrDefault("aria-invalid"));

        var (areaForAuthor, _) = await CreateAsync(NewEmail(), ("roles", PanelRoles.SurveyAuthor), ("areas", "oral-health"));
        Assert.Contains(Fi("accounts.error.areasOnlyContact"), areaForAuthor.Text, StringComparison.Ordinal);

        var (unknownArea, _) = await CreateAsync(NewEmail(), ("roles", PanelRoles.DomainContact), ("areas", "mars"));
        Assert.Contains(Fi("accounts.error.areaUnknown"), unknownArea.Text, StringComparison.Ordinal);

        var (taken, link) = await CreateAsync(GatewayHost.AdminEmail, ("roles", PanelRoles.SurveyAuthor));
        Assert.Contains(Fi("accounts.error.emailTaken"), taken.Text, StringComparison.Ordinal);
        Assert.Null(link);

        Assert.Equal(before, await host.WithUsersAsync(users => users.Users.CountAsync()));
    }

    [Fact]
    public async Task Only_an_it_administrator_opens_the_account_pages()
    {
        var target = await host.CreateStaffAsync(PanelRoles.SurveyAuthor);
        foreach (var role in new[] { PanelRoles.Coordinator, PanelRoles.DomainContact, PanelRoles.SurveyAuthor, PanelRoles.Communications, PanelRoles.ReportReader })
        {
            var user = await host.CreateStaffAsync(role);
            var browser = await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);
            foreach (var path in new[] { "/staff/accounts", $"/staff/accounts/{target.Id}" })
            {
                var page = await browser.GetAsync(path);
                Assert.Equal(HttpStatusCode.Redirect, page.Status);
                Assert.StartsWith("/staff/denied", page.Location!.PathAndQuery, StringComparison.Ordinal);
            }
        }

        var anonymous = await host.NewBrowser().GetAsync("/staff/accounts");
        Assert.StartsWith("/staff/sign-in", anonymous.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Editing_roles_and_areas_changes_the_account_and_renews_its_security_stamp()
    {
        var user = await host.CreateStaffAsync(PanelRoles.SurveyAuthor);
        var stamp = user.SecurityStamp;
        var admin = await host.SignedInAsync();
        var page = await admin.GetAsync($"/staff/accounts/{user.Id}");

        var saved = await PostAsync(admin, page, "edit-account", ("displayName", "Uusi Nimi"), ("roles", PanelRoles.DomainContact),
            ("roles", PanelRoles.ReportReader), ("areas", "family-services"));

        Assert.Contains(Fi("accounts.saved"), saved.Text, StringComparison.Ordinal);
        var after = await host.WithUsersAsync(async users =>
        {
            var u = (await users.FindByIdAsync(user.Id))!;
            return (u, await users.GetRolesAsync(u), await users.GetClaimsAsync(u));
        });
        Assert.Equal([PanelRoles.DomainContact, PanelRoles.ReportReader], after.Item2.Order());
        Assert.Equal(["family-services"], after.Item3.Where(c => c.Type == PanelClaims.ServiceArea).Select(c => c.Value));
        Assert.Equal("Uusi Nimi", after.u.DisplayName);
        Assert.NotEqual(stamp, after.u.SecurityStamp);
        Assert.Contains(Fi("accounts.event.changed").Replace("{1}", GatewayHost.AdminEmail, StringComparison.Ordinal).Replace("{0}", user.Email, StringComparison.Ordinal),
            saved.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_administrator_cannot_take_their_own_administrator_role_or_disable_themselves()
    {
        var admin = await host.SignedInAsync();
        var me = await host.WithUsersAsync(users => users.FindByEmailAsync(GatewayHost.AdminEmail));
        var page = await admin.GetAsync($"/staff/accounts/{me!.Id}");

        Assert.False(page.HasForm("disable-account"));
        var refused = await PostAsync(admin, page, "edit-account", ("roles", PanelRoles.Coordinator));

        Assert.Contains(Fi("accounts.error.selfAdmin"), refused.Text, StringComparison.Ordinal);
        Assert.Contains(PanelRoles.ItAdmin, await host.WithUsersAsync(users => users.GetRolesAsync(me)));
    }

    [Fact]
    public async Task A_disabled_account_cannot_sign_in_until_it_is_enabled_again()
    {
        var user = await host.CreateStaffAsync(PanelRoles.Coordinator);
        var admin = await host.SignedInAsync();
        var page = await admin.GetAsync($"/staff/accounts/{user.Id}");

        var disabled = await PostAsync(admin, page, "disable-account");

        Assert.Equal(Fi("accounts.state.disabled"), Regex.Match(disabled.Text, "id=\"account-state\">([^<]*)<").Groups[1].Value);
        var attempt = await host.NewBrowser().SignInAsync(user.Email!, GatewayHost.StaffPassword);
        Assert.False(attempt.SetsCookie("panel.staff"));

        var enabled = await PostAsync(admin, disabled, "enable-account");
        Assert.Equal(Fi("accounts.state.active"), Regex.Match(enabled.Text, "id=\"account-state\">([^<]*)<").Groups[1].Value);
        await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);
    }

    [Fact]
    public async Task A_new_password_link_can_be_issued_for_an_existing_account()
    {
        var user = await host.CreateStaffAsync(PanelRoles.Communications);
        var admin = await host.SignedInAsync();
        var page = await admin.GetAsync($"/staff/accounts/{user.Id}");

        var issued = await PostAsync(admin, page, "password-link");

        var link = issued.Element("set-password-link")["href"];
        await SetPasswordAsync(link, "Replaced-Passw0rd-2026");
        await host.SignedInAsync(user.Email!, "Replaced-Passw0rd-2026");
    }

    [Fact]
    public async Task A_domain_contacts_areas_reach_the_surveys_service_in_the_gateway_token()
    {
        var email = NewEmail();
        var (_, link) = await CreateAsync(email, ("roles", PanelRoles.DomainContact), ("areas", "elderly-services"), ("areas", "social-work"));
        await SetPasswordAsync(link!, "Contact-Passw0rd-2026");
        var contact = await host.SignedInAsync(email, "Contact-Passw0rd-2026");
        var coordinator = await host.CoordinatorAsync();
        var inAreas = new[] { "elderly-services", "social-work" };
        var surveys = new Dictionary<string, Guid>();
        foreach (var area in inAreas.Append("oral-health"))
        {
            surveys[area] = await coordinator.CreateSurveyAsync(LiveSurveySetup.Content(area));
        }

        var page = await contact.GetAsync("/staff/surveys");

        // Surveys shows a domain contact the surveys of the areas its token names, as a contact (who may edit them), and no others.
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.All(inAreas, area => Assert.Contains($"href=\"/staff/surveys/{surveys[area]}\"", page.Html, StringComparison.Ordinal));
        Assert.DoesNotContain($"href=\"/staff/surveys/{surveys["oral-health"]}\"", page.Html, StringComparison.Ordinal);
        Assert.True((await contact.GetAsync($"/staff/surveys/{surveys["social-work"]}")).HasForm("submit"));
    }

    [Fact]
    public async Task Staff_without_areas_get_no_area_claims()
    {
        var user = await host.CreateStaffAsync(PanelRoles.SurveyAuthor, PanelRoles.DomainContact);
        var browser = await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);
        var own = await browser.CreateSurveyAsync(); // as its author
        var others = await (await host.CoordinatorAsync()).CreateSurveyAsync();

        var page = await browser.GetAsync("/staff/surveys");

        // A domain contact of no area sees no area's surveys in Surveys, only their own.
        Assert.Contains($"href=\"/staff/surveys/{own}\"", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain($"href=\"/staff/surveys/{others}\"", page.Html, StringComparison.Ordinal);
    }
}

public sealed class AreaClaimIssuerTests
{
    [Fact]
    public void The_issuer_puts_a_staff_members_areas_in_area_claims_once_each_and_none_for_the_public()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issuer = new GatewayTokenIssuer(Options.Create(new GatewayTokenOptions { PrivateKey = key.ExportPkcs8PrivateKeyPem() }), TimeProvider.System);
        var staff = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, "staff-1"), new Claim(ClaimTypes.Role, PanelRoles.DomainContact),
            new Claim(PanelClaims.ServiceArea, "oral-health"), new Claim(PanelClaims.ServiceArea, "social-work"), new Claim(PanelClaims.ServiceArea, "oral-health"),
        ], "cookie"));
        var visitor = new ClaimsPrincipal(new ClaimsIdentity([new Claim(PanelClaims.ServiceArea, "oral-health")]));

        var staffToken = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(issuer.Issue(staff, ServiceNames.Surveys));
        var publicToken = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(issuer.Issue(visitor, ServiceNames.Surveys));

        Assert.Equal(["oral-health", "social-work"], staffToken.Claims.Where(c => c.Type == PanelClaims.ServiceArea).Select(c => c.Value).Order());
        Assert.DoesNotContain(publicToken.Claims, c => c.Type == PanelClaims.ServiceArea);
    }
}

public sealed class AccountsAndSurveysTextTests
{
    private static readonly UiText Texts = new();

    [Fact]
    public void Every_role_service_area_state_question_type_and_decision_has_a_text_in_each_language()
    {
        var keys = PanelRoles.All.Select(r => $"accounts.roleHint.{r}")
            .Concat(ServiceAreas.Defaults.Select(a => $"area.{a}"))
            .Concat(Panel.Gateway.Backends.SurveysApi.States.Select(s => $"surveys.state.{s}"))
            .Concat(Panel.Gateway.Backends.SurveysApi.QuestionTypes.Select(t => $"surveys.type.{t}"))
            .Concat(Panel.Gateway.Backends.SurveysApi.QuotaAttributes.Select(a => $"surveys.attribute.{a}"))
            .Concat(new[] { "comment", "returned-to-draft", "approved" }.Select(d => $"surveys.decision.{d}"))
            .Concat(new[] { "created", "changed", "disabled", "enabled", "password-link" }.Select(a => $"accounts.event.{a}"))
            .ToList();

        foreach (var language in UiText.Languages)
        {
            Assert.All(keys, key => Assert.False(Texts.Get(language, key).StartsWith('['), $"{language}: {key}"));
        }
    }

    [Fact]
    public void The_survey_and_account_texts_are_in_their_own_files_with_the_same_keys_in_fi_sv_and_en()
    {
        var assembly = typeof(UiText).Assembly;
        foreach (var area in new[] { "surveys", "accounts" })
        {
            var keySets = UiText.Languages.Select(lang =>
            {
                using var stream = assembly.GetManifestResourceStream($"Panel.Gateway.Localization.ui.{area}.{lang}.json");
                Assert.NotNull(stream);
                return System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(stream)!.Keys.Order(StringComparer.Ordinal).ToList();
            }).ToList();
            Assert.NotEmpty(keySets[0]);
            Assert.Equal(keySets[0], keySets[1]);
            Assert.Equal(keySets[0], keySets[2]);
        }
    }
}
