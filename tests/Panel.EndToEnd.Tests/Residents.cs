using System.Net.Http.Json;
using Microsoft.Playwright;
using Panel.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Panel.EndToEnd.Tests;

/// <summary>
/// The residents the tests create, and how they join. Every test shares one system, so what one
/// test adds shows in another's table: the data are chosen so that the small-count suppression
/// (k = 5, complementary) leaves Orivesi's group of five visible whatever order the tests run in.
/// </summary>
public static class Residents
{
    /// <summary>Everyone in the browser tests is born in one year, so in one age band.</summary>
    public const int BirthYear = 1990;

    /// <summary>
    /// Where joins that no test counts go (the no-JavaScript join, the accessibility check of the
    /// thanks page). Every member of every test is born in <see cref="BirthYear"/>, so the table has
    /// one age band, and each municipality with 1-4 members hides its cell and its row total. One
    /// such group alone would be worked out from the totals, so suppression would hide the next
    /// smallest group too (Orivesi's five, Juupajoki's six); and hidden groups whose sum is below k
    /// would pin each other down (three hidden groups adding up to 3 are three ones), so suppression
    /// hides more until the hidden sum reaches k. The baseline therefore puts two members each in two
    /// small municipalities before any test runs (hidden sum 4, 5 with Virrat's one), and no test
    /// brings either to five (Ruovesi gets two more joins at most): the groups the tests count stay shown.
    /// </summary>
    public const string BackgroundMunicipality = "Ruovesi";

    public static readonly IReadOnlyList<string> BaselineMunicipalities = [BackgroundMunicipality, "Kihniö"];

    public const int BaselineMembersEach = 2;

    public static string NewEmail(string who) => $"{who}-{Guid.NewGuid():N}@example.fi";

    /// <summary>The age band Membership puts a birth year in this year (AgeBands.For in Panel.Membership).</summary>
    public static string AgeBand(int birthYear)
    {
        var age = DateTime.UtcNow.Year - birthYear;
        return age switch
        {
            < 25 => "15-24",
            < 35 => "25-34",
            < 45 => "35-44",
            < 55 => "45-54",
            < 65 => "55-64",
            < 75 => "65-74",
            < 85 => "75-84",
            _ => "85+",
        };
    }

    /// <summary>Fills in and submits the join form of the page's current UI language; leaves the page on the answer.</summary>
    public static async Task FillAndSubmitJoinAsync(IPage page, string email, string municipality, int birthYear = BirthYear, string language = "en")
    {
        await page.GotoAsync("/join");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#birthYear").FillAsync(birthYear.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("#municipality").SelectOptionAsync(municipality);
        await page.Locator($"#language-{language}").CheckAsync();
        await page.Locator("#consent").CheckAsync();
        await page.Locator("main form button[type=submit]").ClickAsync();
    }

    /// <summary>Joins through the form and waits for the thanks (the English UI).</summary>
    public static async Task JoinThroughFormAsync(IPage page, string email, string municipality, int birthYear = BirthYear)
    {
        await FillAndSubmitJoinAsync(page, email, municipality, birthYear);
        await Expect(page.Locator("main [role=status]")).ToContainTextAsync("Thank you!");
    }

    /// <summary>Joins through the gateway's public API, as the county website would.</summary>
    public static async Task JoinThroughApiAsync(HttpClient gateway, string email, string municipality, int birthYear)
    {
        var response = await gateway.PostAsJsonAsync("/api/membership/members", new
        {
            email, birthYear, municipality, language = "fi", consent = true,
        });
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted,
            $"join of {municipality} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// Joins through the public API and confirms the email with the link that arrives over SMTP: only
    /// verified members are in the panel and counted.
    /// </summary>
    public static async Task JoinAndVerifyThroughApiAsync(PanelSystem system, HttpClient gateway, string email, string municipality, int birthYear)
    {
        await JoinThroughApiAsync(gateway, email, municipality, birthYear);
        await StaffPages.VerifyAsync(system, gateway, email);
    }

    /// <summary>Opens the verification link of the member's first email in the browser and confirms it (the English UI).</summary>
    public static async Task VerifyInBrowserAsync(PanelSystem system, IPage page, string email)
    {
        var verification = await system.Mail.WaitForMessageToAsync(email, StaffPages.MailTimeout);
        await page.GotoAsync(SmtpSink.LinkIn(verification).PathAndQuery);
        await page.Locator("main form button[type=submit]").ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Your email address is confirmed");
    }

    /// <summary>Signs in at /staff/sign-in and waits for the staff start page.</summary>
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/staff/sign-in");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("main form button[type=submit]").ClickAsync();
        // The start page's URL once its response has begun, then its content: the page's "load" event (which
        // WaitForURL awaits by default) did not always come within the timeout on a loaded CI machine.
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/staff", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.Locator("main h1")).ToBeVisibleAsync();
    }

    /// <summary>Chooses the UI language the way a visitor does, with the language link's target.</summary>
    public static async Task ChooseLanguageAsync(IPage page, string language)
    {
        await page.GotoAsync($"/language/{language}?returnUrl=%2F");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
    }
}
