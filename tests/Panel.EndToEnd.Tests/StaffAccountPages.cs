using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Panel.EndToEnd.Tests;

/// <summary>A staff account made the way an IT administrator makes one: on /staff/accounts, then its one-time set-password link.</summary>
public static class StaffAccountPages
{
    /// <summary>
    /// Creates the account on the administrator's <paramref name="admin"/> page, opens the set-password link it shows in a
    /// browser context of its own, sets <paramref name="password"/> there and answers the account's email.
    /// </summary>
    public static async Task CreateAsync(PanelSystem system, IPage admin, string email, string displayName, string password,
        IReadOnlyList<string> roles, IReadOnlyList<string>? areas = null)
    {
        await admin.GotoAsync("/staff/accounts");
        await admin.Locator("#email").FillAsync(email);
        await admin.Locator("#displayName").FillAsync(displayName);
        foreach (var role in roles)
        {
            await admin.Locator($"#role-{role}").CheckAsync();
        }

        foreach (var area in areas ?? [])
        {
            await admin.Locator($"#area-{area}").CheckAsync();
        }

        await admin.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(admin.Locator("#created")).ToContainTextAsync(email);
        var link = await admin.Locator("#set-password-link").GetAttributeAsync("href");
        Assert.False(string.IsNullOrEmpty(link), "the accounts page showed no set-password link");

        await using var context = await system.NewContextAsync();
        var page = await context.NewPageAsync();
        await Residents.ChooseLanguageAsync(page, "en");
        await page.GotoAsync(new Uri(link!).PathAndQuery);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#confirm").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Set password" }).ClickAsync();
        await Expect(page.Locator("main [role=status]")).ToContainTextAsync("Your password is set.");
    }

    /// <summary>A new browser context signed in as the staff member, in English.</summary>
    public static async Task<(IBrowserContext Context, IPage Page)> SignedInAsync(PanelSystem system, string email, string password)
    {
        var context = await system.NewContextAsync();
        var page = await context.NewPageAsync();
        await Residents.ChooseLanguageAsync(page, "en");
        await Residents.SignInAsync(page, email, password);
        return (context, page);
    }
}
