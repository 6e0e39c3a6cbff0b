using System.Net;
using System.Text.RegularExpressions;
using Panel.Gateway.Tests.Residents;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests;

[Collection(LiveGatewayCollection.Name)]
public sealed partial class AuditPageTests(LiveGatewayHost host)
{
    /// <summary>A subject that no staff account of the gateway has (an account removed since).</summary>
    private const string RemovedStaffSubject = "0b0b0b0b-removed-staff";

    private static readonly Guid SeededMemberId = new("0194f5d2-0000-7000-8000-000000000002");

    private static string Text(string key, string language = "fi") => GatewayHost.Texts.Get(language, key);

    /// <summary>
    /// Earlier accesses in Membership's audit log, hourly back from <paramref name="newest"/>, by a removed account:
    /// "{label} 000" the newest; the even ones found a member, the odd ones nobody.
    /// </summary>
    private Task<long> SeedAsync(int count, DateTimeOffset newest, string label) =>
        host.Membership.Database.ScalarAsync<long>(
            """
            WITH seeded AS (
                INSERT INTO audit_log (at, staff_subject, staff_roles, action, outcome, reason, member_id)
                SELECT @p0 - make_interval(hours => i), @p1, 'Coordinator', 'member.lookup',
                       CASE WHEN i % 2 = 0 THEN 'found' ELSE 'not-found' END, @p2 || ' ' || lpad(i::text, 3, '0'),
                       CASE WHEN i % 2 = 0 THEN @p3 ELSE NULL END
                FROM generate_series(0, @p4 - 1) AS i
                RETURNING 1)
            SELECT count(*) FROM seeded
            """,
            newest.ToUniversalTime(), RemovedStaffSubject, label, SeededMemberId, count);

    [Fact]
    public async Task A_lookup_made_on_the_support_page_is_the_newest_entry_with_the_staff_members_email_and_reason()
    {
        var browser = await host.SignedInAsync();
        var reason = $"Tarkistus {Guid.NewGuid():N}";
        var email = LiveResidents.NewEmail("pending");
        await host.JoinAsync(email);
        var memberId = await host.MemberIdAsync(email);
        var support = await browser.GetAsync("/staff/support");
        await browser.SubmitAsync(support, "lookup", new Dictionary<string, string>
        {
            ["Lookup.Email"] = email,
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
        Assert.Contains($"<code>{memberId}</code>", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_log_is_shown_fifty_entries_a_page_newest_first_with_links_to_older_pages()
    {
        // The oldest entries of the log, so they come last.
        await SeedAsync(120, new DateTimeOffset(2019, 2, 27, 12, 0, 0, TimeSpan.Zero), "Seeded reason");
        var browser = await host.SignedInAsync();

        var first = await browser.GetAsync("/staff/audit");
        var total = (int)await host.Membership.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log");
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
        Assert.Contains(RemovedStaffSubject, Rows(last)[^1], StringComparison.Ordinal);
        Assert.Matches("<td>–</td>\\s*</tr>$", Rows(last)[^1]);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("999")]
    [InlineData("x")]
    public async Task A_page_number_out_of_range_shows_a_page_that_exists(string number)
    {
        await SeedAsync(3, DateTimeOffset.UtcNow.AddDays(-2), $"Sivutus {number}");
        var browser = await host.SignedInAsync();

        var page = await browser.GetAsync("/staff/audit?page=" + number);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotEmpty(Rows(page));
    }

    [Fact]
    public async Task The_chosen_days_are_asked_for_from_the_countys_midnight_to_the_end_of_the_last_day()
    {
        // Hourly back from 23:00 UTC on the 27th ("000") to 20:00 UTC on the 25th ("051").
        await SeedAsync(52, new DateTimeOffset(2026, 2, 27, 23, 0, 0, TimeSpan.Zero), "Helmikuu");
        var browser = await host.SignedInAsync();

        var page = await browser.GetAsync("/staff/audit?from=2026-02-26&to=2026-02-27");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("2026-02-26", page.Element("from")["value"]);
        // Helsinki is UTC+2 in February: the days run from 22:00 UTC on the 25th ("049") to 21:59 UTC on the 27th ("002").
        var shown = Rows(page).Select(r => HelmikuuRegex().Match(r)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(Rows(page).Count, shown.Count);
        Assert.Equal(Enumerable.Range(2, 48).Select(i => i.ToString("000", System.Globalization.CultureInfo.InvariantCulture)), shown);
    }

    [Fact]
    public async Task An_it_administrator_reads_the_log()
    {
        await SeedAsync(50, DateTimeOffset.UtcNow.AddDays(-1), "Aiempi pääsy");
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

    [GeneratedRegex("Helmikuu (\\d+)")]
    private static partial Regex HelmikuuRegex();

    internal static List<string> RowsOf(Page page) => Rows(page);
}

/// <summary>What the audit page refuses without asking Membership at all: the echo records every request.</summary>
[Collection(GatewayCollection.Name)]
public sealed class AuditPageRequestTests(GatewayHost host)
{
    private const string AuditPath = "/api/membership/audit";

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
        Assert.Empty(AuditPageTests.RowsOf(page));
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
}
