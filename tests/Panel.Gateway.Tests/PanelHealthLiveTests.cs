using System.Net;
using System.Text.RegularExpressions;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests;

/// <summary>
/// The panel health page against the real Reporting shared with other tests: the months asked for and who may see it.
/// The numbers are checked by <see cref="PanelHealthNumbersTests"/>, whose Reporting holds only a known history.
/// </summary>
[Collection(LiveGatewayCollection.Name)]
public sealed partial class PanelHealthLiveTests(LiveGatewayHost host)
{
    private async Task<Browser> SignedInAsync(string role)
    {
        var user = await host.CreateStaffAsync(role);
        return await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);
    }

    [Fact]
    public async Task The_chosen_number_of_months_is_passed_on_to_reporting()
    {
        var browser = await SignedInAsync(PanelRoles.Coordinator);

        var page = await browser.GetAsync("/staff/panel?months=24");

        // Reporting answered a row for each of the 24 months.
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(24, MonthRowRegex().Matches(page.Text).Count);
        Assert.Contains("<option value=\"24\" selected", page.Html, StringComparison.Ordinal);
        Assert.Contains("<form method=\"get\" action=\"/staff/panel\"", page.Html, StringComparison.Ordinal);
        Assert.Contains("<select id=\"months\" name=\"months\">", page.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("99")]
    [InlineData("abc")]
    [InlineData("-3")]
    public async Task A_number_of_months_not_offered_shows_twelve(string months)
    {
        var browser = await SignedInAsync(PanelRoles.ItAdmin);

        var page = await browser.GetAsync("/staff/panel?months=" + Uri.EscapeDataString(months));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(12, MonthRowRegex().Matches(page.Text).Count);
    }

    [Fact]
    public async Task A_report_reader_is_told_the_page_is_for_coordinators()
    {
        var browser = await SignedInAsync(PanelRoles.ReportReader);

        var page = await browser.GetAsync("/staff/panel");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(GatewayHost.Texts.Get("fi", "composition.noAccess"), page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<table", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", page.Html, StringComparison.Ordinal);
    }

    /// <summary>A month's row of the flows table ("tammikuu 2026").</summary>
    [GeneratedRegex("<th scope=\"row\">\\p{L}+ \\d{4}</th>")]
    private static partial Regex MonthRowRegex();
}
