using Panel.Privacy;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests.SurveyResults;

[Collection(ResultsGatewayCollection.Name)]
public sealed partial class StaffResultsPagesTests(ResultsGatewayHost host)
{
    private static readonly string Closed = FakeReporting.Closed.ToString();
    private static readonly string Published = FakeReporting.Published.ToString();

    private static string Fi(string key) => GatewayHost.Texts.Get("fi", key);

    // The one symbol of a hidden number, the same in every language.
    private static string Hidden(string language = "fi") => HiddenNumber.Symbol;

    /// <summary>The page's text with the whitespace between tags taken out, so table rows read as one string.</summary>
    private static string Flat(Page page) => BetweenTags().Replace(page.Text, "><");

    private static string Row(string header, params string[] cells) =>
        $"<th scope=\"row\">{header}</th>" + string.Concat(cells.Select(c => $"<td class=\"num\">{c}</td>"));

    private Task<(Browser Browser, string Id, string Email)> Staff(params string[] roles) => host.StaffAsync(roles);

    [Fact]
    public async Task A_coordinator_sees_every_survey_with_its_state_and_respondents_and_a_suppressed_count_as_fewer_than_k()
    {
        var (browser, _, _) = await Staff(PanelRoles.Coordinator);

        var page = await browser.GetAsync("/staff/results");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains($"href=\"/staff/results/{Closed}\"", page.Html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/staff/results/{Published}\"", page.Html, StringComparison.Ordinal);
        var flat = Flat(page);
        Assert.Contains("Kotihoidon kysely</a></th><td>" + Fi("results.state.closed"), flat, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">412</td>", flat, StringComparison.Ordinal);
        // The published survey's respondents are suppressed in the list: "fewer than 5", not 0.
        Assert.Contains($"<td class=\"num\">{Hidden()}</td>", flat, StringComparison.Ordinal);
        Assert.Contains("href=\"/staff/results\"", page.Html, StringComparison.Ordinal); // the navigation link
    }

    [Fact]
    public async Task A_domain_contact_sees_only_the_surveys_of_their_service_area()
    {
        var (browser, _, _) = await host.StaffAsync([PanelRoles.DomainContact], "elderly-services");

        var list = await browser.GetAsync("/staff/results");
        var other = await browser.GetAsync($"/staff/results/{Published}");

        Assert.Contains($"href=\"/staff/results/{Closed}\"", list.Html, StringComparison.Ordinal);
        Assert.DoesNotContain($"href=\"/staff/results/{Published}\"", list.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, other.Status);
        Assert.Contains(Fi("results.problem.forbidden"), other.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_reader_without_grants_sees_no_surveys_and_is_forbidden_a_survey()
    {
        var (browser, _, _) = await Staff(PanelRoles.ReportReader);

        var list = await browser.GetAsync("/staff/results");
        var survey = await browser.GetAsync($"/staff/results/{Closed}");

        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Contains(Fi("results.noneShared"), list.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, survey.Status);
        Assert.Contains(Fi("results.problem.forbidden"), survey.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Kuinka tyytyväinen", survey.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Visitors_and_residents_are_sent_to_the_staff_sign_in_or_the_denied_page()
    {
        var (resident, _) = await host.ResidentSignedInAsync();
        foreach (var (browser, to) in new[] { (host.NewBrowser(), "/staff/sign-in"), (resident, "/staff/denied") })
        {
            foreach (var path in new[] { "/staff/results", $"/staff/results/{Closed}", $"/staff/results/{Closed}/crosstab", $"/staff/results/{Closed}/print", $"/staff/results/{Closed}/readers" })
            {
                var page = await browser.GetAsync(path);
                Assert.Equal(HttpStatusCode.Redirect, page.Status);
                Assert.True(page.Location!.PathAndQuery.StartsWith(to, StringComparison.Ordinal) || page.Location.PathAndQuery.StartsWith("/staff/sign-in", StringComparison.Ordinal), $"{path}: {page.Location}");
            }
        }

    }

    [Fact]
    public async Task The_results_page_shows_every_question_type_with_the_numbers_Reporting_gave_and_suppressed_cells_as_fewer_than_k()
    {
        var (browser, _, _) = await Staff(PanelRoles.Coordinator);

        var page = await browser.GetAsync($"/staff/results/{Closed}");
        var flat = Flat(page);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("<h1>Kotihoidon kysely</h1>", flat, StringComparison.Ordinal);
        Assert.Contains("Selvitämme kotihoidon asiakkaiden kokemuksia.", page.Text, StringComparison.Ordinal);
        Assert.Contains("Tulokset ohjaavat käyntiaikojen suunnittelua.", page.Text, StringComparison.Ordinal);
        Assert.Contains("<dd>82,4\u00a0%</dd>", flat, StringComparison.Ordinal); // response rate
        // Single choice, with the labels of Surveys' definition; option c suppressed: "fewer than 5" and no percentage.
        Assert.Contains(Row("Erittäin tyytyväinen", "211", "53,1\u00a0%"), flat, StringComparison.Ordinal);
        Assert.Contains(Row("Melko tyytyväinen", "183", "46,1\u00a0%"), flat, StringComparison.Ordinal);
        Assert.Contains(Row("Tyytymätön", Hidden(), Hidden()), flat, StringComparison.Ordinal);
        // Multiple choice, Likert (mean, median), NPS (score), number.
        Assert.Contains(Row("z", "37", "9,5\u00a0%"), flat, StringComparison.Ordinal);
        Assert.Contains(Row("4", "150", "38,3\u00a0%"), flat, StringComparison.Ordinal);
        Assert.Contains($"<dt>{Fi("results.mean")}</dt><dd>3,59</dd>", flat, StringComparison.Ordinal);
        Assert.Contains($"<dt>{Fi("results.npsScore")}</dt><dd class=\"nps\">+34,2</dd>", flat, StringComparison.Ordinal);
        Assert.Contains($"<dt>{Fi("results.mean")}</dt><dd>42,37</dd><dt>{Fi("results.median")}</dt><dd>40</dd>", flat, StringComparison.Ordinal);
        // Free texts, masked by Reporting.
        Assert.Contains("<li>Soittakaa numeroon [puhelinnumero].</li>", flat, StringComparison.Ordinal);
        // Ranking: average ranks and positions; r3's average suppressed.
        Assert.Contains(Row("r1", "1,46", "220", "100", "30"), flat, StringComparison.Ordinal);
        Assert.Contains(Row("r3", Hidden(), Hidden(), "135", "185"), flat, StringComparison.Ordinal);
        // Matrix with row and scale labels; one suppressed cell.
        Assert.Contains(Row("Hoitajien ystävällisyys", "330", "30 (9,1\u00a0%)", "100 (30,3\u00a0%)", "200 (60,6\u00a0%)"), flat, StringComparison.Ordinal);
        Assert.Contains(Row("Aikataulujen pitävyys", "327", Hidden(), "160 (48,9\u00a0%)", "164 (50,2\u00a0%)"), flat, StringComparison.Ordinal);
        // Budget: vouchers and shares, and the total.
        Assert.Contains(Row("Puistot", "1\u00a0200", "60,0\u00a0%"), flat, StringComparison.Ordinal);
        Assert.Contains(Row(Fi("results.value.total"), "2\u00a0000", "100,0\u00a0%"), flat, StringComparison.Ordinal);
        // The open-link audience is hidden as a whole.
        Assert.Contains(Fi("results.groupHidden"), page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("alle 5<", page.Html, StringComparison.Ordinal);
        // Charts are SVG images with a title; a suppressed bar is drawn as such with "fewer than 5".
        Assert.Contains("<svg role=\"img\"", page.Html, StringComparison.Ordinal);
        Assert.Contains("class=\"bar suppressed\"", page.Html, StringComparison.Ordinal);
        Assert.Contains("<title id=\"a0-q0-chart-title\">Kuinka tyytyväinen olet kotihoitoon?</title>", page.Text, StringComparison.Ordinal);
        // The funnel: a hidden day reads as the one hidden symbol, never 0.
        Assert.Contains(Row("2.10.2026", "500", Hidden(), "300"), flat, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_suppressed_value_is_written_as_zero()
    {
        var (browser, _, _) = await Staff(PanelRoles.Coordinator);

        var page = await browser.GetAsync($"/staff/results/{Closed}?lang=en");

        // Reporting's only zeros are none in this survey's results: every 0 on the page would be a filled-in value.
        Assert.DoesNotMatch(ZeroCell(), page.Html);
        Assert.Contains(Hidden("en"), page.Text, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Very satisfied</th>", Flat(page), StringComparison.Ordinal);
        Assert.Contains("How satisfied are you with home care?", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_reader_granted_the_survey_reads_its_results_with_option_labels()
    {
        var (browser, id, _) = await Staff(PanelRoles.ReportReader);
        host.Fake.Readers[FakeReporting.Closed] = [id];
        try
        {
            var list = await browser.GetAsync("/staff/results");
            var page = await browser.GetAsync($"/staff/results/{Closed}");

            Assert.Contains($"href=\"/staff/results/{Closed}\"", list.Html, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Contains(Row("Erittäin tyytyväinen", "211", "53,1\u00a0%"), Flat(page), StringComparison.Ordinal);
            Assert.DoesNotContain($"href=\"/staff/results/{Closed}/readers\"", page.Html, StringComparison.Ordinal);
        }
        finally
        {
            host.Fake.Readers[FakeReporting.Closed] = [];
        }
    }

    [Fact]
    public async Task The_filter_asks_Reporting_for_one_attribute_and_the_downloads_carry_it()
    {
        var (browser, _, _) = await Staff(PanelRoles.Coordinator);

        var page = await browser.GetAsync($"/staff/results/{Closed}?f=ageBand%3A65-74");
        var flat = Flat(page);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(host.Fake.RequestsTo($"/api/reporting/surveys/{Closed}/results"), r => r.Query == "?ageBand=65-74");
        Assert.Contains(Row("Erittäin tyytyväinen", "57", "64,8\u00a0%"), flat, StringComparison.Ordinal);
        Assert.Contains(Fi("results.textsFiltered"), page.Text, StringComparison.Ordinal);
        Assert.Contains($"href=\"/api/reporting/surveys/{Closed}/results.csv?lang=fi&amp;ageBand=65-74\"", page.Html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/api/reporting/surveys/{Closed}/results.xlsx?lang=fi&amp;ageBand=65-74\"", page.Html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"ageBand:65-74\" selected", page.Html, StringComparison.Ordinal);

        var municipality = await browser.GetAsync($"/staff/results/{Closed}?f=&municipality=Tampere%2C%20Orivesi");
        Assert.Equal(HttpStatusCode.OK, municipality.Status);
        Assert.Contains(host.Fake.RequestsTo($"/api/reporting/surveys/{Closed}/results"), r => r.Query == "?municipality=Tampere&municipality=Orivesi");
    }

    [Theory]
    [InlineData("?f=shoeSize%3A42", "results.filter.unknownAttribute")]
    [InlineData("?f=ageBand%3A12", "results.filter.unknownValue")]
    [InlineData("?f=gender%3Awoman&municipality=Tampere", "results.filter.oneAttribute")]
    public async Task A_filter_the_page_does_not_know_is_a_400_with_a_clear_message(string query, string message)
    {
        var (browser, _, _) = await Staff(PanelRoles.Coordinator);

        var page = await browser.GetAsync($"/staff/results/{Closed}{query}");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains(Fi(message), page.Text, StringComparison.Ordinal);
        Assert.Contains($"href=\"/staff/results/{Closed}\"", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_survey_is_a_404_with_a_message_and_a_malformed_id_the_not_found_page()
    {
        var (browser, _, _) = await Staff(PanelRoles.Coordinator);

        var unknown = await browser.GetAsync($"/staff/results/{Guid.NewGuid()}");
        var malformed = await browser.GetAsync("/staff/results/not-a-survey");
        var crosstab = await browser.GetAsync($"/staff/results/{Guid.NewGuid()}/crosstab?question=q1&by=ageBand");
        var print = await browser.GetAsync($"/staff/results/{Guid.NewGuid()}/print");

        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Contains(Fi("notFound.body"), unknown.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, malformed.Status);
        Assert.Equal(HttpStatusCode.NotFound, crosstab.Status);
        Assert.Equal(HttpStatusCode.NotFound, print.Status);
    }

    [Fact]
    public async Task The_crosstab_shows_a_row_per_value_with_a_hidden_group_as_fewer_than_k_and_the_total()
    {
        var (browser, _, _) = await Staff(PanelRoles.Coordinator);

        var page = await browser.GetAsync($"/staff/results/{Closed}/crosstab?question=q-single&by=ageBand");
        var flat = Flat(page);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(host.Fake.RequestsTo($"/api/reporting/surveys/{Closed}/crosstab"), r => r.Query == "?question=q-single&by=ageBand");
        Assert.Contains(Row("65–74", "120", "70 (58,3\u00a0%)", "50 (41,7\u00a0%)", "0 (0,0\u00a0%)"), flat, StringComparison.Ordinal);
        Assert.Contains(Row("75–84", Hidden(), Hidden(), Hidden(), Hidden()), flat, StringComparison.Ordinal);
        Assert.Contains(Row(Fi("results.value.total"), "397", "211 (53,1\u00a0%)", "183 (46,1\u00a0%)", Hidden()), flat, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\" class=\"num\">Erittäin tyytyväinen</th>", flat, StringComparison.Ordinal);
        Assert.Contains("<option value=\"q-single\" selected", page.Html, StringComparison.Ordinal);

        var matrix = await browser.GetAsync($"/staff/results/{Closed}/crosstab?question=q-matrix&by=language");
        Assert.Equal(HttpStatusCode.OK, matrix.Status);
        Assert.Contains(Row("Suomi", "300", "27 (9,0\u00a0%)", "93 (31,0\u00a0%)", "180 (60,0\u00a0%)"), Flat(matrix), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?question=q-single&by=shoeSize", "results.filter.unknownBy")]
    [InlineData("?question=q-nothing&by=ageBand", "results.filter.unknownQuestion")]
    [InlineData("?question=&by=gender", "results.filter.unknownQuestion")]
    public async Task A_crosstab_of_an_unknown_attribute_or_question_is_a_400_with_a_clear_message(string query, string message)
    {
        var (browser, _, _) = await Staff(PanelRoles.Coordinator);

        var page = await browser.GetAsync($"/staff/results/{Closed}/crosstab{query}");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains(Fi(message), page.Text, StringComparison.Ordinal);
        Assert.Contains("id=\"crosstab-question\"", page.Html, StringComparison.Ordinal); // the form to choose again
    }

    [Fact]
    public async Task The_print_report_has_all_results_and_the_purpose_without_navigation()
    {
        var (browser, _, _) = await Staff(PanelRoles.Communications);

        var page = await browser.GetAsync($"/staff/results/{Closed}/print");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.DoesNotContain("site-header", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("main-nav", page.Html, StringComparison.Ordinal);
        Assert.Contains("app.css", page.Html, StringComparison.Ordinal);
        Assert.Contains("Selvitämme kotihoidon asiakkaiden kokemuksia.", page.Text, StringComparison.Ordinal);
        Assert.Contains("Tulokset ohjaavat käyntiaikojen suunnittelua.", page.Text, StringComparison.Ordinal);
        Assert.Contains(Row("Tyytymätön", Hidden(), Hidden()), Flat(page), StringComparison.Ordinal);
        Assert.Contains("Arvioi kotihoitoa", page.Text, StringComparison.Ordinal);
        Assert.Contains(Fi("results.funnel.title"), page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_export_downloads_through_the_proxy_with_the_staff_session_and_the_staff_token()
    {
        var (browser, id, _) = await Staff(PanelRoles.Coordinator);

        var response = await browser.Http.GetAsync($"/api/reporting/surveys/{Closed}/results.csv?lang=fi");
        var sent = host.Fake.RequestsTo($"/api/reporting/surveys/{Closed}/results.csv").Last();
        var anonymous = await host.NewBrowser().Http.GetAsync($"/api/reporting/surveys/{Closed}/results.csv?lang=fi");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("question,value,count", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var token = await host.ValidTokenAsync(sent.Headers["Authorization"]["Bearer ".Length..], "panel-" + ServiceNames.Reporting);
        Assert.Contains(token.Claims, c => c.Type == "sub" && c.Value == id);
        Assert.Contains(token.Claims, c => c.Type == "role" && c.Value == PanelRoles.Coordinator);
        Assert.DoesNotContain("Cookie", sent.Headers.Keys);
        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
    }

    [GeneratedRegex(@">\s+<")]
    private static partial Regex BetweenTags();

    [GeneratedRegex(@"<td class=""num"">0</td>")]
    private static partial Regex ZeroCell();
}
