using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Panel.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Panel.EndToEnd.Tests;

/// <summary>
/// Issue 3's resident journey in a real browser against the real processes and a real SMTP server:
/// join → verification email → verify → sign in by emailed link → edit profile → download data →
/// erase; then nothing in any service's database links to the member any more.
/// </summary>
[Collection(PanelCollection.Name)]
public sealed class ResidentJourneyTests(PanelSystem system)
{
    private static readonly TimeSpan MailTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_resident_joins_verifies_signs_in_by_email_edits_downloads_and_erases_everything()
    {
        var email = Residents.NewEmail("journey");
        await using var context = await system.NewContextAsync();
        var page = await context.NewPageAsync();
        await Residents.ChooseLanguageAsync(page, "en");

        // Join, in a municipality no other test counts.
        await Residents.FillAndSubmitJoinAsync(page, email, "Pälkäne");
        await Expect(page.Locator("main [role=status]")).ToContainTextAsync("Thank you!");

        // The verification email arrives over SMTP, in English; its link opens a confirm page.
        var verification = await system.Mail.WaitForMessageToAsync(email, MailTimeout);
        await page.GotoAsync(SmtpSink.LinkIn(verification).PathAndQuery);
        await AssertAccessibleAsync(page, "verify");
        await page.Locator("main form button[type=submit]").ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Your email address is confirmed");

        // Sign in with an emailed link.
        await page.GotoAsync("/sign-in");
        await AssertAccessibleAsync(page, "resident sign-in");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("main form button[type=submit]").ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Check your email");
        var mails = await system.Mail.WaitForMessagesToAsync(email, 2, MailTimeout);
        await page.GotoAsync(SmtpSink.LinkIn(mails[^1]).PathAndQuery);
        await AssertAccessibleAsync(page, "sign-in link");
        await page.Locator("main form button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/my");
        await Expect(page.Locator("h1")).ToContainTextAsync("My panel");
        await AssertAccessibleAsync(page, "my panel");
        await ShootAsync(page, "my-panel");

        // Edit the profile: move to another municipality.
        await page.Locator("#municipality").SelectOptionAsync("Akaa");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save my details" }).ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Your details have been saved.");
        await Expect(page.Locator("#municipality")).ToHaveValueAsync("Akaa");

        // Download my data: a JSON file with the profile as it now is.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download my data (JSON file)" }).ClickAsync());
        var path = await download.PathAsync();
        using var export = JsonDocument.Parse(await File.ReadAllTextAsync(path!));
        var member = export.RootElement.GetProperty("member");
        Assert.Equal(email, member.GetProperty("email").GetString());
        Assert.Equal("Akaa", member.GetProperty("municipality").GetString());
        var panelistId = member.GetProperty("panelistId").GetString()!;

        // Erase, confirmed.
        await page.GotoAsync("/my/erase");
        await AssertAccessibleAsync(page, "erase");
        await page.Locator("#confirm").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase my data permanently" }).ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("Your data was erased");
        await AssertAccessibleAsync(page, "erased");

        // Signed out: "my panel" asks to sign in again.
        await page.GotoAsync("/my");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/sign-in");

        // Nothing that links to the member is left anywhere but, until it is relayed, the MemberDataErased event that tells
        // the others (the id and token hashes, no profile).
        var membership = await system.Database(ServiceNames.Membership).DumpTextAsync();
        Assert.DoesNotContain(email, membership, StringComparison.OrdinalIgnoreCase);
        var mentions = membership.Split('\n').Where(l => l.Contains(panelistId, StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.All(mentions, l => Assert.StartsWith("outbox_messages.body=", l, StringComparison.Ordinal));
        Assert.All(mentions, l => Assert.DoesNotContain("\"profile\"", l, StringComparison.Ordinal));
        await Eventually.UntilAsync(
            () => system.Database(ServiceNames.Membership).DumpTextAsync(),
            dump => !dump.Contains(panelistId, StringComparison.OrdinalIgnoreCase), TimeSpan.FromSeconds(30), "the MemberDataErased event to be relayed and deleted");
        foreach (var service in new[] { ServiceNames.Surveys, ServiceNames.Feedback, ServiceNames.Reporting })
        {
            // Reporting's inbox holds message ids only; its read models hold counts only.
            var dump = await Eventually.UntilAsync(
                () => system.Database(service).DumpTextAsync(), _ => true, TimeSpan.FromSeconds(5), service + " database");
            Assert.DoesNotContain(panelistId, dump, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(email, dump, StringComparison.OrdinalIgnoreCase);
        }

        // Reporting applied the erasure: Akaa has nobody (the member moved there, then left).
        await Eventually.UntilAsync(
            () => system.Database(ServiceNames.Reporting).ScalarAsync<long>(
                "SELECT coalesce(sum(members), 0) FROM panel_member_counts WHERE municipality = 'Akaa'"),
            n => n == 0, TimeSpan.FromSeconds(60), "Reporting to apply the erasure");
        Assert.Equal(0, await system.Database(ServiceNames.Reporting).ScalarAsync<long>(
            "SELECT coalesce(sum(members), 0) FROM panel_member_counts WHERE municipality = 'Pälkäne'"));
    }

    private static async Task AssertAccessibleAsync(IPage page, string what)
    {
        var result = await page.RunAxe();
        var violations = result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}").ToList();
        Assert.True(violations.Count == 0, $"axe found {violations.Count} violation(s) on {what} ({page.Url}):\n{string.Join('\n', violations)}");
    }

    private async Task ShootAsync(IPage page, string name)
    {
        foreach (var (viewport, width, height) in new[] { ("phone", 390, 844), ("desktop", 1280, 900) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.ScreenshotAsync(new PageScreenshotOptions
            {
                Path = Path.Combine(system.ScreenshotDirectory, $"{name}-{viewport}.png"),
                FullPage = true,
            });
        }

        await page.SetViewportSizeAsync(1280, 900);
    }
}
