using System.Net;
using System.Text.RegularExpressions;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed partial class AuditPageTests(GatewayHost host)
{
    private const string AuditPath = "/api/membership/audit";

    private static string Text(string key, string language = "fi") => GatewayHost.Texts.Get(language, key);

    [Fact]
    public async Task A_lookup_made_on_the_support_page_is_the_newest_entry_with_the_staff_members_email_and_reason()
    {
        var browser = await host.SignedInAsync();
        var reason = $"Tarkistus {Guid.NewGuid():N}";
        var support = await browser.GetAsync("/staff/support");
        await browser.SubmitAsync(support, "lookup", new Dictionary<string, string>
        {
            ["Lookup.Email"] = EchoBackend.PendingMemberEmail,
            ["Lookup.Reason"] = reason,
        });

        var page = await browser.GetAsync("/staff/audit");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var first = Rows(page).First();
        Assert.Contains(GatewayHost.AdminEmail, first, StringComparison.Ordinal);
        Assert.Contains(reason, first, StringComparison.Ordinal);
        Assert.Contains(Text("audit.action.member.lookup"), first, StringComparison.Ordinal);
        Assert.Contains(Text("audit.outcome.found"), first, StringComparison.Ordinal);
        Assert.Contains($"{Text("role.Coordinator")}, {Text("role.ItAdmin")}", first, StringComparison.Ordinal);
        Assert.Contains($"<code>{EchoBackend.PendingMemberId}</code>", first, StringComparison.Ordinal);
        Assert.Equal("", host.Backend.RequestsTo(AuditPath).Last().Query);
    }

    [Fact]
    public async Task The_log_is_shown_fifty_entries_a_page_newest_first_with_links_to_older_pages()
    {
        var browser = await host.SignedInAsync();

        var first = await browser.GetAsync("/staff/audit");
        var total = host.Backend.Staff.AuditEntries.Count;
        var pages = (int)Math.Ceiling(total / 50.0);

        Assert.Equal(50, Rows(first).Count);
        Assert.Contains("<a href=\"/staff/audit?page=2\" rel=\"next\">", first.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"prev\"", first.Html, StringComparison.Ordinal);

        var last = await browser.GetAsync($"/staff/audit?page={pages}");
        Assert.Equal(total - ((pages - 1) * 50), Rows(last).Count);
        Assert.Contains($"<a href=\"/staff/audit?page={pages - 1}\" rel=\"prev\">", last.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"next\"", last.Html, StringComparison.Ordinal);
        // The oldest seeded entry is on the last page; seeded entries run newest first.
        Assert.Contains("Seeded reason 119", Rows(last)[^1], StringComparison.Ordinal);
        var seeded = Rows(last).Select(r => SeededRegex().Match(r)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(seeded.Order().ToList(), seeded);
        // A removed staff account shows as its id; an unlinked member as a dash.
        Assert.Contains(EchoBackend.RemovedStaffSubject, Rows(last)[^1], StringComparison.Ordinal);
        Assert.Matches("<td>–</td>\\s*</tr>$", Rows(last)[^1]);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("999")]
    [InlineData("x")]
    public async Task A_page_number_out_of_range_shows_a_page_that_exists(string number)
    {
        var browser = await host.SignedInAsync();

        var page = await browser.GetAsync("/staff/audit?page=" + number);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotEmpty(Rows(page));
    }

    [Fact]
    public async Task The_chosen_days_are_sent_as_the_countys_midnight_to_the_end_of_the_last_day()
    {
        var browser = await host.SignedInAsync();

        var page = await browser.GetAsync("/staff/audit?from=2026-02-26&to=2026-02-27");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var query = Uri.UnescapeDataString(host.Backend.RequestsTo(AuditPath).Last().Query);
        // Helsinki is UTC+2 in February.
        Assert.Equal("?from=2026-02-25T22:00:00.0000000+00:00&to=2026-02-27T21:59:59.9999990+00:00", query);
        Assert.Equal("2026-02-26", page.Element("from")["value"]);
        // The seeded entries are hourly back from 12:00 UTC on the 27th: those from 22:00 UTC on the 25th on are 39.
        Assert.All(Rows(page), r => Assert.Contains("Seeded reason", r, StringComparison.Ordinal));
        Assert.Equal(39, Rows(page).Count);
    }

    [Theory]
    [InlineData("from=26.2.2026", "from")]
    [InlineData("to=yesterday", "to")]
    [InlineData("from=2026-03-02&to=2026-03-01", "to")]
    public async Task Dates_that_are_not_dates_or_out_of_order_are_said_at_their_field_and_nothing_is_asked(string query, string field)
    {
        var browser = await host.SignedInAsync();
        var before = host.Backend.RequestsTo(AuditPath).Count;

        var page = await browser.GetAsync("/staff/audit?" + query);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(before, host.Backend.RequestsTo(AuditPath).Count);
        Assert.Equal("true", page.Element(field)["aria-invalid"]);
        Assert.Equal($"{field}-error", page.Element(field)["aria-describedby"]);
        Assert.Empty(Rows(page));
    }

    [Fact]
    public async Task A_coordinator_without_the_it_administrator_role_is_sent_to_the_denied_page()
    {
        var user = await host.CreateStaffAsync(PanelRoles.Coordinator);
        var browser = await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);
        var before = host.Backend.RequestsTo(AuditPath).Count;

        var page = await browser.GetAsync("/staff/audit");

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal("/staff/denied", page.Location!.AbsolutePath);
        Assert.Equal(before, host.Backend.RequestsTo(AuditPath).Count);
    }

    [Fact]
    public async Task An_it_administrator_reads_the_log()
    {
        var user = await host.CreateStaffAsync(PanelRoles.ItAdmin);
        var browser = await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);

        var page = await browser.GetAsync("/staff/audit?lang=sv");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Text("audit.caption", "sv"), page.Text, StringComparison.Ordinal);
        Assert.Equal(50, Rows(page).Count);
    }

    private static List<string> Rows(Page page)
    {
        var body = BodyRegex().Match(page.Text);
        return body.Success ? [.. RowRegex().Matches(body.Value).Select(m => m.Value)] : [];
    }

    [GeneratedRegex("<tbody>[\\s\\S]*?</tbody>")]
    private static partial Regex BodyRegex();

    [GeneratedRegex("<tr>[\\s\\S]*?</tr>")]
    private static partial Regex RowRegex();

    [GeneratedRegex("Seeded reason (\\d+)")]
    private static partial Regex SeededRegex();
}
