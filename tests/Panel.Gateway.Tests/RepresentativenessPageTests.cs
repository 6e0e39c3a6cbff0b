using Panel.Privacy;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Panel.Contracts;
using Panel.Gateway.Tests.Support;
using Panel.TestSupport;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests;

/// <summary>
/// The gateway in front of real services of its own, whose Reporting holds population reference version 3 (published
/// 2026-02-10) of two municipalities and three age bands, and 156 members in the panel, published as Membership
/// publishes them (municipality, age band: women + men + other or not given):
/// Nokia 25-34: 3 + 2, 45-54: 4 + 4, 75-84: 1; Ruovesi 25-34: 30 + 29 + 1, 45-54: 36 + 33 + 1, 75-84: 7 + 5.
/// Every call of the gateway's clients to Membership and Reporting is recorded. Reporting counts every member it has
/// heard of, so these services are shared with no other test.
/// </summary>
public sealed class RepresentativenessGatewayHost : LiveGatewayHost
{
    public static readonly DateTimeOffset ReferencePublishedAt = new(2026, 2, 10, 9, 30, 0, TimeSpan.Zero);

    private static readonly (string Municipality, string AgeBand, int Women, int Men, int Other)[] Members =
    [
        ("Nokia", "25-34", 3, 2, 0), ("Nokia", "45-54", 4, 4, 0), ("Nokia", "75-84", 1, 0, 0),
        ("Ruovesi", "25-34", 30, 29, 1), ("Ruovesi", "45-54", 36, 33, 1), ("Ruovesi", "75-84", 7, 5, 0),
    ];

    /// <summary>245 810 residents: Nokia 35 210, Ruovesi 210 600; 25-34 100 000, 45-54 120 000, 75-84 25 810; 125 000 women.</summary>
    private static readonly PopulationGroupSnapshot[] Population =
    [
        new("Nokia", "25-34", "woman", 4500), new("Nokia", "25-34", "man", 4600),
        new("Nokia", "45-54", "woman", 12000), new("Nokia", "45-54", "man", 12810),
        new("Nokia", "75-84", "woman", 700), new("Nokia", "75-84", "man", 600),
        new("Ruovesi", "25-34", "woman", 45000), new("Ruovesi", "25-34", "man", 45900),
        new("Ruovesi", "45-54", "woman", 50800), new("Ruovesi", "45-54", "man", 44390),
        new("Ruovesi", "75-84", "woman", 12000), new("Ruovesi", "75-84", "man", 12510),
    ];

    public ServiceCalls Calls { get; } = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        Calls.RecordClients(services, ServiceNames.Membership, ServiceNames.Reporting);
    }

    protected override async Task StartedAsync()
    {
        await base.StartedAsync();
        var events = new MemberEvents(Reporting.Services.GetRequiredService<IBus>());
        await events.PublishAsync(new PopulationReferencePublished(3, ReferencePublishedAt, Population));
        var joined = ReferencePublishedAt.AddDays(-30);
        foreach (var (municipality, ageBand, women, men, other) in Members)
        {
            foreach (var (gender, count) in new[] { ("woman", women), ("man", men), ((string?)null, other) })
            {
                await events.JoinVerifiedAsync(count, new ProfileSnapshot(ageBand, municipality, gender, "fi", null), joined);
            }
        }

        await events.AppliedAsync(Reporting.Database);
    }
}

[CollectionDefinition(Name)]
public sealed class RepresentativenessCollection : ICollectionFixture<RepresentativenessGatewayHost>
{
    public const string Name = "representativeness";
}

[Collection(RepresentativenessCollection.Name)]
public sealed partial class RepresentativenessPageTests(RepresentativenessGatewayHost host)
{
    private const string ReferencePath = "/api/membership/population-reference";
    private const string ReportPath = "/api/reporting/panel/representativeness";

    private static string Text(string key, string language = "fi") => GatewayHost.Texts.Get(language, key);

    private static string Format(string key, params object[] args) => string.Format(CultureInfo.InvariantCulture, Text(key), args);

    // The one symbol of a hidden number (whatever the language), as a regex.
    private static string Suppressed(string language = "fi") => Regex.Escape(HiddenNumber.Symbol);

    [Fact]
    public async Task The_groups_to_recruit_are_named_in_words_with_their_shares()
    {
        var browser = await host.SignedInAsync();

        var page = await browser.GetAsync("/staff/representativeness");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("staff", (await host.ValidTokenAsync(host.Calls.To(ReportPath).Last().BearerToken, "panel-reporting")).Claim("act_kind"));
        var list = RecruitListRegex().Match(page.Text);
        Assert.True(list.Success, page.Text);
        var items = ItemRegex().Matches(list.Value).Select(m => Regex.Replace(m.Groups[1].Value, "\\s+", " ").Trim()).ToList();
        // The one group lacking members it is known to lack, then the four whose panel number is hidden, largest population first.
        Assert.Equal(5, items.Count);
        Assert.StartsWith("<strong>45–54-vuotiaat, Nokia</strong>: paneelissa 5,1 %, väestössä 10,1 %.", items[0], StringComparison.Ordinal);
        Assert.Contains(Format("repr.shortfall", "9"), items[0], StringComparison.Ordinal);
        Assert.StartsWith($"<strong>25–34-vuotiaat, Ruovesi</strong>: paneelissa {HiddenNumber.Symbol}, väestössä 37,0 %.", items[1], StringComparison.Ordinal);

        var english = await browser.GetAsync("/staff/representativeness?lang=en");
        Assert.Contains("<strong>People aged 45–54 in Nokia</strong>: 5.1 % of the panel, 10.1 % of the population.", Regex.Replace(english.Text, "\\s+", " "), StringComparison.Ordinal);
        var swedish = await browser.GetAsync("/staff/representativeness?lang=sv");
        Assert.Contains("<strong>Personer i åldern 45–54 år i Nokia</strong>", swedish.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fi", "85 vuotta täyttäneet, Virrat")]
    [InlineData("sv", "personer som fyllt 85 år i Virrat")]
    [InlineData("en", "people aged 85 and over in Virrat")]
    public void The_oldest_band_is_named_in_words_not_as_a_plus(string language, string expected)
    {
        var previous = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo(language);
        try
        {
            Assert.Equal(expected, Panel.Gateway.Components.Shared.StaffFormat.GroupName(new Panel.Gateway.Localization.UiText(), "Virrat", "85+"));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public async Task Each_attribute_has_an_svg_chart_with_a_text_alternative_and_a_table_with_the_same_numbers()
    {
        var browser = await host.SignedInAsync();

        var page = await browser.GetAsync("/staff/representativeness");

        Assert.Contains($"<dd>{Format("repr.referenceVersionValue", 3, "10.2.2026")}</dd>", page.Text, StringComparison.Ordinal);
        Assert.Contains("<dd>245\u00a0810</dd>", page.Text, StringComparison.Ordinal);
        foreach (var (attribute, values) in new[] { ("municipality", 2), ("ageBand", 3), ("gender", 2) })
        {
            var svg = Regex.Match(page.Html, $"<svg role=\"img\" aria-labelledby=\"attr-{attribute}-chart-title attr-{attribute}-chart-desc\"[\\s\\S]*?</svg>");
            Assert.True(svg.Success, $"no chart for {attribute}");
            Assert.Contains($"<title id=\"attr-{attribute}-chart-title\">", svg.Value, StringComparison.Ordinal);
            Assert.Contains($"<desc id=\"attr-{attribute}-chart-desc\">", svg.Value, StringComparison.Ordinal);
            // Paired bars: one population bar per value, a panel bar (or its hidden stub) per value; striped population bars.
            Assert.Equal(values, Regex.Matches(svg.Value, "class=\"bar population\"").Count);
            Assert.Equal(values, Regex.Matches(svg.Value, "class=\"bar panel[ \"]").Count);
            Assert.Contains($"fill=\"url(#attr-{attribute}-chart-hatch)\"", svg.Value, StringComparison.Ordinal);
            Assert.True(page.HasElement($"attr-{attribute}-caption"), $"no table for {attribute}");
            // The desktop layout of the same chart (the stylesheet shows one of the two) has the same bars.
            var wide = Regex.Match(page.Html, $"<figure class=\"chart share-chart chart-wide\"><svg role=\"img\" aria-labelledby=\"attr-{attribute}-chart-wide-title attr-{attribute}-chart-wide-desc\"[\\s\\S]*?</svg>");
            Assert.True(wide.Success, $"no wide chart for {attribute}");
            Assert.Equal(values, Regex.Matches(wide.Value, "class=\"bar population\"").Count);
            Assert.Equal(
                LabelRegex().Matches(svg.Value).Select(m => m.Groups[1].Value),
                LabelRegex().Matches(wide.Value).Select(m => m.Groups[1].Value));
        }

        // Men are hidden in the panel (with the two who said another gender or nothing, who are fewer than five): a dashed stub
        // with "hidden" in the chart, the symbol in the table.
        var genderChart = Regex.Match(page.Html, "<svg role=\"img\" aria-labelledby=\"attr-gender-chart-title[\\s\\S]*?</svg>").Value;
        Assert.Single(Regex.Matches(genderChart, "class=\"bar panel suppressed\""));
        Assert.Contains($">{HiddenNumber.Symbol}</text>", genderChart, StringComparison.Ordinal);
        Assert.Matches($"<th scope=\"row\">{Text("gender.man")}</th>\\s*<td class=\"num\">{Suppressed()}</td>\\s*<td class=\"num\">{Suppressed()}</td>\\s*<td class=\"num\">120\u00a0810</td>\\s*<td class=\"num\">49,1\u00a0%</td>\\s*<td class=\"num\">{Suppressed()}</td>", page.Text);
        // The charts' percentages are the tables'.
        var chartValues = LabelRegex().Matches(genderChart).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).Where(v => v.EndsWith('%')).ToList();
        Assert.Equal(["51,9\u00a0%", "50,9\u00a0%", "49,1\u00a0%"], chartValues);
        var ageChart = Regex.Match(page.Html, "<svg role=\"img\" aria-labelledby=\"attr-ageBand-chart-title[\\s\\S]*?</svg>").Value;
        chartValues = [.. LabelRegex().Matches(ageChart).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).Where(v => v.EndsWith('%'))];
        Assert.Equal(["41,7\u00a0%", "40,7\u00a0%", "50,0\u00a0%", "48,8\u00a0%", "8,3\u00a0%", "10,5\u00a0%"], chartValues);
        Assert.Matches("<th scope=\"row\">25–34</th>\\s*<td class=\"num\">65</td>\\s*<td class=\"num\">41,7\u00a0%</td>\\s*<td class=\"num\">100\u00a0000</td>\\s*<td class=\"num\">40,7\u00a0%</td>\\s*<td class=\"num\">1,02</td>", page.Text);
        Assert.Contains($"<th scope=\"row\">{Text("gender.woman")}</th>", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_group_is_in_a_collapsed_section_of_its_municipality()
    {
        var browser = await host.SignedInAsync();

        var page = await browser.GetAsync("/staff/representativeness?lang=en");

        var sections = Regex.Matches(page.Html, "<details class=\"groups\">\\s*<summary>([^<]*)<span").Select(m => m.Groups[1].Value.Trim()).ToList();
        Assert.Equal(["Nokia", "Ruovesi"], sections);
        Assert.Contains("(3 groups, 1 below their population share)", page.Text, StringComparison.Ordinal);
        Assert.Matches($"<th scope=\"row\">75–84</th>\\s*<td class=\"num\">{Suppressed("en")}</td>\\s*<td class=\"num\">{Suppressed()}</td>\\s*<td class=\"num\">1,300</td>\\s*<td class=\"num\">0.5\u00a0%</td>\\s*<td class=\"num\">{Suppressed()}</td>\\s*<td class=\"num\">{Suppressed()}</td>", page.Text);
        Assert.Matches("<th scope=\"row\">45–54</th>\\s*<td class=\"num\">8</td>[\\s\\S]*?<td class=\"num\">0.51</td>\\s*<td class=\"num\">9</td>", page.Text);
    }

    [Fact]
    public async Task Submitting_without_a_file_sends_nothing_and_asks_for_one()
    {
        var browser = await host.SignedInAsync();
        var form = await browser.GetAsync("/staff/representativeness");
        var before = host.Calls.To(ReferencePath).Count;

        var page = await browser.SubmitFileAsync(form, "reference", "file", "", null);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(before, host.Calls.To(ReferencePath).Count);
        Assert.Contains(Text("repr.upload.noFile"), page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_larger_than_a_reference_can_be_is_refused_before_it_is_sent()
    {
        var browser = await host.SignedInAsync();
        var form = await browser.GetAsync("/staff/representativeness");
        var before = host.Calls.To(ReferencePath).Count;
        var big = Encoding.UTF8.GetBytes("municipality,age_band,gender,count\n" + string.Concat(Enumerable.Repeat("Tampere,15-24,woman,1000\n", 50_000)));

        var page = await browser.SubmitFileAsync(form, "reference", "file", "big.csv", big);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(before, host.Calls.To(ReferencePath).Count);
        Assert.Contains(Format("repr.upload.tooLarge", 1000), page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_it_administrator_sees_the_comparison_but_cannot_upload()
    {
        var user = await host.CreateStaffAsync(PanelRoles.ItAdmin);
        var browser = await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);

        var page = await browser.GetAsync("/staff/representativeness");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Text("repr.recruitTitle"), page.Text, StringComparison.Ordinal);
        Assert.False(page.HasForm("reference"));
    }

    [Fact]
    public async Task A_report_reader_is_sent_to_the_denied_page()
    {
        var user = await host.CreateStaffAsync(PanelRoles.ReportReader);
        var browser = await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);
        var before = host.Calls.To(ReportPath).Count;

        var page = await browser.GetAsync("/staff/representativeness");

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal("/staff/denied", page.Location!.AbsolutePath);
        Assert.Equal(before, host.Calls.To(ReportPath).Count);
    }

    [GeneratedRegex("<ol class=\"recruit-list\">[\\s\\S]*?</ol>")]
    private static partial Regex RecruitListRegex();

    [GeneratedRegex("<li>([\\s\\S]*?)</li>")]
    private static partial Regex ItemRegex();

    [GeneratedRegex("<text [^>]*>([^<]*)</text>")]
    private static partial Regex LabelRegex();
}

/// <summary>The representativeness page before any population reference reached Reporting (panel history's services have none).</summary>
[Collection(PanelHistoryCollection.Name)]
public sealed class RepresentativenessWithoutReferenceTests(PanelHistoryGatewayHost host)
{
    private static string Text(string key) => GatewayHost.Texts.Get("fi", key);

    [Fact]
    public async Task Without_a_reference_the_page_explains_how_to_upload_one_and_its_csv_format()
    {
        var browser = await host.SignedInAsync();

        var page = await browser.GetAsync("/staff/representativeness");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Text("repr.noReferenceTitle"), page.Text, StringComparison.Ordinal);
        Assert.Contains(Text("repr.noReferenceUpload"), page.Text, StringComparison.Ordinal);
        Assert.Contains(Text("repr.uploadTitleFirst"), page.Text, StringComparison.Ordinal);
        Assert.Contains("<code>municipality,age_band,gender,count\nTampere,15-24,woman,", page.Text, StringComparison.Ordinal);
        Assert.True(page.HasForm("reference"));
        Assert.Contains("enctype=\"multipart/form-data\"", page.Html, StringComparison.Ordinal);
        Assert.Contains("<input id=\"file\" name=\"file\" type=\"file\" accept=\".csv,text/csv\"", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(Text("repr.recruitTitle"), page.Text, StringComparison.Ordinal);
    }
}
