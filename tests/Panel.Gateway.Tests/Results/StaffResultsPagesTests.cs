using Panel.Privacy;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests.SurveyResults;

[Collection(LiveGatewayCollection.Name)]
public sealed partial class StaffResultsPagesTests(LiveGatewayHost host)
{
    private static string Fi(string key) => GatewayHost.Texts.Get("fi", key);

    // The one symbol of a hidden number, the same in every language.
    private static string Hidden(string language = "fi") => HiddenNumber.Symbol;

    /// <summary>The page's text with the whitespace between tags taken out, so table rows read as one string.</summary>
    private static string Flat(Page page) => BetweenTags().Replace(page.Text, "><");

    private static string Row(string header, params string[] cells) =>
        $"<th scope=\"row\">{header}</th>" + string.Concat(cells.Select(c => $"<td class=\"num\">{c}</td>"));

    private Task<(Browser Browser, string Id, string Email)> Staff(params string[] roles) => host.StaffAsync(roles);

    /// <summary>A closed home care survey of elderly services with every question type (see <see cref="ResultsData.HomeCareAnswers"/>).</summary>
    private Task<Guid> ClosedAsync() => host.SeedSurveyAsync(ResultsData.HomeCare(), ResultsData.HomeCareAnswers());

    /// <summary>A family services survey whose results are published.</summary>
    private Task<Guid> PublishedAsync() => host.SeedSurveyAsync(ResultsData.FamilyServices(), ResultsData.HomeCareAnswers(), published: true);

    [Fact]
    public async Task A_coordinator_sees_every_survey_with_its_state_and_respondents_and_a_suppressed_count_as_fewer_than_k()
    {
        var (browser, _, _) = await Staff(PanelRoles.Coordinator);
        // Its 177 panel answers only: the list adds the two audiences up only when each can be shown.
        var closed = await host.SeedSurveyAsync(ResultsData.HomeCare(), ResultsData.HomeCareAnswers().Where(a => a.Channel != "open-link"));
        var few = await host.SeedSurveyAsync(ResultsData.FamilyServices(), ResultsData.HomeCareAnswers().Take(3), published: true);

        var page = await browser.GetAsync("/staff/results");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains($"href=\"/staff/results/{closed}\"", page.Html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/staff/results/{few}\"", page.Html, StringComparison.Ordinal);
        var flat = Flat(page);
        Assert.Contains($"<a href=\"/staff/results/{closed}\">Kotihoidon kysely</a></th><td>" + Fi("results.state.closed") + "</td>", flat, StringComparison.Ordinal);
        Assert.Matches($"<a href=\"/staff/results/{closed}\">[^<]*</a></th>(<td[^>]*>[^<]*</td>)*<td class=\"num\">177</td>", flat);
        // The published survey's 3 respondents are suppressed in the list: the hidden symbol, not 0.
        Assert.Matches($"<a href=\"/staff/results/{few}\">[^<]*</a></th>(<td[^>]*>[^<]*</td>)*<td class=\"num\">{Regex.Escape(Hidden())}</td>", flat);
        Assert.Contains("href=\"/staff/results\"", page.Html, StringComparison.Ordinal); // the navigation link
    }

    [Fact]
    public async Task A_domain_contact_sees_only_the_surveys_of_their_service_area()
    {
        var (browser, _, _) = await host.StaffAsync([PanelRoles.DomainContact], "elderly-services");
        var closed = await ClosedAsync();
        var published = await PublishedAsync();

        var list = await browser.GetAsync("/staff/results");
        var other = await browser.GetAsync($"/staff/results/{published}");

        Assert.Contains($"href=\"/staff/results/{closed}\"", list.Html, StringComparison.Ordinal);
        Assert.DoesNotContain($"href=\"/staff/results/{published}\"", list.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, other.Status);
        Assert.Contains(Fi("results.problem.forbidden"), other.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_reader_without_grants_sees_no_surveys_and_is_forbidden_a_survey()
    {
        var (browser, _, _) = await Staff(PanelRoles.ReportReader);
        var closed = await ClosedAsync();

        var list = await browser.GetAsync("/staff/results");
        var survey = await browser.GetAsync($"/staff/results/{closed}");

        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Contains(Fi("results.noneShared"), list.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, survey.Status);
        Assert.Contains(Fi("results.problem.forbidden"), survey.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Kuinka tyytyväinen", survey.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_results_page_shows_every_question_type_with_the_numbers_Reporting_gave_and_suppressed_cells_as_fewer_than_k()
    {
        var (browser, _, _) = await Staff(PanelRoles.Coordinator);
        var closed = await ClosedAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await host.SeedFunnelAsync(closed, (today.AddDays(-3), 200, 3, 0), (today.AddDays(-2), 0, 150, 110), (today.AddDays(-1), 0, 30, 67));

        var page = await browser.GetAsync($"/staff/results/{closed}");
        var flat = Flat(page);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("<h1>Kotihoidon kysely</h1>", flat, StringComparison.Ordinal);
        Assert.Contains("Selvitämme kotihoidon asiakkaiden kokemuksia.", page.Text, StringComparison.Ordinal);
        Assert.Contains("Tulokset ohjaavat käyntiaikojen suunnittelua.", page.Text, StringComparison.Ordinal);
        Assert.Contains("<dd>88,0\u00a0%</dd>", flat, StringComparison.Ordinal); // response rate
        // Single choice, with the labels of the survey's definition; options c and d (3 each) suppressed: the hidden symbol and no percentage.
        Assert.Contains(Row("Erittäin tyytyväinen", "111", "62,7\u00a0%"), flat, StringComparison.Ordinal);
        Assert.Contains(Row("Melko tyytyväinen", "60", "33,9\u00a0%"), flat, StringComparison.Ordinal);
        Assert.Contains(Row("Tyytymätön", Hidden(), Hidden()), flat, StringComparison.Ordinal);
        // Multiple choice, Likert (mean, median), NPS (score), number.
        Assert.Contains(Row("y", "160", "90,4\u00a0%"), flat, StringComparison.Ordinal);
        Assert.Contains(Row("4", "102", "57,6\u00a0%"), flat, StringComparison.Ordinal);
        Assert.Contains($"<dt>{Fi("results.mean")}</dt><dd>3,6</dd>", flat, StringComparison.Ordinal);
        Assert.Contains($"<dt>{Fi("results.npsScore")}</dt><dd class=\"nps\">+86</dd>", flat, StringComparison.Ordinal);
        Assert.Contains($"<dt>{Fi("results.mean")}</dt><dd>40,42</dd><dt>{Fi("results.median")}</dt><dd>40</dd>", flat, StringComparison.Ordinal);
        // Free texts, masked by Reporting.
        Assert.Contains("<li>Soittakaa numeroon [PHONE].</li>", flat, StringComparison.Ordinal);
        Assert.DoesNotContain("040 1234567", page.Html, StringComparison.Ordinal);
        // Ranking: average ranks and positions.
        Assert.Contains(Row("r1", "1,44", "106", "65", "6"), flat, StringComparison.Ordinal);
        // Matrix with row and scale labels; m2's s1 (3) suppressed, and s2 with it (else 177 minus the rest would tell it).
        Assert.Contains(Row("Hoitajien ystävällisyys", "177", "10 (5,6\u00a0%)", "64 (36,2\u00a0%)", "103 (58,2\u00a0%)"), flat, StringComparison.Ordinal);
        Assert.Contains(Row("Aikataulujen pitävyys", "177", Hidden(), Hidden(), "105 (59,3\u00a0%)"), flat, StringComparison.Ordinal);
        // Budget: vouchers and shares, and the total.
        Assert.Contains(Row("Puistot", "919", "51,9\u00a0%"), flat, StringComparison.Ordinal);
        Assert.Contains(Row(Fi("results.value.total"), "1\u00a0770", "100,0\u00a0%"), flat, StringComparison.Ordinal);
        // The open-link audience (3 answers) is hidden as a whole.
        Assert.Contains(Fi("results.groupHidden"), page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("alle 5<", page.Html, StringComparison.Ordinal);
        // Charts are SVG images with a title; a suppressed bar is drawn as such.
        Assert.Contains("<svg role=\"img\"", page.Html, StringComparison.Ordinal);
        Assert.Contains("class=\"bar suppressed\"", page.Html, StringComparison.Ordinal);
        Assert.Contains("<title id=\"a0-q0-chart-title\">Kuinka tyytyväinen olet kotihoitoon?</title>", page.Text, StringComparison.Ordinal);
        // The funnel: the first day's 3 opened and 0 answered read as the one hidden symbol, never 0.
        Assert.Contains(Row(today.AddDays(-3).ToString("d.M.yyyy", System.Globalization.CultureInfo.InvariantCulture), "200", Hidden(), Hidden()), flat, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_suppressed_value_is_written_as_zero()
    {
        var (browser, _, _) = await Staff(PanelRoles.Coordinator);
        var closed = await ClosedAsync();

        var page = await browser.GetAsync($"/staff/results/{closed}?lang=en");

        // Someone chose every option, scale point and rank of this survey: every 0 on the page would be a filled-in value.
        Assert.DoesNotMatch(ZeroCell(), page.Html);
        Assert.Contains(Hidden("en"), page.Text, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Very satisfied</th>", Flat(page), StringComparison.Ordinal);
        Assert.Contains("How satisfied are you with home care?", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_reader_granted_the_survey_reads_its_results_with_option_labels()
    {
        var (browser, id, _) = await Staff(PanelRoles.ReportReader);
        var (coordinator, _, _) = await Staff(PanelRoles.Coordinator);
        var closed = await ClosedAsync();
        (await coordinator.Http.PutAsJsonAsync($"/api/reporting/surveys/{closed}/readers", new { readers = new[] { id } })).EnsureSuccessStatusCode();

        var list = await browser.GetAsync("/staff/results");
        var page = await browser.GetAsync($"/staff/results/{closed}");

        Assert.Contains($"href=\"/staff/results/{closed}\"", list.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Row("Erittäin tyytyväinen", "111", "62,7\u00a0%"), Flat(page), StringComparison.Ordinal);
        Assert.DoesNotContain($"href=\"/staff/results/{closed}/readers\"", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_filter_asks_Reporting_for_one_attribute_and_the_downloads_carry_it()
    {
        var (browser, _, _) = await Staff(PanelRoles.Coordinator);
        var closed = await ClosedAsync();

        var page = await browser.GetAsync($"/staff/results/{closed}?f=ageBand%3A75-84");
        var flat = Flat(page);

        // Only the 60 aged 75-84 (all chose b) are counted; their free texts are not shown filtered.
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Row("Melko tyytyväinen", "60", "100,0\u00a0%"), flat, StringComparison.Ordinal);
        Assert.Contains(Fi("results.textsFiltered"), page.Text, StringComparison.Ordinal);
        Assert.Contains($"href=\"/api/reporting/surveys/{closed}/results.csv?lang=fi&amp;ageBand=75-84\"", page.Html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/api/reporting/surveys/{closed}/results.xlsx?lang=fi&amp;ageBand=75-84\"", page.Html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"ageBand:75-84\" selected", page.Html, StringComparison.Ordinal);

        // Both municipalities asked for: Tampere's 100 (a) and Orivesi's 60 (b), no one else.
        var municipality = await browser.GetAsync($"/staff/results/{closed}?f=&municipality=Tampere%2C%20Orivesi");
        Assert.Equal(HttpStatusCode.OK, municipality.Status);
        Assert.Contains(Row("Erittäin tyytyväinen", "100", "62,5\u00a0%"), Flat(municipality), StringComparison.Ordinal);
        Assert.Contains(Row("Melko tyytyväinen", "60", "37,5\u00a0%"), Flat(municipality), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?f=shoeSize%3A42", "results.filter.unknownAttribute")]
    [InlineData("?f=ageBand%3A12", "results.filter.unknownValue")]
    [InlineData("?f=gender%3Awoman&municipality=Tampere", "results.filter.oneAttribute")]
    public async Task A_filter_the_page_does_not_know_is_a_400_with_a_clear_message(string query, string message)
    {
        var (browser, _, _) = await Staff(PanelRoles.Coordinator);
        var closed = await ClosedAsync();

        var page = await browser.GetAsync($"/staff/results/{closed}{query}");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains(Fi(message), page.Text, StringComparison.Ordinal);
        Assert.Contains($"href=\"/staff/results/{closed}\"", page.Html, StringComparison.Ordinal);
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
        var closed = await ClosedAsync();

        var page = await browser.GetAsync($"/staff/results/{closed}/crosstab?question=q-single&by=ageBand");
        var flat = Flat(page);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Row("65–74", "100", "100 (100,0\u00a0%)", "0 (0,0\u00a0%)", "0 (0,0\u00a0%)", "0 (0,0\u00a0%)"), flat, StringComparison.Ordinal);
        Assert.Contains(Row("85+", Hidden(), Hidden(), Hidden(), Hidden(), Hidden()), flat, StringComparison.Ordinal);
        Assert.Contains(Row(Fi("results.value.total"), "177", "111 (62,7\u00a0%)", "60 (33,9\u00a0%)", Hidden(), Hidden()), flat, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\" class=\"num\">Erittäin tyytyväinen</th>", flat, StringComparison.Ordinal);
        Assert.Contains("<option value=\"q-single\" selected", page.Html, StringComparison.Ordinal);

        var matrix = await browser.GetAsync($"/staff/results/{closed}/crosstab?question=q-matrix&by=language");
        Assert.Equal(HttpStatusCode.OK, matrix.Status);
        Assert.Contains(Row("Suomi", "171", Hidden(), Hidden(), "103 (60,2\u00a0%)"), Flat(matrix), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?question=q-single&by=shoeSize", "results.filter.unknownBy")]
    [InlineData("?question=q-nothing&by=ageBand", "results.filter.unknownQuestion")]
    [InlineData("?question=&by=gender", "results.filter.unknownQuestion")]
    public async Task A_crosstab_of_an_unknown_attribute_or_question_is_a_400_with_a_clear_message(string query, string message)
    {
        var (browser, _, _) = await Staff(PanelRoles.Coordinator);
        var closed = await ClosedAsync();

        var page = await browser.GetAsync($"/staff/results/{closed}/crosstab{query}");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains(Fi(message), page.Text, StringComparison.Ordinal);
        Assert.Contains("id=\"crosstab-question\"", page.Html, StringComparison.Ordinal); // the form to choose again
    }

    [Fact]
    public async Task The_print_report_has_all_results_and_the_purpose_without_navigation()
    {
        var (browser, _, _) = await Staff(PanelRoles.Communications);
        var closed = await ClosedAsync();

        var page = await browser.GetAsync($"/staff/results/{closed}/print");

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
        var (browser, _, _) = await Staff(PanelRoles.Coordinator);
        var (reader, readerId, _) = await Staff(PanelRoles.ReportReader);
        var closed = await ClosedAsync();

        var response = await browser.Http.GetAsync($"/api/reporting/surveys/{closed}/results.csv?lang=fi");
        var refused = await reader.Http.GetAsync($"/api/reporting/surveys/{closed}/results.csv?lang=fi");
        (await browser.Http.PutAsJsonAsync($"/api/reporting/surveys/{closed}/readers", new { readers = new[] { readerId } })).EnsureSuccessStatusCode();
        var granted = await reader.Http.GetAsync($"/api/reporting/surveys/{closed}/results.csv?lang=fi");
        var anonymous = await host.NewBrowser().Http.GetAsync($"/api/reporting/surveys/{closed}/results.csv?lang=fi");

        // Reporting answered the coordinator's role, and the reader by the staff id it granted: the token names both.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var csv = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("audience,question_id,question,", csv, StringComparison.Ordinal);
        Assert.Contains("q-single,Kuinka tyytyväinen olet kotihoitoon?,,a,count,111,false", csv, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
    }

    [GeneratedRegex(@">\s+<")]
    private static partial Regex BetweenTags();

    [GeneratedRegex(@"<td class=""num"">0</td>")]
    private static partial Regex ZeroCell();
}
