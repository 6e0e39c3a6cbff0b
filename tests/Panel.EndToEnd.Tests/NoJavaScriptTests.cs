using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Panel.EndToEnd.Tests;

/// <summary>The public pages are plain HTML forms: they work in a browser without JavaScript.</summary>
[Collection(PanelCollection.Name)]
public sealed class NoJavaScriptTests(PanelSystem system)
{
    [Fact]
    public async Task A_resident_can_join_with_JavaScript_disabled()
    {
        await using var context = await system.NewContextAsync(javaScript: false);
        var page = await context.NewPageAsync();
        var email = Residents.NewEmail("nojs");

        await Residents.ChooseLanguageAsync(page, "en");
        await Residents.FillAndSubmitJoinAsync(page, email, Residents.BackgroundMunicipality);

        await Expect(page.Locator("main [role=status]")).ToContainTextAsync("Thank you!");
        Assert.Equal(0, await page.Locator("main form").CountAsync());
        Assert.Equal(1, await system.MembershipDatabase.ScalarAsync<long>("SELECT count(*) FROM members WHERE email = @p0", email));
    }

    [Fact]
    public async Task The_join_form_shows_its_errors_with_JavaScript_disabled()
    {
        await using var context = await system.NewContextAsync(javaScript: false);
        var page = await context.NewPageAsync();
        await Residents.ChooseLanguageAsync(page, "en");
        await page.GotoAsync("/join");

        await page.Locator("main form button[type=submit]").ClickAsync();

        await Expect(page.Locator("#error-summary")).ToContainTextAsync("Enter an email address");
        await Expect(page.Locator("#email")).ToHaveAttributeAsync("aria-invalid", "true");
    }
}
