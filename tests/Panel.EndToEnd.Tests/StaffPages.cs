using System.Net.Http.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Panel.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Panel.EndToEnd.Tests;

/// <summary>What the staff tests share: signing in, members made through the public API and verified by email, axe, screenshots.</summary>
public static class StaffPages
{
    public static readonly TimeSpan MailTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Phone (the smallest common one) and desktop, as the screenshots are taken.</summary>
    public static readonly (string Name, int Width, int Height)[] Viewports = [("phone", 375, 812), ("desktop", 1280, 900)];

    /// <summary>A new browser context signed in as the administrator (ItAdmin and Coordinator), in <paramref name="language"/>.</summary>
    public static async Task<(IBrowserContext Context, IPage Page)> SignedInAsync(PanelSystem system, string language = "en", int width = 1280, int height = 900)
    {
        var context = await system.NewContextAsync(width: width, height: height);
        var page = await context.NewPageAsync();
        await Residents.ChooseLanguageAsync(page, language);
        await Residents.SignInAsync(page, PanelSystem.AdminEmail, system.AdminPassword);
        return (context, page);
    }

    /// <summary>Joins through the public API with every field the tests vary.</summary>
    public static async Task JoinAsync(HttpClient gateway, string email, string municipality, int birthYear = Residents.BirthYear,
        string? gender = null, string language = "fi", string? campaignCode = null)
    {
        var response = await gateway.PostAsJsonAsync("/api/membership/members", new
        {
            email, birthYear, municipality, gender, language, consent = true, campaignCode,
        });
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted,
            $"join of {municipality} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Confirms the member's email with the token of the verification email they got (their first).</summary>
    public static async Task VerifyAsync(PanelSystem system, HttpClient gateway, string email)
    {
        var mail = await system.Mail.WaitForMessageToAsync(email, MailTimeout);
        var response = await gateway.PostAsJsonAsync("/api/membership/verifications", new { token = SmtpSink.TokenIn(mail) });
        Assert.True(response.IsSuccessStatusCode, $"verification answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Asks for a sign-in link by email and answers its address (the member's <paramref name="mailNumber"/>th email).</summary>
    public static async Task<string> SignInLinkAsync(PanelSystem system, HttpClient gateway, string email, int mailNumber)
    {
        var response = await gateway.PostAsJsonAsync("/api/membership/sign-in-links", new { email });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var mails = await system.Mail.WaitForMessagesToAsync(email, mailNumber, MailTimeout);
        return SmtpSink.LinkIn(mails[mailNumber - 1]).PathAndQuery;
    }

    public static async Task AssertAccessibleAsync(IPage page, string what)
    {
        var result = await page.RunAxe();
        var violations = result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}").ToList();
        Assert.True(violations.Count == 0, $"axe found {violations.Count} violation(s) on {what} ({page.Url}):\n{string.Join('\n', violations)}");
    }

    /// <summary>Full-page screenshots of the current page at phone and desktop width; the page is then back at desktop width.</summary>
    public static async Task ShootAsync(PanelSystem system, IPage page, string name)
    {
        // A screenshot of an unstyled page proves nothing: the stylesheet must have been applied.
        var header = await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('.site-header')).backgroundColor");
        Assert.NotEqual("rgba(0, 0, 0, 0)", header);

        foreach (var (viewport, width, height) in Viewports)
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

    /// <summary>
    /// Nothing on the page is wider than the window at phone width (no sideways scrolling of the page itself;
    /// wide tables scroll inside their own region).
    /// </summary>
    public static async Task AssertFitsPhoneAsync(IPage page, string what)
    {
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"{what} is {overflow}px wider than the phone's window ({page.Url}).");
    }

    /// <summary>Looks the member with <paramref name="email"/> up on the support page and waits for them to be shown.</summary>
    public static async Task FindMemberAsync(IPage page, string email, string reason)
    {
        await page.GotoAsync("/staff/support");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#reason").FillAsync(reason);
        await page.Locator("main form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#member-title")).ToBeVisibleAsync();
    }
}
