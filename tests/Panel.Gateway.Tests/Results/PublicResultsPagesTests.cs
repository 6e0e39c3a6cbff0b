using Panel.Privacy;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Panel.Gateway.Tests.Support;

namespace Panel.Gateway.Tests.SurveyResults;

[Collection(LiveGatewayCollection.Name)]
public sealed partial class PublicResultsPagesTests(LiveGatewayHost host)
{
    private Task<Guid> PublishedAsync() => host.SeedSurveyAsync(ResultsData.FamilyServices(), ResultsData.HomeCareAnswers(), published: true);

    private static string Text(string language, string key) => GatewayHost.Texts.Get(language, key);

    private static string Flat(Page page) => BetweenTags().Replace(page.Text, "><");

    [Theory]
    [InlineData("fi", "Perhepalvelujen kysely", "Halusimme tietää, miten perhepalvelut toimivat.")]
    [InlineData("sv", "Familjeservice", "Vi ville veta hur familjeservicen fungerar.")]
    [InlineData("en", "Family services survey", "We wanted to know how family services work.")]
    public async Task Anyone_signed_out_lists_the_published_surveys_in_their_language(string language, string title, string purpose)
    {
        var published = await PublishedAsync();

        var page = await host.NewBrowser().GetAsync($"/results?lang={language}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains($"<html lang=\"{language}\"", page.Html, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/results/{published}\">{title}</a>", page.Text, StringComparison.Ordinal);
        Assert.Contains(purpose, page.Text, StringComparison.Ordinal);
        Assert.Contains(string.Format(CultureInfo.InvariantCulture, Text(language, "results.publishedOn"), ""), page.Text, StringComparison.Ordinal);
        Assert.Contains(Text(language, "results.publicTitle"), page.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fi", "62,7\u00a0%", "+86", "Tulokset ohjaavat neuvoloiden aukioloaikoja.", "Erittäin tyytyväinen", "Tyytymätön")]
    [InlineData("sv", "62,7\u00a0%", "+86", "Resultaten styr rådgivningarnas öppettider.", "Mycket nöjd", "Missnöjd")]
    [InlineData("en", "62.7\u00a0%", "+86", "The results guide the opening hours of child health clinics.", "Very satisfied", "Dissatisfied")]
    public async Task A_published_survey_shows_its_purpose_use_and_key_results_with_suppressed_values_as_fewer_than_k(
        string language, string share, string nps, string use, string yes, string partly)
    {
        var published = await PublishedAsync();

        var page = await host.NewBrowser().GetAsync($"/results/{published}?lang={language}");
        var flat = Flat(page);
        var hidden = HiddenNumber.Symbol;

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Text(language, "results.purposeTitle"), page.Text, StringComparison.Ordinal);
        Assert.Contains(use, page.Text, StringComparison.Ordinal);
        // Option labels in the reader's language, from Reporting's results.
        Assert.Contains($"<th scope=\"row\">{yes}</th><td class=\"num\">111</td><td class=\"num\">{share}</td>", flat, StringComparison.Ordinal);
        Assert.Contains($"<th scope=\"row\">{partly}</th><td class=\"num\">{hidden}</td><td class=\"num\">{hidden}</td>", flat, StringComparison.Ordinal);
        Assert.Contains($"<dd class=\"nps\">{nps}</dd>", flat, StringComparison.Ordinal);
        // One footnote in the page's language explains the one symbol; no hidden number carries a label of its own.
        var footnote = HiddenNumber.Footnote(language, 5);
        Assert.Single(Regex.Matches(System.Net.WebUtility.HtmlDecode(page.Html), Regex.Escape(footnote)));
        Assert.DoesNotContain(language switch { "fi" => "alle 5<", "sv" => "under 5<", _ => "fewer than 5<" }, page.Html, StringComparison.Ordinal);
        Assert.Contains("<svg role=\"img\"", page.Html, StringComparison.Ordinal);
        Assert.Contains("class=\"bar suppressed\"", page.Html, StringComparison.Ordinal);
        // Public pages: no staff tools.
        Assert.DoesNotContain("results.csv", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("/crosstab", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_language_switch_of_a_results_page_returns_to_it()
    {
        var published = await PublishedAsync();

        var page = await host.NewBrowser().GetAsync($"/results/{published}");

        Assert.Contains($"href=\"/language/sv?returnUrl=%2Fresults%2F{published}\"", page.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"/results\"", page.Html, StringComparison.Ordinal); // in the main navigation
    }

    [Fact]
    public async Task An_unpublished_or_unknown_survey_is_a_404_with_a_message_and_a_malformed_id_the_not_found_page()
    {
        var closed = await host.SeedSurveyAsync(ResultsData.HomeCare(), ResultsData.HomeCareAnswers());
        var browser = host.NewBrowser();

        var unpublished = await browser.GetAsync($"/results/{closed}");
        var unknown = await browser.GetAsync($"/results/{Guid.NewGuid()}?lang=en");
        var malformed = await browser.GetAsync("/results/1%27%20OR%201=1");

        Assert.Equal(HttpStatusCode.NotFound, unpublished.Status);
        Assert.Contains(Text("fi", "notFound.body"), unpublished.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Kotihoidon", unpublished.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Contains(Text("en", "notFound.body"), unknown.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, malformed.Status);
    }

    [GeneratedRegex(@">\s+<")]
    private static partial Regex BetweenTags();
}
