using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed partial class PanelHealthTests(GatewayHost host)
{
    private const string HealthPath = "/api/reporting/panel/health";

    private static string Text(string key) => GatewayHost.Texts.Get("fi", key);

    // The one symbol of a hidden number, the same in every language.
    private static string Suppressed(string language = "fi") => Panel.Privacy.HiddenNumber.Symbol;

    [Fact]
    public async Task A_coordinator_sees_members_by_state_and_per_month_with_suppressed_cells_as_fewer_than_five()
    {
        var user = await host.CreateStaffAsync(PanelRoles.Coordinator);
        var browser = await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);

        var page = await browser.GetAsync("/staff/panel");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("?months=12", host.Backend.RequestsTo(HealthPath).Last().Query);
        // Members by state: pending 6 and in the panel (active + paused) 15; active and paused suppressed together.
        Assert.Contains($"<th scope=\"row\">{Text("health.state.pending")}</th><td class=\"num\">6</td>", page.Text, StringComparison.Ordinal);
        Assert.Contains($"<th scope=\"row\">{Text("health.state.inPanel")}</th><td class=\"num\">15</td>", page.Text, StringComparison.Ordinal);
        Assert.Contains($"<th scope=\"row\">{Text("health.state.active")}</th><td class=\"num\">{Suppressed()}</td>", page.Text, StringComparison.Ordinal);
        Assert.Contains($"<th scope=\"row\">{Text("health.state.paused")}</th><td class=\"num\">{Suppressed()}</td>", page.Text, StringComparison.Ordinal);
        // Months: January's numbers, February's suppressed joins, the totals row.
        Assert.Matches(Row("tammikuu 2026", "8", "6", Suppressed(), "0", "7"), page.Text);
        Assert.Matches(Row("helmikuu 2026", Suppressed(), "5", Suppressed(), Suppressed(), "12"), page.Text);
        Assert.Matches(Row("maaliskuu 2026", "13", Suppressed(), "0", Suppressed(), Suppressed()), page.Text);
        Assert.Matches(Row(Text("composition.sum"), Suppressed(), "11", Suppressed(), Suppressed(), "19"), page.Text);
        Assert.DoesNotContain(Text("composition.noAccess"), page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suppressed_cells_never_show_a_number()
    {
        var browser = await host.SignedInAsync();

        var page = await browser.GetAsync("/staff/panel?lang=en");

        var cells = CellRegex().Matches(page.Html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        var expected = new[] { "6", "15", "8", "6", "0", "7", "5", "12", "13", "0", "11", "19" };
        Assert.Equal(expected.Order(StringComparer.Ordinal), cells.Where(c => c.All(char.IsDigit)).Order(StringComparer.Ordinal));
        Assert.All(cells.Where(c => !c.All(char.IsDigit)), c => Assert.Equal(Suppressed("en"), c));
        Assert.Equal(3 + 7 + 3, cells.Count(c => c == Suppressed("en")));
    }

    [Fact]
    public async Task The_joins_chart_is_an_svg_image_with_a_title_and_one_bar_per_month()
    {
        var browser = await host.SignedInAsync();

        var page = await browser.GetAsync("/staff/panel");

        var svg = SvgRegex().Match(page.Html);
        Assert.True(svg.Success, "no <svg> on the page");
        var markup = svg.Value;
        Assert.Contains("role=\"img\"", markup, StringComparison.Ordinal);
        Assert.Contains("aria-labelledby=\"joins-chart-title joins-chart-desc\"", markup, StringComparison.Ordinal);
        Assert.Contains($"<title id=\"joins-chart-title\">{Text("health.chartTitle")}</title>", WebUtility.HtmlDecode(markup), StringComparison.Ordinal);
        Assert.Contains("<desc id=\"joins-chart-desc\">", markup, StringComparison.Ordinal);
        Assert.Contains("viewBox=\"0 0 ", markup, StringComparison.Ordinal);
        Assert.Equal(3, BarRegex().Matches(markup).Count);
        Assert.Single(Regex.Matches(markup, "class=\"bar suppressed\""));
        // The chart's numbers are the table's, and a suppressed month has none.
        var labels = LabelRegex().Matches(markup).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("8", labels);
        Assert.Contains("13", labels);
        Assert.DoesNotContain(labels, l => l.Length > 0 && l.All(char.IsDigit) && l is not ("8" or "13"));
    }

    [Theory]
    [InlineData("/staff/panel")]
    [InlineData("/staff/campaigns")]
    public async Task Anonymous_visitors_are_sent_to_the_staff_sign_in(string path)
    {
        var page = await host.NewBrowser().GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal("/staff/sign-in", page.Location!.AbsolutePath);
        Assert.Contains("ReturnUrl=" + Uri.EscapeDataString(path), page.Location.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_find_the_reports_from_the_start_page_and_the_main_navigation()
    {
        var browser = await host.SignedInAsync();

        var page = await browser.GetAsync("/staff");

        Assert.Equal(2, Regex.Matches(page.Html, "<a href=\"/staff/panel\">").Count);
        Assert.Equal(2, Regex.Matches(page.Html, "<a href=\"/staff/campaigns\">").Count);
        var anonymous = await host.NewBrowser().GetAsync("/");
        Assert.DoesNotContain("/staff/panel", anonymous.Html, StringComparison.Ordinal);
    }

    private static Regex Row(string header, params string[] cells) =>
        new("<th scope=\"row\">" + Regex.Escape(header) + "</th>\\s*" + string.Join("\\s*", cells.Select(c => "<td class=\"num\">" + Regex.Escape(c) + "</td>")));

    [GeneratedRegex("<td class=\"num\">([^<]*)</td>")]
    private static partial Regex CellRegex();

    [GeneratedRegex("<svg[\\s\\S]*?</svg>")]
    private static partial Regex SvgRegex();

    [GeneratedRegex("<rect class=\"bar[ \"]")]
    private static partial Regex BarRegex();

    [GeneratedRegex("<text [^>]*>([^<]*)</text>")]
    private static partial Regex LabelRegex();
}
