using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Panel.TestSupport;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Panel.EndToEnd.Tests;

/// <summary>
/// A system of its own for <see cref="DisclosureScreenshotTests"/>: the test adds members in several municipalities and
/// a population reference, which would change the suppression patterns the other tests' counts are balanced on
/// (see <see cref="Residents"/>), and RepresentativenessTests expects no reference before its own upload. Not run in
/// parallel with the shared system: it starts after the other collections are done.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DisclosureCollection : ICollectionFixture<PanelSystem>
{
    public const string Name = "Panel system, disclosure screenshots";
}

/// <summary>
/// Issue 13's "done when": what a coordinator sees, in Finnish, on the staff start page, panel health,
/// representativeness and the results of a survey with 8 and one with 50 respondents. Every hidden number is the one
/// symbol <c>..</c> with the one footnote (never a label such as "alle 5"); at 50 respondents the NPS is shown although
/// some of its scale points are hidden. Every page is checked with axe and shot at phone and desktop width.
/// </summary>
[Collection(DisclosureCollection.Name)]
public sealed partial class DisclosureScreenshotTests(PanelSystem system, ITestOutputHelper output)
{
    private const int K = 5;

    private const int Pending = 2;

    /// <summary>Members joined here (besides the fixture's baseline: two in Ruovesi and two in Kihniö, born in 1990).</summary>
    private static readonly (string Municipality, int BirthYear, string Gender, int Count)[] Members =
    [
        ("Tampere", 1990, "woman", 4),
        ("Tampere", 1990, "man", 3),
        ("Akaa", 1960, "woman", 3),
        ("Akaa", 1960, "man", 3),
        ("Sastamala", 1990, "woman", 3),
        ("Urjala", 1960, "man", 2),
    ];

    /// <summary>The one symbol of a hidden number (Panel.Privacy.HiddenNumber) and its one footnote, as a Finnish reader sees them.</summary>
    private const string Symbol = "..";

    private const string Footnote = ".. = piilotettu nimettömyyden suojaamiseksi: luku voisi paljastaa alle 5 hengen ryhmän tai sen, onko ryhmässä ketään.";

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact]
    public async Task A_coordinator_sees_hidden_numbers_as_one_symbol_with_one_footnote_and_the_nps_at_50_respondents()
    {
        // --- Members in several municipalities, joined and verified through the public API ------------------------------
        using var gateway = system.Gateway();
        // Two join but never confirm their email: pending members, a count panel health must hide.
        for (var i = 0; i < Pending; i++)
        {
            await StaffPages.JoinAsync(gateway, Residents.NewEmail("issue13-pending"), "Urjala", 1960, "woman");
        }

        var emails = new List<string>();
        foreach (var (municipality, birthYear, gender, count) in Members)
        {
            for (var i = 0; i < count; i++)
            {
                var email = Residents.NewEmail("issue13");
                await StaffPages.JoinAsync(gateway, email, municipality, birthYear, gender);
                emails.Add(email);
            }
        }

        await Task.WhenAll(emails.Select(e => StaffPages.VerifyAsync(system, gateway, e)));
        var inPanel = emails.Count + Residents.BaselineMunicipalities.Count * Residents.BaselineMembersEach;
        await Eventually.UntilAsync(
            () => system.Database(ServiceNames.Reporting).ScalarAsync<string>(
                "SELECT coalesce(sum(members) FILTER (WHERE state = 'Active'), 0) || '/' || coalesce(sum(members) FILTER (WHERE state = 'Pending'), 0) FROM panel_member_counts"),
            n => n == $"{inPanel}/{Pending}", TimeSpan.FromSeconds(60), $"Reporting to count the {inPanel} active and {Pending} pending members");
        Log($"{emails.Count} members joined and verified, {inPanel} in the panel");

        var (context, page) = await StaffPages.SignedInAsync(system, "fi");
        await using var _ = context;

        // --- The staff start page: the panel's composition ----------------------------------------------------------------
        await page.GotoAsync("/staff");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Henkilöstön etusivu");
        var composition = page.Locator("table.data:has(#composition-caption)");
        await Expect(composition).ToBeVisibleAsync();
        await AssertOneSymbolAndFootnoteAsync(page, "staff start page");
        // Urjala's two and Sastamala's three are hidden; no cell names a group of 1–4.
        await Expect(RowCells(composition, "Urjala").Last).ToHaveTextAsync(Symbol);
        await Expect(RowCells(composition, "Sastamala").Last).ToHaveTextAsync(Symbol);
        await AssertNoSmallCountsAsync(composition.Locator("tbody td.num, tfoot td.num"), "the composition table");
        // Tampere's seven are all born in 1990: the row total is shown.
        await Expect(RowCells(composition, "Tampere").Last).ToHaveTextAsync("7");
        await StaffPages.AssertAccessibleAsync(page, "staff start page");
        await StaffPages.ShootAsync(system, page, "issue13-staff-start");

        // --- Panel health ----------------------------------------------------------------------------------------------
        await page.GotoAsync("/staff/panel");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Paneelin tila");
        var states = page.Locator("table.data:has(#states-caption)");
        await Expect(states).ToBeVisibleAsync();
        await Expect(RowCells(states, "Aktiivisia")).ToHaveTextAsync(inPanel.ToString(CultureInfo.InvariantCulture));
        await Expect(RowCells(states, "Paneelissa (aktiiviset ja tauolla)")).ToHaveTextAsync(inPanel.ToString(CultureInfo.InvariantCulture));
        await Expect(RowCells(states, "Vahvistamatta")).ToHaveTextAsync(Symbol);
        await AssertNoSmallCountsAsync(page.Locator("main table.data td.num"), "panel health");
        // The month table's totals must not give the pending two away (joined minus verified): they are rounded down to 5.
        var totals = page.Locator("table.data:has(#months-caption) tfoot td");
        var joined = await totals.Nth(0).InnerTextAsync();
        var verified = await totals.Nth(1).InnerTextAsync();
        if (int.TryParse(joined, CultureInfo.InvariantCulture, out var j) && int.TryParse(verified, CultureInfo.InvariantCulture, out var v))
        {
            Assert.False(j - v is > 0 and < K, $"panel health shows {joined} joined and {verified} verified: the {Symbol} of the {Pending} pending members is their difference");
        }

        await AssertOneSymbolAndFootnoteAsync(page, "panel health");
        await StaffPages.AssertAccessibleAsync(page, "panel health");
        await StaffPages.ShootAsync(system, page, "issue13-panel-health");

        // --- Representativeness, against an uploaded population reference ------------------------------------------------
        var municipalities = (await gateway.GetFromJsonAsync<JoinOptions>("/api/membership/join-options"))!.Municipalities;
        await page.GotoAsync("/staff/representativeness");
        await page.Locator("#file").SetInputFilesAsync(new FilePayload
        {
            Name = "population.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(ReferenceCsv(municipalities)),
        });
        await page.Locator("form:has(#file) button[type=submit]").ClickAsync();
        await Expect(page.Locator("main [role=status]").First).ToContainTextAsync("Väestötietojen versio 1 on tallennettu.");
        await Eventually.UntilAsync(
            async () =>
            {
                await page.GotoAsync("/staff/representativeness");
                return await page.Locator("#recruit-title").CountAsync();
            },
            n => n == 1, TimeSpan.FromSeconds(60), "Reporting to compare the panel with the uploaded reference");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Edustavuus");
        var byMunicipality = page.Locator("table.data:has(#attr-municipality-caption)");
        await Expect(byMunicipality.Locator("tbody tr")).ToHaveCountAsync(municipalities.Count);
        await AssertNoSmallCountsAsync(page.Locator("table.data:has(#attr-municipality-caption) tbody td:nth-of-type(1)"), "representativeness by municipality");
        // Shares and ratios are shown where safe: Tampere's seven members have a panel share and a ratio.
        var tampere = RowCells(byMunicipality, "Tampere");
        await Expect(tampere.Nth(0)).ToHaveTextAsync("7");
        await Expect(tampere.Nth(4)).ToHaveTextAsync(DecimalRegex());
        await Expect(page.Locator("ol.recruit-list li").First).ToBeVisibleAsync();
        await AssertOneSymbolAndFootnoteAsync(page, "representativeness");
        // Tampere's groups open, as a coordinator looking for whom to recruit would.
        await page.Locator("details.groups summary", new() { HasTextString = "Tampere" }).ClickAsync();
        await Expect(page.Locator("details.groups[open] table.data tbody tr")).ToHaveCountAsync(8);
        await StaffPages.AssertAccessibleAsync(page, "representativeness");
        await StaffPages.ShootAsync(system, page, "issue13-representativeness");
        Log("panel pages checked");

        // --- Two surveys answered with staff help: 8 and 50 respondents ----------------------------------------------------
        var small = await OpenSurveyAsync(page, "Pysäköinti terveysasemilla");
        var large = await OpenSurveyAsync(page, "Terveysasemien aukioloajat");
        foreach (var (nps, choice) in Answers8)
        {
            await AssistAsync(page, small, nps, choice);
        }

        foreach (var (nps, choice) in Answers50)
        {
            await AssistAsync(page, large, nps, choice);
        }

        // The mixer releases everything that waits when a survey closes.
        await CloseAsync(page, small);
        await CloseAsync(page, large);
        await WaitForRespondentsAsync(page, small, Answers8.Count);
        await WaitForRespondentsAsync(page, large, Answers50.Count);
        Log("answers counted by Reporting");

        // --- Results at 50: the NPS is shown although some scale points (fewer than k each) are hidden --------------------
        await page.GotoAsync($"/staff/results/{large}");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Terveysasemien aukioloajat");
        await Expect(page.Locator("main strong.respondents").First).ToHaveTextAsync("50");
        // Promoters 25, detractors 10 of 50: +30.
        await Expect(page.Locator("main dd.nps")).ToHaveTextAsync("+30");
        var npsTable50 = QuestionTable(page, "Suosittelisitko terveysasemaa ystävällesi?");
        await Expect(npsTable50.Locator("tbody tr.suppressed").First).ToBeVisibleAsync();
        await AssertHiddenRowsAsync(page, "results at 50");
        var workedOut50 = await HiddenNpsCountsWorkedOutAsync(page, "Suosittelisitko terveysasemaa ystävällesi?", 50);
        output.WriteLine($"at 50 respondents, the hidden NPS counts consistent with the page: {string.Join("; ", workedOut50)}");
        Assert.DoesNotContain(workedOut50, w => w.StartsWith("FINDING", StringComparison.Ordinal));
        await AssertOneSymbolAndFootnoteAsync(page, "results at 50");
        await StaffPages.AssertAccessibleAsync(page, "results at 50 respondents");
        await StaffPages.ShootAsync(system, page, "issue13-results-50");

        // --- Results at 8: the small counts and what would give them away are .. ----------------------------------------
        await page.GotoAsync($"/staff/results/{small}");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Pysäköinti terveysasemilla");
        await Expect(page.Locator("main strong.respondents").First).ToHaveTextAsync("8");
        // Answered with staff help only: no one was invited, which reads 0 (not hidden), and there is no rate.
        await Expect(page.Locator("main dl.facts dd").Nth(1)).ToHaveTextAsync("0");
        await Expect(page.Locator("main dl.facts dd").Nth(3)).ToHaveTextAsync("–");
        var choiceTable8 = QuestionTable(page, "Miten tulit terveysasemalle?");
        // Two came by bus: that row is hidden, and so is the car row it could be worked out from.
        await Expect(RowCells(choiceTable8, "Bussilla").First).ToHaveTextAsync(Symbol);
        await Expect(RowCells(choiceTable8, "Autolla").First).ToHaveTextAsync(Symbol);
        await AssertHiddenRowsAsync(page, "results at 8");
        await AssertOneSymbolAndFootnoteAsync(page, "results at 8");
        output.WriteLine($"at 8 respondents the NPS reads \"{await page.Locator("main dd.nps").InnerTextAsync()}\"");
        var workedOut8 = await HiddenNpsCountsWorkedOutAsync(page, "Suosittelisitko terveysasemaa ystävällesi?", 8);
        output.WriteLine($"at 8 respondents, the hidden NPS counts consistent with the page: {string.Join("; ", workedOut8)}");
        Assert.DoesNotContain(workedOut8, w => w.StartsWith("FINDING", StringComparison.Ordinal));
        await StaffPages.AssertAccessibleAsync(page, "results at 8 respondents");
        await StaffPages.ShootAsync(system, page, "issue13-results-8");
        Log("results checked");
    }

    /// <summary>NPS 10 ×3, 9 ×2, 8 ×2, 3 ×1; by car 6, by bus 2.</summary>
    private static readonly IReadOnlyList<(int Nps, string Choice)> Answers8 =
        [.. Repeat(10, 3).Concat(Repeat(9, 2)).Concat(Repeat(8, 2)).Concat(Repeat(3, 1)).Select((nps, i) => (nps, i < 6 ? "car" : "bus"))];

    /// <summary>
    /// NPS 10 ×15, 9 ×10, 8 ×8, 7 ×7, 6 ×3, 5 ×2, 3 ×3, 0 ×2 (promoters 25, detractors 10: +30; the scale points with 1–4
    /// answers are all detractors); by car 24, by bus 23, walking 3.
    /// </summary>
    private static readonly IReadOnlyList<(int Nps, string Choice)> Answers50 =
        [.. Repeat(10, 15).Concat(Repeat(9, 10)).Concat(Repeat(8, 8)).Concat(Repeat(7, 7)).Concat(Repeat(6, 3)).Concat(Repeat(5, 2)).Concat(Repeat(3, 3)).Concat(Repeat(0, 2))
            .Select((nps, i) => (nps, i % 2 == 0 && i < 50 - 3 ? "car" : i < 50 - 3 ? "bus" : "walk"))];

    private static IEnumerable<int> Repeat(int value, int count) => Enumerable.Repeat(value, count);

    /// <summary>Creates a survey in Finnish (how you came, NPS), submits and approves it to open now; answers its id.</summary>
    private static async Task<Guid> OpenSurveyAsync(IPage page, string title)
    {
        static JsonObject Fi(string text) => new() { ["fi"] = text };
        var survey = new JsonObject
        {
            ["kind"] = "questionnaire",
            ["serviceArea"] = "health-centres",
            ["languages"] = new JsonArray("fi"),
            ["title"] = Fi(title),
            ["purpose"] = Fi("Selvitämme, miten asukkaat kokevat terveysaseman."),
            ["resultsUse"] = Fi("Tuloksilla kehitetään terveysasemien palvelua."),
            ["pages"] = new JsonArray(new JsonObject
            {
                ["id"] = "p1",
                ["questions"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "single-choice", ["id"] = "q1", ["text"] = Fi("Miten tulit terveysasemalle?"), ["required"] = true,
                        ["options"] = new JsonArray(
                            new JsonObject { ["id"] = "car", ["label"] = Fi("Autolla") },
                            new JsonObject { ["id"] = "bus", ["label"] = Fi("Bussilla") },
                            new JsonObject { ["id"] = "walk", ["label"] = Fi("Kävellen") }),
                    },
                    new JsonObject
                    {
                        ["type"] = "nps", ["id"] = "q2", ["text"] = Fi("Suosittelisitko terveysasemaa ystävällesi?"), ["required"] = true,
                        ["lowLabel"] = Fi("En lainkaan"), ["highLabel"] = Fi("Erittäin todennäköisesti"),
                    }),
            }),
        };
        var created = await SendAsync(page, "POST", "/api/surveys", survey, 201);
        var id = created.GetProperty("id").GetGuid();
        await SendAsync(page, "POST", $"/api/surveys/{id}/submit", new JsonObject(), 200);
        var now = DateTimeOffset.UtcNow;
        var approved = await SendAsync(page, "POST", $"/api/surveys/{id}/approve", new JsonObject
        {
            ["opensAt"] = now.ToString("O", CultureInfo.InvariantCulture),
            ["closesAt"] = now.AddDays(7).ToString("O", CultureInfo.InvariantCulture),
        }, 200);
        Assert.Equal("open", approved.GetProperty("state").GetString());
        return id;
    }

    /// <summary>An answer entered by staff with the resident (no profile: it counts in the totals only).</summary>
    private static Task AssistAsync(IPage page, Guid survey, int nps, string choice) =>
        SendAsync(page, "POST", $"/api/surveys/{survey}/assisted-responses", new JsonObject
        {
            ["channel"] = "assisted",
            ["answers"] = new JsonObject { ["q1"] = choice, ["q2"] = nps },
        }, 200);

    private static async Task CloseAsync(IPage page, Guid survey)
    {
        var closed = await SendAsync(page, "POST", $"/api/surveys/{survey}/close", new JsonObject(), 200);
        Assert.Equal("closed", closed.GetProperty("state").GetString());
    }

    private static Task WaitForRespondentsAsync(IPage page, Guid survey, int respondents) =>
        Eventually.UntilAsync(
            async () =>
            {
                var response = await page.APIRequest.GetAsync($"/api/reporting/surveys/{survey}/results");
                var body = await response.TextAsync();
                Assert.True(response.Status == 200, $"results answered {response.Status}: {body}");
                var panel = JsonDocument.Parse(body).RootElement.GetProperty("audiences").EnumerateArray()
                    .SingleOrDefault(a => a.GetProperty("audience").GetString() == "panel");
                return panel.ValueKind == JsonValueKind.Object && panel.GetProperty("respondents") is { ValueKind: JsonValueKind.Number } n ? n.GetInt64() : -1;
            },
            n => n == respondents, TimeSpan.FromSeconds(90), $"Reporting to count the {respondents} answers");

    /// <summary>A staff API call through the gateway with the browser's staff cookie; answers the JSON body.</summary>
    private static async Task<JsonElement> SendAsync(IPage page, string method, string path, JsonNode body, int expectedStatus)
    {
        var response = await page.APIRequest.FetchAsync(path, new APIRequestContextOptions
        {
            Method = method,
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
            Data = body.ToJsonString(),
        });
        var text = await response.TextAsync();
        Assert.True(response.Status == expectedStatus, $"{method} {path} answered {response.Status}, not {expectedStatus}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>
    /// Some number on the page is the symbol (unless <paramref name="requireSymbol"/> is false), the page has the one
    /// footnote in Finnish, and no label says which numbers are the small ones.
    /// </summary>
    private static async Task AssertOneSymbolAndFootnoteAsync(IPage page, string what, bool requireSymbol = true)
    {
        await Expect(page.Locator("main .hidden-footnote")).ToHaveCountAsync(1);
        await Expect(page.Locator("main .hidden-footnote")).ToHaveTextAsync(Footnote);
        if (requireSymbol)
        {
            Assert.True(await page.Locator($"main td.num:text-is('{Symbol}'), main dd:text-is('{Symbol}')").CountAsync() > 0,
                $"{what} shows no hidden number ({Symbol})");
        }

        var text = await page.Locator("main").InnerTextAsync();
        foreach (var label in new[] { "alle 5", "alle viiden", "fewer than", "under 5", "<5", "< 5" })
        {
            Assert.False(text.Contains(label, StringComparison.OrdinalIgnoreCase) && !Footnote.Contains(label, StringComparison.Ordinal),
                $"{what} labels hidden numbers with \"{label}\"");
        }

        // The footnote's own "alle 5 hengen" is the only place the limit is named.
        Assert.Single(Regex.Matches(text, @"alle\s+5\b"));
    }

    /// <summary>No count between 1 and k − 1 is shown (only numbers, 0, k or more, or the symbol).</summary>
    private static async Task AssertNoSmallCountsAsync(ILocator cells, string where)
    {
        var texts = await cells.AllInnerTextsAsync();
        Assert.NotEmpty(texts);
        foreach (var raw in texts.Select(t => t.Trim().Replace("\u00a0", "", StringComparison.Ordinal)))
        {
            Assert.True(raw == Symbol || (int.TryParse(raw, NumberStyles.Integer, CultureInfo.GetCultureInfo("fi"), out var n) && n is 0 or >= K),
                $"{where} shows \"{raw}\"");
        }
    }

    /// <summary>Every result table row marked hidden shows the symbol for its count, and no row a count of 1 to k − 1.</summary>
    private static async Task AssertHiddenRowsAsync(IPage page, string what)
    {
        var hidden = page.Locator("main section.question-result table.data tbody tr.suppressed");
        Assert.True(await hidden.CountAsync() > 0, $"{what} hides no row");
        foreach (var text in await hidden.Locator("td:nth-of-type(1)").AllInnerTextsAsync())
        {
            Assert.Equal(Symbol, text.Trim());
        }

        await AssertNoSmallCountsAsync(page.Locator("main section.question-result table.data tbody td:nth-of-type(1)"), what);
    }

    private static ILocator QuestionTable(IPage page, string question) =>
        page.Locator("main section.question-result", new() { Has = page.Locator($"h3:text-is('{question}')") }).Locator("table.data");

    private static ILocator RowCells(ILocator table, string rowHeader) =>
        table.Locator("tr", new() { Has = table.Page.Locator($"th[scope=row]:text-is('{rowHeader}')") }).Locator("td");

    /// <summary>
    /// What a reader can work out about an NPS question's hidden counts from everything the page shows: the shown counts,
    /// the respondents, and the NPS, mean and median (rounded as Reporting rounds them where counts are hidden). Lists, for
    /// each hidden scale point, the counts consistent with all of them; a count pinned to 1..k − 1 is a disclosure, marked
    /// "FINDING" (the callers assert there is none: at 8 respondents the NPS and the mean together once pinned every
    /// hidden count, so where counts are hidden an NPS question now shows its NPS only).
    /// </summary>
    private static async Task<List<string>> HiddenNpsCountsWorkedOutAsync(IPage page, string question, int respondents)
    {
        var section = page.Locator("main section.question-result", new() { Has = page.Locator($"h3:text-is('{question}')") });
        var cells = await section.Locator("table.data tbody tr td:nth-of-type(1)").AllInnerTextsAsync();
        Assert.Equal(11, cells.Count);
        var fi = CultureInfo.GetCultureInfo("fi");
        double? Stat(string text) => text.Trim() == Symbol ? null : double.Parse(text.Trim().Replace("\u2212", "-", StringComparison.Ordinal).Replace(",", ".", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture);
        var stats = await section.Locator("dl.stats dd").AllInnerTextsAsync();
        var (nps, mean, median) = (Stat(stats[0]), Stat(stats[1]), Stat(stats[2]));
        var shown = cells.Select(c => c.Trim() == Symbol ? (int?)null : int.Parse(c.Trim(), fi)).ToArray();
        var hidden = Enumerable.Range(0, 11).Where(i => shown[i] is null).ToArray();
        var rest = respondents - shown.Sum(c => c ?? 0);
        var possible = hidden.ToDictionary(i => i, _ => new SortedSet<int>());
        foreach (var allocation in Allocations(hidden.Length, rest))
        {
            var counts = shown.Select(c => c ?? 0).ToArray();
            for (var h = 0; h < hidden.Length; h++)
            {
                counts[hidden[h]] = allocation[h];
            }

            var exactMean = Enumerable.Range(0, 11).Sum(i => (double)i * counts[i]) / respondents;
            var exactNps = (counts[9] + counts[10] - Enumerable.Range(0, 7).Sum(i => counts[i])) * 100.0 / respondents;
            var sorted = Enumerable.Range(0, 11).SelectMany(i => Enumerable.Repeat(i, counts[i])).ToArray();
            var exactMedian = respondents % 2 == 1 ? sorted[respondents / 2] : (sorted[respondents / 2 - 1] + sorted[respondents / 2]) / 2.0;
            if ((mean is null || Math.Abs(Math.Floor(exactMean * 10 + 0.5) / 10 - mean.Value) < 1e-9)
                && (nps is null || Math.Abs(Math.Floor(exactNps + 0.5) - nps.Value) < 1e-9)
                && (median is null || Math.Abs(exactMedian - median.Value) < 1e-9))
            {
                for (var h = 0; h < hidden.Length; h++)
                {
                    possible[hidden[h]].Add(allocation[h]);
                }
            }
        }

        return [.. possible.Select(p => (p.Value.Count > 0 && p.Value.All(c => c is > 0 and < K) ? "FINDING, pinned below k: " : "")
            + $"score {p.Key}: {string.Join(" or ", p.Value)}")];
    }

    /// <summary>Every way to put <paramref name="total"/> respondents into <paramref name="cells"/> cells.</summary>
    private static IEnumerable<int[]> Allocations(int cells, int total)
    {
        if (cells == 0)
        {
            if (total == 0)
            {
                yield return [];
            }

            yield break;
        }

        for (var first = 0; first <= total; first++)
        {
            foreach (var others in Allocations(cells - 1, total - first))
            {
                yield return [first, .. others];
            }
        }
    }

    /// <summary>Every municipality × age band × gender of the county, roughly as Pirkanmaa's population (others 5 000).</summary>
    private static string ReferenceCsv(IReadOnlyList<string> municipalities)
    {
        var populations = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["Tampere"] = 255000, ["Akaa"] = 16400, ["Sastamala"] = 23800, ["Urjala"] = 4600, ["Ruovesi"] = 4200, ["Kihniö"] = 1700,
        };
        (string Band, double Share)[] bands =
        [
            ("15-24", 0.135), ("25-34", 0.16), ("35-44", 0.155), ("45-54", 0.145), ("55-64", 0.15), ("65-74", 0.14), ("75-84", 0.085), ("85+", 0.03),
        ];
        var csv = new StringBuilder("municipality,age_band,gender,count\n");
        foreach (var municipality in municipalities)
        {
            var population = populations.GetValueOrDefault(municipality, 5000);
            foreach (var (band, share) in bands)
            {
                foreach (var gender in new[] { "woman", "man" })
                {
                    csv.Append(CultureInfo.InvariantCulture, $"{municipality},{band},{gender},{(int)Math.Round(population * 0.85 * share * 0.5)}\n");
                }
            }
        }

        return csv.ToString();
    }

    private void Log(string what) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:0.0} s  {what}");

    private sealed record JoinOptions(List<string> Municipalities);

    [GeneratedRegex(@"^\d+,\d\d$")]
    private static partial Regex DecimalRegex();
}
