using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Panel.EndToEnd.Tests;

/// <summary>axe-core finds nothing to fix on the pages residents and staff see, in every state and language.</summary>
[Collection(PanelCollection.Name)]
public sealed class AccessibilityTests(PanelSystem system)
{
    public static TheoryData<string> Pages() =>
    [
        "home", "join", "join-with-errors", "join-thanks", "sign-in", "sign-in-failed", "staff", "not-found", "setup",
        "home-fi", "home-sv", "home-en", "join-fi", "join-sv", "join-en", "join-phone",
    ];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Axe_reports_no_violations(string state)
    {
        var phone = state.EndsWith("-phone", StringComparison.Ordinal);
        await using var context = await system.NewContextAsync(width: phone ? 390 : 1280, height: phone ? 844 : 900);
        var page = await context.NewPageAsync();

        await OpenAsync(page, state);
        var result = await page.RunAxe();

        var violations = result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}").ToList();
        Assert.True(violations.Count == 0, $"axe found {violations.Count} violation(s) on '{state}' ({page.Url}):\n{string.Join('\n', violations)}");
    }

    private async Task OpenAsync(IPage page, string state)
    {
        switch (state)
        {
            case "home":
                await page.GotoAsync("/");
                await Expect(page.Locator("h1")).ToBeVisibleAsync();
                break;
            case "join" or "join-phone":
                await page.GotoAsync("/join");
                await Expect(page.Locator("#email")).ToBeVisibleAsync();
                break;
            case "join-with-errors":
                await page.GotoAsync("/join");
                await page.Locator("main form button[type=submit]").ClickAsync();
                await Expect(page.Locator("#error-summary")).ToBeVisibleAsync();
                break;
            case "join-thanks":
                await Residents.ChooseLanguageAsync(page, "en");
                await Residents.JoinThroughFormAsync(page, Residents.NewEmail("axe"), Residents.BackgroundMunicipality);
                break;
            case "sign-in":
                await page.GotoAsync("/staff/sign-in");
                await Expect(page.Locator("#password")).ToBeVisibleAsync();
                break;
            case "sign-in-failed":
                await page.GotoAsync("/staff/sign-in");
                await page.Locator("#email").FillAsync("nobody@example.fi");
                await page.Locator("#password").FillAsync("Wrong-password-1");
                await page.Locator("main form button[type=submit]").ClickAsync();
                await Expect(page.Locator("main [role=alert]")).ToBeVisibleAsync();
                break;
            case "staff":
                await Residents.SignInAsync(page, PanelSystem.AdminEmail, system.AdminPassword);
                await Expect(page.Locator("#composition-title")).ToBeVisibleAsync();
                break;
            case "not-found":
                await page.GotoAsync("/not-found");
                await Expect(page.Locator("h1")).ToBeVisibleAsync();
                break;
            case "setup":
                await page.GotoAsync("/setup");
                await Expect(page.Locator("h1")).ToBeVisibleAsync();
                break;
            default:
                var (path, language) = (state[..state.LastIndexOf('-')], state[(state.LastIndexOf('-') + 1)..]);
                await page.GotoAsync((path == "home" ? "/" : "/" + path) + "?lang=" + language);
                await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
                break;
        }
    }
}
