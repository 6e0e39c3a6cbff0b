using System.Net;
using System.Text.RegularExpressions;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Panel.Contracts;
using Panel.Gateway.Tests.Support;
using Panel.Privacy;
using Panel.ServiceDefaults;
using Panel.TestSupport;

namespace Panel.Gateway.Tests;

/// <summary>
/// The gateway in front of real services of its own, whose Reporting holds one known panel history, published as
/// Membership publishes it (<see cref="MemberEvents.PanelHistoryAsync"/>), in the three months before this one (A, B, C):
/// A: 8 join (campaign KINO) and 6 of them verify; 2 of those withdraw and 1 pauses; 7 sign in.
/// B: 7 join and 5 verify.  C: 3 join (KINO), 1 of them is erased while pending; 12 sign in.
/// So: pending 6, active 8, paused 1, withdrawn 2; in the panel 9. Reporting counts every member it has heard of, so
/// these services are shared with no other test.
/// </summary>
public sealed class PanelHistoryGatewayHost : LiveGatewayHost
{
    public static DateTimeOffset MonthStart(int monthsAgo)
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Year, now.Month, 1, 9, 0, 0, TimeSpan.Zero).AddMonths(-monthsAgo);
    }

    protected override async Task StartedAsync()
    {
        await base.StartedAsync();
        var events = new MemberEvents(Reporting.Services.GetRequiredService<IBus>());
        await events.PanelHistoryAsync(MonthStart(3), MonthStart(2), MonthStart(1));
        await events.AppliedAsync(Reporting.Database);
    }
}

[CollectionDefinition(Name)]
public sealed class PanelHistoryCollection : ICollectionFixture<PanelHistoryGatewayHost>
{
    public const string Name = "panel history";
}

[Collection(PanelHistoryCollection.Name)]
public sealed partial class PanelHealthNumbersTests(PanelHistoryGatewayHost host)
{
    private static string Text(string key) => GatewayHost.Texts.Get("fi", key);

    // The one symbol of a hidden number, the same in every language.
    private static string Suppressed() => HiddenNumber.Symbol;

    /// <summary>A month's row (any month: the months are those before this one) or a named row of the tables.</summary>
    private static string Row(string? header, params string[] cells) =>
        "<th scope=\"row\">" + (header is null ? "\\p{L}+ \\d{4}" : Regex.Escape(header)) + "</th>\\s*"
        + string.Join("\\s*", cells.Select(c => "<td class=\"num\">" + Regex.Escape(c) + "</td>"));

    private async Task<Page> PanelPageAsync(string query = "")
    {
        var user = await host.CreateStaffAsync(PanelRoles.Coordinator);
        var browser = await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);
        return await browser.GetAsync("/staff/panel" + query);
    }

    [Fact]
    public async Task A_coordinator_sees_members_by_state_and_per_month_with_suppressed_cells_as_fewer_than_five()
    {
        var page = await PanelPageAsync();

        Assert.Equal(HttpStatusCode.OK, page.Status);
        // Members by state: pending 6 (rounded down to 5) and in the panel 9; active 8, paused 1 and withdrawn 2 hidden
        // (any of them with the panel's 9 would tell the paused and withdrawn few).
        Assert.Matches(Row(Text("health.state.pending"), "5"), page.Text);
        Assert.Matches(Row(Text("health.state.inPanel"), "9"), page.Text);
        Assert.Matches(Row(Text("health.state.active"), Suppressed()), page.Text);
        Assert.Matches(Row(Text("health.state.paused"), Suppressed()), page.Text);
        Assert.Matches(Row(Text("health.state.withdrawn"), Suppressed()), page.Text);
        // Months A, B and C in a row, rounded down to fives: A's 2 withdrawals and C's 3 joins and 1 erasure hidden.
        Assert.Matches(
            Row(null, "5", "5", Suppressed(), "0", "5") + "</tr>\\s*<tr>\\s*" + Row(null, "5", "5", "0", "0", "0") + "</tr>\\s*<tr>\\s*"
            + Row(null, Suppressed(), "0", "0", Suppressed(), "10"), page.Text);
        Assert.Matches(Row(Text("composition.sum"), Suppressed(), "10", Suppressed(), Suppressed(), "15"), page.Text);
        Assert.DoesNotContain(Text("composition.noAccess"), page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suppressed_cells_never_show_a_number()
    {
        var page = await PanelPageAsync("?lang=en");

        var cells = CellRegex().Matches(page.Html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        // States 5 and 9; the months' numbers (9 empty months of zeros, A, B, C); the totals.
        var expected = new[] { "5", "9" }.Concat(Enumerable.Repeat("0", 45)).Concat(["5", "5", "0", "5", "5", "5", "0", "0", "0", "0", "0", "10", "10", "15"]);
        Assert.Equal(expected.Order(StringComparer.Ordinal), cells.Where(c => c.All(char.IsDigit)).Order(StringComparer.Ordinal));
        Assert.All(cells.Where(c => !c.All(char.IsDigit)), c => Assert.Equal(Suppressed(), c));
        Assert.Equal(3 + 3 + 3, cells.Count(c => c == Suppressed()));
    }

    [Fact]
    public async Task The_joins_chart_is_an_svg_image_with_a_title_and_one_bar_per_month()
    {
        var page = await PanelPageAsync();

        var svg = SvgRegex().Match(page.Html);
        Assert.True(svg.Success, "no <svg> on the page");
        var markup = svg.Value;
        Assert.Contains("role=\"img\"", markup, StringComparison.Ordinal);
        Assert.Contains("aria-labelledby=\"joins-chart-title joins-chart-desc\"", markup, StringComparison.Ordinal);
        Assert.Contains($"<title id=\"joins-chart-title\">{Text("health.chartTitle")}</title>", WebUtility.HtmlDecode(markup), StringComparison.Ordinal);
        Assert.Contains("<desc id=\"joins-chart-desc\">", markup, StringComparison.Ordinal);
        Assert.Contains("viewBox=\"0 0 ", markup, StringComparison.Ordinal);
        Assert.Equal(12, BarRegex().Matches(markup).Count);
        Assert.Single(Regex.Matches(markup, "class=\"bar suppressed\""));
        // The chart's numbers are the table's (A and B 5 each, the other shown months 0), and the suppressed month has none.
        var labels = LabelRegex().Matches(markup).Select(m => m.Groups[1].Value).Where(l => l.Length > 0 && l.All(char.IsDigit)).ToList();
        Assert.Equal(2, labels.Count(l => l == "5"));
        Assert.Equal(9, labels.Count(l => l == "0"));
        Assert.Equal(11, labels.Count);
    }

    [GeneratedRegex("<td class=\"num\">([^<]*)</td>")]
    private static partial Regex CellRegex();

    [GeneratedRegex("<svg[\\s\\S]*?</svg>")]
    private static partial Regex SvgRegex();

    [GeneratedRegex("<rect class=\"bar[ \"]")]
    private static partial Regex BarRegex();

    [GeneratedRegex("<text [^>]*>([^<]*)</text>")]
    private static partial Regex LabelRegex();
}
