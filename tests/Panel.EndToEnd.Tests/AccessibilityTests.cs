using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Panel.EndToEnd.Tests;

/// <summary>axe-core finds nothing to fix on the pages residents and staff see, in every state and language.</summary>
[Collection(PanelCollection.Name)]
public sealed class AccessibilityTests(PanelSystem system)
{
    /// <summary>The staff pages, each checked in Finnish, Swedish, English and (in English) at phone width.</summary>
    private static readonly string[] StaffStates =
    [
        "staff-home", "staff-panel", "staff-campaigns", "staff-consent", "staff-support", "staff-support-found", "staff-support-erase",
        "staff-audit", "staff-representativeness", "staff-mailbox",
    ];

    private static readonly SemaphoreSlim MemberLock = new(1, 1);

    /// <summary>
    /// The administrator's signed-in browser state per gateway and language: signed in once, each staff state opens a
    /// context with it instead of choosing the language and signing in again (what the sign-in page looks like is its
    /// own state).
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Uri, string), Lazy<Task<string>>> StaffSessions = new();
    private static string? supportMember;

    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string>
        {
            "home", "join", "join-with-errors", "join-thanks", "sign-in", "sign-in-failed", "staff", "not-found", "setup",
            "home-fi", "home-sv", "home-en", "join-fi", "join-sv", "join-en", "join-phone",
            "privacy-fi", "privacy-sv", "privacy-en", "privacy-phone",
            "staff-campaigns-with-errors", "staff-consent-with-errors", "staff-support-with-errors",
        };
        foreach (var state in StaffStates)
        {
            foreach (var variant in new[] { "fi", "sv", "en", "phone" })
            {
                pages.Add($"{state}-{variant}");
            }
        }

        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Axe_reports_no_violations(string state)
    {
        var phone = state.EndsWith("-phone", StringComparison.Ordinal);
        var session = state.StartsWith("staff-", StringComparison.Ordinal) ? await StaffSessionAsync(StaffLanguageOf(state)) : null;
        await using var context = await system.NewContextAsync(width: phone ? 375 : 1280, height: phone ? 812 : 900, storageState: session);
        var page = await context.NewPageAsync();

        await OpenAsync(page, state);
        var result = await page.RunAxe();

        var violations = result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}").ToList();
        Assert.True(violations.Count == 0, $"axe found {violations.Count} violation(s) on '{state}' ({page.Url}):\n{string.Join('\n', violations)}");
        if (phone)
        {
            await StaffPages.AssertFitsPhoneAsync(page, state);
        }
    }

    private async Task OpenAsync(IPage page, string state)
    {
        if (state.StartsWith("staff-", StringComparison.Ordinal))
        {
            await OpenStaffAsync(page, state);
            return;
        }

        if (state.StartsWith("privacy-", StringComparison.Ordinal))
        {
            var language = state == "privacy-phone" ? "fi" : state["privacy-".Length..];
            await page.GotoAsync($"/privacy?lang={language}");
            await Expect(page.Locator("h1")).ToBeVisibleAsync();
            return;
        }

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

    /// <summary>The language a staff state is checked in: its own, English for "-phone" and the error states.</summary>
    private static string StaffLanguageOf(string state)
    {
        var variant = state[(state.LastIndexOf('-') + 1)..];
        return variant is "fi" or "sv" ? variant : "en";
    }

    private Task<string> StaffSessionAsync(string language) =>
        StaffSessions.GetOrAdd((system.GatewayUrl, language), _ => new Lazy<Task<string>>(async () =>
        {
            await using var context = await system.NewContextAsync();
            var page = await context.NewPageAsync();
            await Residents.ChooseLanguageAsync(page, language);
            await Residents.SignInAsync(page, PanelSystem.AdminEmail, system.AdminPassword);
            return await context.StorageStateAsync();
        })).Value;

    /// <summary>A staff page as the administrator (ItAdmin and Coordinator) sees it, signed in; "-phone" is English at phone width.</summary>
    private async Task OpenStaffAsync(IPage page, string state)
    {
        var variant = state[(state.LastIndexOf('-') + 1)..];
        var language = StaffLanguageOf(state);
        var name = variant is "fi" or "sv" or "en" or "phone" ? state[..state.LastIndexOf('-')] : state;

        switch (name)
        {
            case "staff-home":
                await page.GotoAsync("/staff");
                await Expect(page.Locator("#composition-title")).ToBeVisibleAsync();
                break;
            case "staff-panel":
                await page.GotoAsync("/staff/panel");
                await Expect(page.Locator("#states-title")).ToBeVisibleAsync();
                break;
            case "staff-campaigns":
                await page.GotoAsync("/staff/campaigns");
                await Expect(page.Locator("#campaign-list-title")).ToBeVisibleAsync();
                break;
            case "staff-campaigns-with-errors":
                await page.GotoAsync("/staff/campaigns");
                await page.Locator("#startsOn").FillAsync("");
                await page.Locator("#new-campaign-title + form button[type=submit]").ClickAsync();
                await Expect(page.Locator("#error-summary")).ToBeVisibleAsync();
                break;
            case "staff-consent":
                await page.GotoAsync("/staff/consent");
                await Expect(page.Locator("#history-title")).ToBeVisibleAsync();
                break;
            case "staff-consent-with-errors":
                await page.GotoAsync("/staff/consent");
                await page.Locator("#text-sv").FillAsync("Kort");
                await page.Locator("#confirm").CheckAsync();
                await page.Locator("#publish-title ~ form button[type=submit]").ClickAsync();
                await Expect(page.Locator("#error-summary")).ToBeVisibleAsync();
                break;
            case "staff-support":
                await page.GotoAsync("/staff/support");
                await Expect(page.Locator("#email")).ToBeVisibleAsync();
                break;
            case "staff-support-with-errors":
                await page.GotoAsync("/staff/support");
                await page.Locator("main form button[type=submit]").ClickAsync();
                await Expect(page.Locator("#error-summary")).ToBeVisibleAsync();
                break;
            case "staff-support-found":
                await StaffPages.FindMemberAsync(page, await SupportMemberAsync(), "Accessibility check of the support page");
                break;
            case "staff-support-erase":
                await StaffPages.FindMemberAsync(page, await SupportMemberAsync(), "Accessibility check of the erase step");
                await page.Locator("form.action-form button.danger").ClickAsync();
                await Expect(page.Locator("#erase-title")).ToBeVisibleAsync();
                break;
            case "staff-audit":
                await page.GotoAsync("/staff/audit");
                await Expect(page.Locator("h1")).ToBeVisibleAsync();
                break;
            case "staff-representativeness":
                await page.GotoAsync("/staff/representativeness");
                await Expect(page.Locator("#csv-format-title")).ToBeVisibleAsync();
                break;
            case "staff-mailbox":
                await page.GotoAsync("/staff/mailbox");
                await Expect(page.Locator("h1")).ToBeVisibleAsync();
                break;
            default:
                throw new ArgumentException($"No staff state '{state}'.", nameof(state));
        }

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
    }

    /// <summary>One pending member for the support states, joined once (in a municipality no test counts).</summary>
    private async Task<string> SupportMemberAsync()
    {
        await MemberLock.WaitAsync();
        try
        {
            if (supportMember is null)
            {
                using var gateway = system.Gateway();
                var email = Residents.NewEmail("axe-support");
                await StaffPages.JoinAsync(gateway, email, "Urjala");
                supportMember = email;
            }

            return supportMember;
        }
        finally
        {
            MemberLock.Release();
        }
    }
}
