using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Panel.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Panel.EndToEnd.Tests;

/// <summary>
/// Issue 3's coordinator side in a real browser against the real processes: a campaign made in the UI
/// counts the residents who join through its link; a consent version published in the UI is put to a
/// member at their next sign-in; member support's lookup and actions land in the audit log.
/// </summary>
[Collection(PanelCollection.Name)]
public sealed partial class CoordinatorJourneyTests(PanelSystem system)
{
    /// <summary>Five joins keep the campaign's week visible (k = 5); the municipality is one no other test counts.</summary>
    private const string CampaignMunicipality = "Kangasala";

    [Fact]
    public async Task A_campaign_created_in_the_ui_counts_the_residents_who_join_through_its_link()
    {
        var code = "E2E-" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var (staff, page) = await StaffPages.SignedInAsync(system);
        await using var _ = staff;

        await page.GotoAsync("/staff/campaigns");
        await page.Locator("#code").FillAsync(code.ToLowerInvariant());
        await page.Locator("#name").FillAsync("Library posters, spring");
        await page.Locator("#channel").SelectOptionAsync("poster");
        // The start date is filled in with today.
        Assert.Matches("^\\d{4}-\\d{2}-\\d{2}$", await page.Locator("#startsOn").InputValueAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Create campaign" }).ClickAsync();
        await Expect(page.Locator("main [role=status]")).ToContainTextAsync("The campaign Library posters, spring was created.");
        var link = await page.Locator("main [role=status] a.join-link").GetAttributeAsync("href");
        Assert.Equal($"{system.GatewayUrl.GetLeftPart(UriPartial.Authority)}/join?c={code}", link);
        await StaffPages.AssertAccessibleAsync(page, "campaigns after creating one");

        // Five residents join from the poster's link.
        await using var residents = await system.NewContextAsync();
        var resident = await residents.NewPageAsync();
        await Residents.ChooseLanguageAsync(resident, "en");
        for (var i = 0; i < 5; i++)
        {
            await resident.GotoAsync(link!);
            await resident.Locator("#email").FillAsync(Residents.NewEmail("campaign"));
            await resident.Locator("#birthYear").FillAsync(Residents.BirthYear.ToString(CultureInfo.InvariantCulture));
            await resident.Locator("#municipality").SelectOptionAsync(CampaignMunicipality);
            await resident.Locator("#language-en").CheckAsync();
            await resident.Locator("#consent").CheckAsync();
            await resident.Locator("main form button[type=submit]").ClickAsync();
            await Expect(resident.Locator("main [role=status]")).ToContainTextAsync("Thank you!");
        }

        Assert.Equal(5, await system.MembershipDatabase.ScalarAsync<long>("SELECT count(*) FROM members WHERE campaign_code = @p0", code));

        // The coordinator sees them: the joins travel as events to Reporting, so reload until they show.
        var joined = await Eventually.UntilAsync(
            async () =>
            {
                await page.GotoAsync("/staff/campaigns");
                var article = page.Locator("article.campaign", new() { HasText = $"({code})" });
                return await article.Locator("dt:text-is('Joined in the period') + dd").InnerTextAsync();
            },
            text => text == "5", TimeSpan.FromSeconds(60), $"the campaigns page to show 5 joins for {code}");
        Assert.Equal("5", joined);
        var table = page.Locator("article.campaign", new() { HasText = $"({code})" }).Locator("table.data");
        await Expect(table.Locator("tfoot td").First).ToHaveTextAsync("5");
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(1);
        await StaffPages.ShootAsync(system, page, "staff-campaigns-with-joins");
    }

    [Fact]
    public async Task A_consent_version_published_in_the_ui_is_put_to_a_member_at_their_next_sign_in()
    {
        using var gateway = system.Gateway();
        var email = Residents.NewEmail("consent");
        await StaffPages.JoinAsync(gateway, email, "Lempäälä", language: "en");
        await StaffPages.VerifyAsync(system, gateway, email);
        var accepted = await system.MembershipDatabase.ScalarAsync<string>("SELECT consent_version FROM members WHERE email = @p0", email);

        // The coordinator publishes the current texts with one more sentence in each language.
        var (staff, page) = await StaffPages.SignedInAsync(system);
        await using var _ = staff;
        await page.GotoAsync("/staff/consent");
        await AppendAsync(page, "#text-fi", "Tietoja säilytetään Euroopan unionin alueella.");
        await AppendAsync(page, "#text-sv", "Uppgifterna lagras inom Europeiska unionen.");
        await AppendAsync(page, "#text-en", "The data is stored within the European Union.");
        await page.Locator("#confirm").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish the new version" }).ClickAsync();
        var notice = await page.Locator("main [role=status]").InnerTextAsync();
        var version = VersionRegex().Match(notice).Groups[1].Value;
        Assert.True(version.Length > 0, notice);
        Assert.NotEqual(accepted, version);
        await Expect(page.Locator("#current-title")).ToHaveTextAsync($"Current version {version}");
        await Expect(page.Locator("ul.versions li").First).ToContainTextAsync(PanelSystem.AdminEmail);
        await StaffPages.AssertAccessibleAsync(page, "consent text after publishing");

        // At the next sign-in the member is asked to accept the new version, and is not counted as consenting until then.
        var signInLink = await StaffPages.SignInLinkAsync(system, gateway, email, 2);
        await using var residents = await system.NewContextAsync();
        var resident = await residents.NewPageAsync();
        await Residents.ChooseLanguageAsync(resident, "en");
        await resident.GotoAsync(signInLink);
        await resident.Locator("main form button[type=submit]").ClickAsync();
        await resident.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/my/consent");
        await Expect(resident.Locator("#consent-text-title")).ToHaveTextAsync($"Consent text, version {version}");
        await Expect(resident.Locator("main")).ToContainTextAsync("The data is stored within the European Union.");
        Assert.Equal(accepted, await system.MembershipDatabase.ScalarAsync<string>("SELECT consent_version FROM members WHERE email = @p0", email));

        await resident.GetByRole(AriaRole.Button, new() { Name = "I accept" }).ClickAsync();
        await Expect(resident.Locator("main [role=status]").First).ToContainTextAsync("Thank you, your consent has been saved.");
        Assert.Equal(version, await system.MembershipDatabase.ScalarAsync<string>("SELECT consent_version FROM members WHERE email = @p0", email));

        // Leave nothing behind for the other tests' counts.
        await resident.GotoAsync("/my/erase");
        await resident.Locator("#confirm").CheckAsync();
        await resident.GetByRole(AriaRole.Button, new() { Name = "Erase my data permanently" }).ClickAsync();
        await Expect(resident.Locator("h1")).ToContainTextAsync("Your data was erased");
    }

    [Fact]
    public async Task Member_support_finds_a_member_by_email_resends_and_erases_and_every_step_is_in_the_audit_log()
    {
        using var gateway = system.Gateway();
        var email = Residents.NewEmail("support");
        await StaffPages.JoinAsync(gateway, email, "Vesilahti", language: "en");
        await system.Mail.WaitForMessageToAsync(email, StaffPages.MailTimeout);
        var ticket = Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        var (staff, page) = await StaffPages.SignedInAsync(system);
        await using var _ = staff;

        // Look up: the member and their state, and nothing else about them.
        await StaffPages.FindMemberAsync(page, email, $"Phoned the helpdesk, ticket {ticket}");
        await Expect(page.Locator("#lookup-result dl")).ToContainTextAsync("Not yet verified");
        await Expect(page.Locator("main")).Not.ToContainTextAsync(email.Split('@')[0] + "@", new() { Timeout = 1000 });

        // Resend the verification email: it arrives.
        await page.Locator("#resend-reason").FillAsync($"Confirmation email lost, ticket {ticket}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the confirmation email again" }).ClickAsync();
        await Expect(page.Locator("main [role=status]")).ToContainTextAsync("The confirmation email is queued for the member.");
        await system.Mail.WaitForMessagesToAsync(email, 2, StaffPages.MailTimeout);

        // Erase on request, confirmed on a step of its own.
        await StaffPages.FindMemberAsync(page, email, $"Asked to be erased, ticket {ticket}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase the member's data…" }).ClickAsync();
        await Expect(page.Locator("#erase-title")).ToBeVisibleAsync();
        await StaffPages.AssertAccessibleAsync(page, "support erase confirmation");
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase the data permanently" }).ClickAsync();
        await Expect(page.Locator("#erase-confirm")).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Equal(1, await system.MembershipDatabase.ScalarAsync<long>("SELECT count(*) FROM members WHERE email = @p0", email));
        await page.Locator("#erase-confirm").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase the data permanently" }).ClickAsync();
        await Expect(page.Locator("main [role=status]")).ToContainTextAsync("The member's data was erased.");
        Assert.Equal(0, await system.MembershipDatabase.ScalarAsync<long>("SELECT count(*) FROM members WHERE email = @p0", email));

        // The audit log, newest first: who, what, why; the member link gone with the member.
        await page.GotoAsync("/staff/audit");
        var rows = page.Locator("table.audit tbody tr");
        var expected = new[]
        {
            ("Erasure", "Erased", $"Asked to be erased, ticket {ticket}"),
            ("Lookup by email", "Found", $"Asked to be erased, ticket {ticket}"),
            ("Confirmation resent", "Message queued", $"Confirmation email lost, ticket {ticket}"),
            ("Lookup by email", "Found", $"Phoned the helpdesk, ticket {ticket}"),
        };
        for (var i = 0; i < expected.Length; i++)
        {
            var cells = await rows.Nth(i).Locator("th, td").AllInnerTextsAsync();
            Assert.Contains(PanelSystem.AdminEmail, cells[1], StringComparison.Ordinal);
            Assert.Equal(expected[i], (cells[2].Trim(), cells[3].Trim(), cells[4].Trim()));
            Assert.Equal("–", cells[5].Trim());
        }

        Assert.DoesNotContain(email, await page.ContentAsync(), StringComparison.OrdinalIgnoreCase);
        await StaffPages.AssertAccessibleAsync(page, "audit log");
    }

    private static async Task AppendAsync(IPage page, string selector, string sentence)
    {
        var text = await page.Locator(selector).InputValueAsync();
        Assert.False(string.IsNullOrWhiteSpace(text), $"{selector} did not start from the current text");
        await page.Locator(selector).FillAsync(text.TrimEnd() + "\n" + sentence);
    }

    [GeneratedRegex("Version (\\d+) is published")]
    private static partial Regex VersionRegex();
}
