using Panel.Privacy;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Panel.Gateway.Tests.Residents;
using Panel.ServiceDefaults;
using Panel.Gateway.Tests.Support;
using Panel.TestSupport;

namespace Panel.Gateway.Tests;

[Collection(LiveGatewayCollection.Name)]
public sealed class StaffHomeTests(LiveGatewayHost host)
{
    private static string Text(string key) => GatewayHost.Texts.Get("fi", key);

    private static Task<JsonObject?> CompositionAsync(Browser coordinator) =>
        coordinator.Http.GetFromJsonAsync<JsonObject>("/api/reporting/panel/composition");

    private static IEnumerable<int?> Cells(JsonObject composition) =>
        composition["members"]!.AsArray().SelectMany(row => row!.AsArray().Select(c => c?.GetValue<int>()));

    /// <summary>Every number of the composition: its cells and totals.</summary>
    private static IEnumerable<int?> Numbers(JsonObject composition) =>
        Cells(composition).Concat(composition["municipalityTotals"]!.AsArray().Concat(composition["ageBandTotals"]!.AsArray())
            .Append(composition["total"]).Select(c => c?.GetValue<int>()));

    private static bool ShowsAndHides(JsonObject composition) =>
        Cells(composition).Any(c => c is null) && Numbers(composition).Any(c => c is not null);

    /// <summary>One row of the table as the page renders Reporting's numbers: a hidden one as the symbol of a hidden number.</summary>
    private static string RowPattern(string header, IEnumerable<JsonNode?> numbers) =>
        $"<th scope=\"row\">{Regex.Escape(header)}</th>\\s*"
        + string.Join("\\s*", numbers.Select(c => $"<td class=\"num\">{Regex.Escape(c?.ToString() ?? HiddenNumber.Symbol)}</td>"));

    /// <summary>
    /// The start page of <paramref name="coordinator"/> and the composition Reporting answered around it, once the
    /// panel has members in groups shown and in groups too small to show: five members in Kihniö and one in Kuhmoinen
    /// join and confirm (more only while the panel lacks either kind of group).
    /// </summary>
    private async Task<(Page Page, JsonObject Composition)> StartPageWithCompositionAsync(Browser coordinator, string path = "/staff")
    {
        var before = await CompositionAsync(coordinator);
        if (!ShowsAndHides(before!))
        {
            await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => host.VerifiedMemberAsync(LiveResidents.NewEmail(), "Kihniö"))
                .Append(host.VerifiedMemberAsync(LiveResidents.NewEmail(), "Kuhmoinen")));
        }

        // Reporting counts the members as their events arrive: the page is compared with an answer that held still around it.
        var (page, composition, after) = await Eventually.UntilAsync(
            async () => (await coordinator.GetAsync(path), await CompositionAsync(coordinator), await CompositionAsync(coordinator)),
            r => r.Item2!.ToJsonString() == r.Item3!.ToJsonString() && ShowsAndHides(r.Item2!),
            TimeSpan.FromSeconds(30), "a composition with shown and hidden groups");
        return (page, composition!);
    }

    [Fact]
    public async Task A_coordinator_sees_the_composition_with_small_groups_shown_as_fewer_than_five()
    {
        var browser = await host.SignedInAsync();

        var (page, composition) = await StartPageWithCompositionAsync(browser);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        // Each municipality a row of Reporting's numbers, each hidden one the symbol of a hidden number.
        var rows = composition["members"]!.AsArray();
        var totals = composition["municipalityTotals"]!.AsArray();
        foreach (var (municipality, i) in composition["municipalities"]!.AsArray().Select((m, i) => (m!.ToString(), i)))
        {
            Assert.Matches(RowPattern(municipality, rows[i]!.AsArray().Append(totals[i])), page.Text);
        }

        Assert.Matches(RowPattern(Text("composition.sum"), composition["ageBandTotals"]!.AsArray().Append(composition["total"])), page.Text);
        Assert.Contains(Numbers(composition), n => n is not null);

        foreach (var band in composition["ageBands"]!.AsArray())
        {
            Assert.Contains($"<th scope=\"col\" class=\"num\">{band!.ToString().Replace('-', '–')}</th>", page.Text, StringComparison.Ordinal);
        }

        Assert.Contains("<td class=\"num\">..</td>", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("alle 5</td>", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(Text("composition.noAccess"), page.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fi", "alle 5")]
    [InlineData("sv", "under 5")]
    [InlineData("en", "fewer than 5")]
    public async Task Hidden_cells_are_one_symbol_with_one_footnote_in_the_readers_language(string language, string oldLabel)
    {
        var browser = await host.SignedInAsync();

        var (page, _) = await StartPageWithCompositionAsync(browser, $"/staff?lang={language}");

        Assert.Contains("<td class=\"num\">" + HiddenNumber.Symbol + "</td>", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(oldLabel + "</td>", page.Html, StringComparison.Ordinal);
        var footnote = HiddenNumber.Footnote(language, 5);
        Assert.Single(Regex.Matches(System.Net.WebUtility.HtmlDecode(page.Html), Regex.Escape(footnote)));
        Assert.Contains("<p class=\"hint hidden-footnote\">", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_staff_member_without_access_to_the_composition_is_told_so()
    {
        var user = await host.CreateStaffAsync();
        var browser = await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);

        var page = await browser.GetAsync("/staff");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Text("composition.noAccess"), page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<table", page.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { PanelRoles.ItAdmin, PanelRoles.Coordinator },
        new[] { "/staff/surveys", "/staff/panel", "/staff/representativeness", "/staff/campaigns", "/staff/consent", "/staff/support", "/staff/audit", "/staff/accounts", "/staff/mailbox" })]
    [InlineData(new[] { PanelRoles.Coordinator },
        new[] { "/staff/surveys", "/staff/panel", "/staff/representativeness", "/staff/campaigns", "/staff/consent", "/staff/support", "/staff/mailbox" })]
    [InlineData(new[] { PanelRoles.ItAdmin },
        new[] { "/staff/surveys", "/staff/panel", "/staff/representativeness", "/staff/campaigns", "/staff/consent", "/staff/support", "/staff/audit", "/staff/accounts", "/staff/mailbox" })]
    [InlineData(new[] { PanelRoles.ReportReader }, new string[0])]
    public async Task The_start_page_links_to_the_staff_pages_the_roles_open(string[] roles, string[] expected)
    {
        var user = await host.CreateStaffAsync(roles);
        var browser = await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);

        var page = await browser.GetAsync("/staff");

        var nav = Regex.Match(page.Html, "<ul class=\"link-list staff-links\">[\\s\\S]*?</ul>");
        var links = Regex.Matches(nav.Value, "<a href=\"([^\"]+)\">").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(expected, links);
        Assert.Equal(expected.Length == 0, page.Text.Contains(Text("staff.noRoles"), StringComparison.Ordinal));
        // Every linked page opens for these roles.
        foreach (var link in links)
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(link)).Status);
        }
    }
}
