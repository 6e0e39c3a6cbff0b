using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Panel.EndToEnd.Tests;

/// <summary>
/// Every page a resident or a staff member sees, saved as PNG at phone (375×812) and desktop (1280×900)
/// width for a person to look at; none may be wider than the phone's window.
/// </summary>
[Collection(PanelCollection.Name)]
public sealed class ScreenshotTests(PanelSystem system, ITestOutputHelper output)
{
    [Fact]
    public async Task Every_resident_and_staff_page_is_saved_at_phone_and_desktop_width()
    {
        var shots = new List<string>();
        using var gateway = system.Gateway();
        await using var context = await system.NewContextAsync();
        var page = await context.NewPageAsync();
        await Residents.ChooseLanguageAsync(page, "en");

        async Task ShootAsync(string name)
        {
            await StaffPages.ShootAsync(system, page, name);
            await page.SetViewportSizeAsync(375, 812);
            await StaffPages.AssertFitsPhoneAsync(page, name);
            await page.SetViewportSizeAsync(1280, 900);
            shots.Add(name);
        }

        // Anyone.
        await page.GotoAsync("/");
        await ShootAsync("home");
        await page.GotoAsync("/privacy");
        await ShootAsync("privacy");
        await page.GotoAsync("/join");
        await ShootAsync("join");
        await page.Locator("main form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#error-summary")).ToBeVisibleAsync();
        await ShootAsync("join-with-errors");
        await page.GotoAsync("/not-found");
        await ShootAsync("not-found");
        await page.GotoAsync("/staff/sign-in");
        await ShootAsync("staff-sign-in");

        // A resident: join, confirm by email, sign in by email, their own pages, erase.
        var email = Residents.NewEmail("screens");
        await Residents.FillAndSubmitJoinAsync(page, email, "Hämeenkyrö");
        await Expect(page.Locator("main [role=status]")).ToContainTextAsync("Thank you!");
        await ShootAsync("join-thanks");
        var verification = await system.Mail.WaitForMessageToAsync(email, StaffPages.MailTimeout);
        await page.GotoAsync(Panel.TestSupport.SmtpSink.LinkIn(verification).PathAndQuery);
        await ShootAsync("verify");
        await page.Locator("main form button[type=submit]").ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Your email address is confirmed");
        await ShootAsync("verified");
        await page.GotoAsync("/sign-in");
        await ShootAsync("sign-in");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("main form button[type=submit]").ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Check your email");
        await ShootAsync("sign-in-sent");
        var mails = await system.Mail.WaitForMessagesToAsync(email, 2, StaffPages.MailTimeout);
        await page.GotoAsync(Panel.TestSupport.SmtpSink.LinkIn(mails[^1]).PathAndQuery);
        await ShootAsync("sign-in-link");
        await page.Locator("main form button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath is "/my" or "/my/consent");
        await page.GotoAsync("/my");
        await ShootAsync("my-panel");
        await page.GotoAsync("/my/consent");
        await ShootAsync("my-consent");
        await page.GotoAsync("/my/withdraw");
        await ShootAsync("my-withdraw");
        await page.GotoAsync("/my/erase");
        await ShootAsync("my-erase");
        await page.Locator("#confirm").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase my data permanently" }).ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("Your data was erased");
        await ShootAsync("erased");

        // Staff: every page the administrator (ItAdmin and Coordinator) has.
        var member = Residents.NewEmail("screens-support");
        await StaffPages.JoinAsync(gateway, member, "Punkalaidun", language: "en");
        await Residents.SignInAsync(page, PanelSystem.AdminEmail, system.AdminPassword);
        await ShootAsync("staff");
        foreach (var (path, name) in new[]
        {
            ("/staff/panel", "staff-panel"), ("/staff/campaigns", "staff-campaigns"), ("/staff/consent", "staff-consent"),
            ("/staff/support", "staff-support"), ("/staff/representativeness", "staff-representativeness-now"),
            ("/staff/mailbox", "staff-mailbox"),
        })
        {
            await page.GotoAsync(path);
            await Expect(page.Locator("h1")).ToBeVisibleAsync();
            await ShootAsync(name);
        }

        await page.GotoAsync("/staff/campaigns");
        await page.Locator("#startsOn").FillAsync("");
        await page.Locator("#new-campaign-title + form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#error-summary")).ToBeVisibleAsync();
        await ShootAsync("staff-campaigns-with-errors");

        await StaffPages.FindMemberAsync(page, member, "Screenshots of the support page");
        await ShootAsync("staff-support-found");
        await page.Locator("form.action-form button.danger").ClickAsync();
        await Expect(page.Locator("#erase-title")).ToBeVisibleAsync();
        await ShootAsync("staff-support-erase");
        await page.GotoAsync("/staff/audit");
        await ShootAsync("staff-audit");

        output.WriteLine($"{shots.Count * StaffPages.Viewports.Length} screenshots of {shots.Count} pages in {system.ScreenshotDirectory}:");
        foreach (var name in shots)
        {
            output.WriteLine($"  {name}-phone.png, {name}-desktop.png");
        }

        Assert.All(shots, name => Assert.True(File.Exists(Path.Combine(system.ScreenshotDirectory, $"{name}-phone.png")), name));
    }
}
