using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Playwright;
using Panel.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Panel.EndToEnd.Tests;

/// <summary>
/// The coordinator uploads the county's population in the browser and sees the panel against it. Needs
/// Membership's POST /population-reference and Reporting's GET /panel/representativeness.
/// </summary>
[Collection(PanelCollection.Name)]
public sealed class RepresentativenessTests(PanelSystem system)
{
    /// <summary>Rough populations of Pirkanmaa's municipalities (the default configuration); others get 5 000.</summary>
    private static readonly Dictionary<string, int> Populations = new(StringComparer.Ordinal)
    {
        ["Tampere"] = 255000, ["Nokia"] = 35500, ["Ylöjärvi"] = 34000, ["Kangasala"] = 33500, ["Lempäälä"] = 24500,
        ["Pirkkala"] = 20500, ["Sastamala"] = 23800, ["Valkeakoski"] = 20700, ["Orivesi"] = 8900, ["Mänttä-Vilppula"] = 9600,
        ["Akaa"] = 16400, ["Hämeenkyrö"] = 10300, ["Ikaalinen"] = 6800, ["Parkano"] = 6300, ["Virrat"] = 6400,
        ["Pälkäne"] = 6500, ["Vesilahti"] = 4500, ["Urjala"] = 4600, ["Ruovesi"] = 4200, ["Juupajoki"] = 1800,
        ["Punkalaidun"] = 2700, ["Kihniö"] = 1700, ["Kuhmoinen"] = 2100,
    };

    /// <summary>Share of the population 15+ per age band (15-24 … 85+).</summary>
    private static readonly (string Band, double Share)[] Bands =
    [
        ("15-24", 0.135), ("25-34", 0.16), ("35-44", 0.155), ("45-54", 0.145), ("55-64", 0.15), ("65-74", 0.14), ("75-84", 0.085), ("85+", 0.03),
    ];

    [Fact]
    public async Task A_coordinator_uploads_the_population_in_the_browser_and_sees_the_panel_against_it()
    {
        using var gateway = system.Gateway();
        var municipalities = (await gateway.GetFromJsonAsync<JoinOptions>("/api/membership/join-options"))!.Municipalities;

        // Verified members, so that the panel has numbers to compare (only verified members count).
        foreach (var gender in new[] { "woman", "man" })
        {
            for (var i = 0; i < 5; i++)
            {
                var email = Residents.NewEmail("repr-" + gender);
                await StaffPages.JoinAsync(gateway, email, "Valkeakoski", gender: gender);
                await StaffPages.VerifyAsync(system, gateway, email);
            }
        }

        var (staff, page) = await StaffPages.SignedInAsync(system);
        await using var _ = staff;

        // No reference yet: the page says how to upload one, in every language and at phone width.
        await page.GotoAsync("/staff/representativeness");
        await Expect(page.Locator("#no-reference-title")).ToBeVisibleAsync();
        await Expect(page.Locator("pre.csv-example")).ToContainTextAsync("municipality,age_band,gender,count");
        await CheckEveryLanguageAndPhoneAsync(page, "representativeness without a reference");
        await StaffPages.ShootAsync(system, page, "staff-representativeness-no-reference");

        // A file with mistakes: every one listed by line, nothing stored.
        var bad = "municipality;age_band;gender;count\nTampere;15-24;woman;17000\nHelsinki;15-24;woman;100\nTampere;15-24;nainen;100\nTampere;25-34;man;1 000\n";
        await UploadAsync(page, bad);
        var errors = page.Locator("#upload-errors ul.upload-errors li");
        await Expect(errors).ToHaveCountAsync(3);
        await Expect(errors.Nth(0)).ToContainTextAsync("Line 3, column municipality:");
        await Expect(errors.Nth(1)).ToContainTextAsync("Line 4, column gender:");
        await Expect(errors.Nth(2)).ToContainTextAsync("Line 5, column count:");
        await Expect(page.Locator("#file")).ToHaveAttributeAsync("aria-invalid", "true");
        await StaffPages.AssertAccessibleAsync(page, "representativeness upload errors");
        await StaffPages.AssertFitsPhoneAsync(page, "upload errors");
        Assert.Equal(0, await system.MembershipDatabase.ScalarAsync<long>("SELECT count(*) FROM population_references"));

        // The real file.
        var (csv, total) = ReferenceCsv(municipalities);
        await UploadAsync(page, csv);
        await Expect(page.Locator("main [role=status]").First).ToContainTextAsync("Version 1 of the population reference was saved.");
        await Eventually.UntilAsync(
            async () =>
            {
                await page.GotoAsync("/staff/representativeness");
                return await page.Locator("#recruit-title").CountAsync();
            },
            n => n == 1, TimeSpan.FromSeconds(60), "Reporting to compare the panel with the uploaded reference");

        var facts = page.Locator("main dl.facts");
        await Expect(facts).ToContainTextAsync("version 1, uploaded");
        await Expect(facts).ToContainTextAsync(total.ToString("N0", CultureInfo.GetCultureInfo("en")));
        // Each attribute's chart in two layouts (phone and desktop), of which the stylesheet shows one.
        await Expect(page.Locator("figure.share-chart.chart-narrow svg[role=img]")).ToHaveCountAsync(3);
        await Expect(page.Locator("figure.share-chart.chart-wide svg[role=img]")).ToHaveCountAsync(3);
        await Expect(page.Locator("figure.share-chart.chart-wide").First).ToBeVisibleAsync();
        await Expect(page.Locator("figure.share-chart.chart-narrow").First).ToBeHiddenAsync();
        await Expect(page.Locator("table:has(#attr-municipality-caption) tbody tr")).ToHaveCountAsync(municipalities.Count);
        await Expect(page.Locator("details.groups")).ToHaveCountAsync(municipalities.Count);
        var recruit = await page.Locator("ol.recruit-list li").CountAsync();
        Assert.InRange(recruit, 1, 10);
        // Each municipality's population is the file's.
        var tampere = page.Locator("table:has(#attr-municipality-caption) tbody tr", new() { Has = page.Locator("th:text-is('Tampere')") });
        await Expect(tampere.Locator("td").Nth(2)).ToHaveTextAsync(Sum(csv, "Tampere").ToString("N0", CultureInfo.GetCultureInfo("en")));

        // No panel count under k is shown anywhere on the page.
        var memberCells = await page.Locator("table.data tbody tr td:nth-of-type(1).num, table.data tbody tr td:nth-of-type(2).num").AllInnerTextsAsync();
        Assert.All(memberCells.Where(c => c.All(char.IsAsciiDigit) && c.Length > 0), c => Assert.True(int.Parse(c, CultureInfo.InvariantCulture) is 0 or >= 5, $"a count of {c} is shown"));

        await CheckEveryLanguageAndPhoneAsync(page, "representativeness with a reference");
        await StaffPages.ShootAsync(system, page, "staff-representativeness");
    }

    private static async Task UploadAsync(IPage page, string csv)
    {
        await page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "population.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and save" }).ClickAsync();
    }

    private async Task CheckEveryLanguageAndPhoneAsync(IPage page, string what)
    {
        foreach (var language in new[] { "fi", "sv", "en" })
        {
            await page.GotoAsync("/staff/representativeness?lang=" + language);
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
            await StaffPages.AssertAccessibleAsync(page, $"{what} ({language})");
        }

        await page.SetViewportSizeAsync(375, 812);
        await page.GotoAsync("/staff/representativeness");
        await StaffPages.AssertAccessibleAsync(page, $"{what} (phone)");
        await StaffPages.AssertFitsPhoneAsync(page, what);
        await page.SetViewportSizeAsync(1280, 900);
    }

    /// <summary>Every municipality × age band × gender, women slightly more in the oldest bands.</summary>
    private static (string Csv, long Total) ReferenceCsv(IReadOnlyList<string> municipalities)
    {
        var csv = new StringBuilder("municipality,age_band,gender,count\n");
        long total = 0;
        foreach (var municipality in municipalities)
        {
            var population = Populations.GetValueOrDefault(municipality, 5000);
            foreach (var (band, share) in Bands)
            {
                var women = band is "75-84" or "85+" ? 0.6 : 0.5;
                foreach (var (gender, part) in new[] { ("woman", women), ("man", 1 - women) })
                {
                    var count = (int)Math.Round(population * 0.85 * share * part);
                    csv.Append(CultureInfo.InvariantCulture, $"{municipality},{band},{gender},{count}\n");
                    total += count;
                }
            }
        }

        return (csv.ToString(), total);
    }

    private static long Sum(string csv, string municipality) =>
        csv.Split('\n').Skip(1).Select(l => l.Split(',')).Where(f => f.Length == 4 && f[0] == municipality).Sum(f => long.Parse(f[3], CultureInfo.InvariantCulture));

    private sealed record JoinOptions(List<string> Municipalities);
}
