using Panel.Privacy;
using System.Net;
using System.Text.RegularExpressions;
using Panel.ServiceDefaults;
using Panel.Gateway.Tests.Support;

namespace Panel.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class StaffHomeTests(GatewayHost host)
{
    private static string Text(string key) => GatewayHost.Texts.Get("fi", key);

    [Fact]
    public async Task A_coordinator_sees_the_composition_with_small_groups_shown_as_fewer_than_five()
    {
        var browser = await host.SignedInAsync();

        var page = await browser.GetAsync("/staff");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("<th scope=\"row\">Tampere</th>", page.Html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Nokia</th>", page.Html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\" class=\"num\">35–44</th>", page.Text, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">12</td>", page.Html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">..</td>", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("alle 5</td>", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(Text("composition.noAccess"), page.Text, StringComparison.Ordinal);
        var seen = host.Backend.RequestsTo("/api/reporting/panel/composition").Last();
        var token = await host.ValidTokenAsync(seen.BearerToken, "panel-reporting");
        Assert.Equal("staff", token.Claim("act_kind"));
    }

    [Theory]
    [InlineData("fi", "alle 5")]
    [InlineData("sv", "under 5")]
    [InlineData("en", "fewer than 5")]
    public async Task Hidden_cells_are_one_symbol_with_one_footnote_in_the_readers_language(string language, string oldLabel)
    {
        var browser = await host.SignedInAsync();

        var page = await browser.GetAsync($"/staff?lang={language}");

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
