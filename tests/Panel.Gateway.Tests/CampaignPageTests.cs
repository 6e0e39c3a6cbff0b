using Panel.Privacy;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Panel.Gateway.Tests.Residents;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;
using Panel.TestSupport;

namespace Panel.Gateway.Tests;

[Collection(LiveGatewayCollection.Name)]
public sealed class CampaignPageTests(LiveGatewayHost host)
{
    private const string CampaignsPath = "/api/membership/campaigns";

    internal static string Text(string key, string language = "fi") => GatewayHost.Texts.Get(language, key);

    internal static string NewCode() => "C" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();

    /// <summary>Creates a campaign in Membership through the proxy as <paramref name="coordinator"/>.</summary>
    private static async Task CreateAsync(Browser coordinator, string code, string name, string channel, string startsOn, string? endsOn)
    {
        var response = await coordinator.Http.PostAsJsonAsync(CampaignsPath, new { code, name, channel, startsOn, endsOn });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>The campaign as Membership holds it, or null when there is none with the code.</summary>
    private static async Task<JsonObject?> CampaignAsync(Browser coordinator, string code)
    {
        var response = await coordinator.Http.GetAsync($"{CampaignsPath}/{code}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<JsonObject>();
    }

    [Fact]
    public async Task A_coordinator_sees_each_campaign_with_its_channel_period_and_join_link()
    {
        var browser = await host.SignedInAsync();
        var (cinema, mall) = (NewCode(), NewCode());
        await CreateAsync(browser, cinema, "Elokuvamainos kevät 2026", "cinema", "2026-01-05", "2026-03-29");
        await CreateAsync(browser, mall, "Kauppakeskus Ratina", "mall-screen", "2026-01-20", null);

        var page = await browser.GetAsync("/staff/campaigns");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var html = page.Text;
        Assert.Contains($"Elokuvamainos kevät 2026 <span class=\"code\">({cinema})</span>", html, StringComparison.Ordinal);
        Assert.Contains($"<dd>{Text("channel.cinema")}</dd>", html, StringComparison.Ordinal);
        Assert.Contains($"<dd>{Text("channel.mall-screen")}</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd>5.1.2026–29.3.2026</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd>20.1.2026 alkaen</dd>", html, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"http://localhost/join?c={cinema}\" class=\"join-link\">http://localhost/join?c={cinema}</a>", html, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"http://localhost/join?c={mall}\" class=\"join-link\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Joins_through_a_campaigns_link_are_shown_per_week_as_reporting_counts_them()
    {
        var browser = await host.SignedInAsync();
        var code = NewCode();
        await CreateAsync(browser, code, "Kirjaston juliste", "poster", "2026-01-01", null);
        // Five residents join with the campaign's link and confirm their email.
        for (var i = 0; i < 5; i++)
        {
            var email = LiveResidents.NewEmail("campaign");
            var resident = host.NewBrowser();
            var joined = await resident.SubmitAsync(await resident.GetAsync($"/join?c={code}"), "join", JoinPageTests.ValidFields(email));
            Assert.Contains(Text("join.thanksTitle"), joined.Text, StringComparison.Ordinal);
            var verification = await host.Membership.Smtp.WaitForMessageToAsync(email, LiveResidents.MailTimeout);
            Assert.Equal(HttpStatusCode.OK, (await resident.Http.PostAsJsonAsync("/api/membership/verifications", new { token = SmtpSink.TokenIn(verification) })).StatusCode);
        }

        // Reporting counts them as their events arrive: the page is compared with an answer that held still around it.
        // The page is read between two reads of Reporting's answer, so that a count arriving meanwhile shows as a difference.
        var (flows, page, _) = await Eventually.UntilAsync(
            async () => (await FlowsAsync(browser, code), await browser.GetAsync("/staff/campaigns"), await FlowsAsync(browser, code)),
            r => r.Item1 is not null && r.Item1.ToJsonString() == r.Item3?.ToJsonString() && r.Item1["totals"]!["verified"] is not null,
            TimeSpan.FromSeconds(30), $"Reporting's count of the joins through {code}");

        // The week of the joins (the page leaves out the weeks in which nobody joined).
        var week = flows!["weeks"]!.AsArray().Single(w => w!["joined"]?.GetValue<int>() != 0)!;
        var parts = week["week"]!.ToString().Split("-W");
        var label = string.Format(CultureInfo.InvariantCulture, Text("campaigns.weekName"), int.Parse(parts[1], CultureInfo.InvariantCulture), parts[0]);
        Assert.Matches($"<th scope=\"row\">{Regex.Escape(label)}</th>\\s*{Cell(week["joined"])}\\s*{Cell(week["verified"])}", page.Text);
        Assert.Matches($"<dt>{Text("campaigns.joinedTotal")}</dt>\\s*<dd>{Regex.Escape(flows["totals"]!["joined"]?.ToString() ?? HiddenNumber.Symbol)}</dd>", page.Text);
    }

    private static string Cell(JsonNode? count) => $"<td class=\"num\">{Regex.Escape(count?.ToString() ?? HiddenNumber.Symbol)}</td>";

    /// <summary>What Reporting counts for the campaign over the page's 26 weeks, or null before it counts any.</summary>
    private static async Task<JsonObject?> FlowsAsync(Browser coordinator, string code)
    {
        var report = await coordinator.Http.GetFromJsonAsync<JsonObject>("/api/reporting/panel/campaigns?weeks=26");
        return report!["campaigns"]!.AsArray().FirstOrDefault(c => c!["campaignCode"]!.ToString() == code)?.AsObject();
    }

    [Fact]
    public async Task Creating_a_campaign_stores_it_in_membership_and_shows_its_join_link()
    {
        var browser = await host.SignedInAsync();
        var code = NewCode();
        var form = await browser.GetAsync("/staff/campaigns");

        var posted = await browser.SubmitAsync(form, "campaign", new Dictionary<string, string>
        {
            ["Form.Code"] = code.ToLowerInvariant(),
            ["Form.Name"] = "  Juliste kirjastoissa  ",
            ["Form.Channel"] = "poster",
            ["Form.StartsOn"] = "2026-04-01",
            ["Form.EndsOn"] = "2026-04-30",
        });

        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        Assert.Equal("/staff/campaigns?created=" + code, posted.Location!.PathAndQuery);
        var stored = (await CampaignAsync(browser, code))!;
        Assert.Equal(code, stored["code"]!.ToString());
        Assert.Equal("Juliste kirjastoissa", stored["name"]!.ToString());
        Assert.Equal("poster", stored["channel"]!.ToString());
        Assert.Equal("2026-04-01", stored["startsOn"]!.ToString());
        Assert.Equal("2026-04-30", stored["endsOn"]!.ToString());

        var created = await browser.GetAsync(posted.Location.PathAndQuery);
        Assert.Contains(string.Format(CultureInfo.InvariantCulture, Text("campaigns.created"), "Juliste kirjastoissa"), created.Text, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"http://localhost/join?c={code}\" class=\"join-link\">", created.Html, StringComparison.Ordinal);
        Assert.Contains("1.4.2026–30.4.2026", created.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Field_errors_from_membership_are_shown_next_to_their_fields_and_the_form_keeps_its_values()
    {
        var browser = await host.SignedInAsync();
        var form = await browser.GetAsync("/staff/campaigns");

        var page = await browser.SubmitAsync(form, "campaign", new Dictionary<string, string>
        {
            ["Form.Code"] = "x",
            ["Form.Name"] = "",
            ["Form.Channel"] = "",
            ["Form.StartsOn"] = "2026-05-10",
            ["Form.EndsOn"] = "2026-05-01",
        });

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.True(page.HasElement("error-summary"));
        foreach (var (field, id) in new[] { ("Code", "code"), ("Name", "name"), ("Channel", "channel"), ("EndsOn", "endsOn") })
        {
            Assert.Equal($"{id}-error", page.Element(id)["aria-describedby"].Split(' ')[0]);
            Assert.Equal("true", page.Element(id)["aria-invalid"]);
            Assert.Contains(Text($"campaigns.error.{field}"), page.Text, StringComparison.Ordinal);
            Assert.Contains($"<a href=\"#{id}\">{Text($"campaigns.error.{field}")}</a>", page.Text, StringComparison.Ordinal);
        }

        Assert.False(page.Element("startsOn").ContainsKey("aria-invalid"));
        Assert.Equal("2026-05-01", page.Element("endsOn")["value"]);
        Assert.Equal("X", page.Element("code")["value"].ToUpperInvariant());
    }

    [Fact]
    public async Task A_code_already_taken_is_said_at_the_code_field()
    {
        var browser = await host.SignedInAsync();
        var code = NewCode();
        await CreateAsync(browser, code, "Elokuvamainos kevät 2026", "cinema", "2026-01-05", "2026-03-29");
        var form = await browser.GetAsync("/staff/campaigns");

        var page = await browser.SubmitAsync(form, "campaign", new Dictionary<string, string>
        {
            ["Form.Code"] = code,
            ["Form.Name"] = "Toinen elokuvamainos",
            ["Form.Channel"] = "cinema",
            ["Form.StartsOn"] = "2026-06-01",
        });

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Text("campaigns.error.codeTaken"), page.Text, StringComparison.Ordinal);
        Assert.Equal("true", page.Element("code")["aria-invalid"]);
        Assert.Equal("Elokuvamainos kevät 2026", (await CampaignAsync(browser, code))!["name"]!.ToString());
    }

    [Fact]
    public async Task An_it_administrator_sees_the_campaigns_but_no_form_to_create_one()
    {
        await CreateAsync(await host.SignedInAsync(), NewCode(), "Kauppakeskus Ratina", "mall-screen", "2026-01-20", null);
        var user = await host.CreateStaffAsync(PanelRoles.ItAdmin);
        var browser = await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);

        var page = await browser.GetAsync("/staff/campaigns");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Kauppakeskus Ratina", page.Text, StringComparison.Ordinal);
        Assert.False(page.HasForm("campaign"));
        Assert.DoesNotContain(Text("campaigns.newTitle"), page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_creates_nothing()
    {
        var browser = await host.SignedInAsync();
        var code = NewCode();

        var page = await browser.PostAsync(new Uri(browser.Http.BaseAddress!, "/staff/campaigns"), new Dictionary<string, string>
        {
            ["_handler"] = "campaign",
            ["Form.Code"] = code,
            ["Form.Name"] = "Väärennetty",
            ["Form.Channel"] = "poster",
            ["Form.StartsOn"] = "2026-04-01",
        });

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Null(await CampaignAsync(browser, code));
    }
}

/// <summary>
/// The joins per week that Reporting counts for each campaign (weeks gone by, suppressed and empty ones, which a test
/// cannot make the real services produce without their clocks), and what the page refuses without asking anything:
/// on the echo, which answers Reporting's report as set and records every request.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class CampaignReportTests(GatewayHost host)
{
    private const string ReportPath = "/api/reporting/panel/campaigns";
    private const string CampaignsPath = "/api/membership/campaigns";

    // The one symbol of a hidden number, as a regex.
    private static string Suppressed => Regex.Escape(HiddenNumber.Symbol);

    [Fact]
    public async Task A_coordinator_sees_each_campaign_with_its_channel_period_join_link_and_joins_per_week()
    {
        var browser = await host.SignedInAsync();

        var page = await browser.GetAsync("/staff/campaigns");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("?weeks=26", host.Backend.RequestsTo(ReportPath).Last().Query);
        var html = page.Text;
        Assert.Contains("Elokuvamainos kevät 2026 <span class=\"code\">(KINO)</span>", html, StringComparison.Ordinal);
        Assert.Contains($"<dd>{CampaignPageTests.Text("channel.cinema")}</dd>", html, StringComparison.Ordinal);
        Assert.Contains($"<dd>{CampaignPageTests.Text("channel.mall-screen")}</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd>5.1.2026–29.3.2026</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd>20.1.2026 alkaen</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"http://localhost/join?c=KINO\" class=\"join-link\">http://localhost/join?c=KINO</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"http://localhost/join?c=MALL\" class=\"join-link\">", html, StringComparison.Ordinal);
        // KINO's weeks in order, the suppressed week as the symbol of a hidden number, and its total.
        Assert.Matches("<th scope=\"row\">viikko 2/2026</th>\\s*<td class=\"num\">8</td>\\s*<td class=\"num\">6</td>", html);
        Assert.Matches($"<th scope=\"row\">viikko 3/2026</th>\\s*<td class=\"num\">{Suppressed}</td>\\s*<td class=\"num\">{Suppressed}</td>", html);
        Assert.Matches($"<th scope=\"row\">{CampaignPageTests.Text("composition.sum")}</th>\\s*<td class=\"num\">{Suppressed}</td>\\s*<td class=\"num\">6</td>", html);
        Assert.Matches("<th scope=\"row\">viikko 5/2026</th>\\s*<td class=\"num\">9</td>\\s*<td class=\"num\">7</td>", html);
        Assert.True(html.IndexOf("viikko 2/2026</th>", StringComparison.Ordinal) < html.IndexOf("viikko 3/2026</th>", StringComparison.Ordinal));
        Assert.Equal(2, Regex.Matches(html, "<table class=\"data\">").Count);
        // Both calls carried the coordinator's token.
        var token = await host.ValidTokenAsync(host.Backend.RequestsTo(CampaignsPath).Last().BearerToken, "panel-membership");
        Assert.Contains(PanelRoles.Coordinator, token.Roles());
    }

    [Fact]
    public async Task Weeks_in_which_nobody_joined_are_left_out_of_a_campaigns_table()
    {
        var browser = await host.SignedInAsync();
        EchoBackend.CampaignsJsonOverride =
            """{"minimumGroupSize":5,"weeks":["2026-W01","2026-W02","2026-W03"],"campaigns":[{"campaignCode":"KINO","weeks":[{"week":"2026-W01","joined":0,"verified":0},{"week":"2026-W02","joined":7,"verified":0},{"week":"2026-W03","joined":null,"verified":0}],"totals":{"joined":9,"verified":0}}]}""";
        try
        {
            var page = await browser.GetAsync("/staff/campaigns");

            Assert.DoesNotContain("viikko 1/2026</th>", page.Text, StringComparison.Ordinal);
            Assert.Matches("<th scope=\"row\">viikko 2/2026</th>\\s*<td class=\"num\">7</td>\\s*<td class=\"num\">0</td>", page.Text);
            Assert.Matches($"<th scope=\"row\">viikko 3/2026</th>\\s*<td class=\"num\">{Suppressed}</td>", page.Text);
        }
        finally
        {
            EchoBackend.CampaignsJsonOverride = null;
        }
    }

    [Fact]
    public async Task A_campaign_nobody_joined_through_shows_zero_joins_and_no_table()
    {
        var browser = await host.SignedInAsync();
        EchoBackend.CampaignsEmpty = true;
        try
        {
            var page = await browser.GetAsync("/staff/campaigns?lang=sv");

            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Contains("Kauppakeskus Ratina", page.Text, StringComparison.Ordinal);
            Assert.Matches($"<dt>{CampaignPageTests.Text("campaigns.joinedTotal", "sv")}</dt>\\s*<dd>0</dd>", page.Text);
            Assert.DoesNotContain("<table", page.Html, StringComparison.Ordinal);
        }
        finally
        {
            EchoBackend.CampaignsEmpty = false;
        }
    }

    [Theory]
    [InlineData("1.4.2026", "StartsOn")]
    [InlineData("tomorrow", "StartsOn")]
    [InlineData("2026-13-01", "EndsOn")]
    public async Task A_date_not_written_as_yyyy_mm_dd_is_refused_before_anything_is_sent(string date, string field)
    {
        var browser = await host.SignedInAsync();
        var form = await browser.GetAsync("/staff/campaigns");
        var before = host.Backend.RequestsTo(CampaignsPath).Count(r => r.Method == "POST");

        var page = await browser.SubmitAsync(form, "campaign", new Dictionary<string, string>
        {
            ["Form.Code"] = CampaignPageTests.NewCode(),
            ["Form.Name"] = "Päivämäärä väärin",
            ["Form.Channel"] = "event",
            ["Form.StartsOn"] = field == "StartsOn" ? date : "2026-04-01",
            ["Form.EndsOn"] = field == "EndsOn" ? date : "",
        });

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(before, host.Backend.RequestsTo(CampaignsPath).Count(r => r.Method == "POST"));
        var id = char.ToLowerInvariant(field[0]) + field[1..];
        Assert.Equal("true", page.Element(id)["aria-invalid"]);
        Assert.Contains(CampaignPageTests.Text("campaigns.error.dateFormat"), page.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PanelRoles.ReportReader)]
    [InlineData(PanelRoles.SurveyAuthor)]
    [InlineData(null)]
    public async Task Staff_without_a_panel_role_are_sent_to_the_denied_page(string? role)
    {
        var user = role is null ? await host.CreateStaffAsync() : await host.CreateStaffAsync(role);
        var browser = await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);
        var calls = host.Backend.RequestsTo(CampaignsPath).Count;

        var page = await browser.GetAsync("/staff/campaigns");

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal("/staff/denied", page.Location!.AbsolutePath);
        Assert.Equal(calls, host.Backend.RequestsTo(CampaignsPath).Count);
        var denied = await browser.GetAsync(page.Location.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, denied.Status);
        Assert.Contains(CampaignPageTests.Text("denied.body"), denied.Text, StringComparison.Ordinal);
    }
}
