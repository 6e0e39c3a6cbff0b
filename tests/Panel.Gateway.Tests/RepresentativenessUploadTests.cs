using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests;

/// <summary>Uploading a population reference from the representativeness page to the real Membership, which checks and stores it.</summary>
[Collection(LiveGatewayCollection.Name)]
public sealed partial class RepresentativenessUploadTests(LiveGatewayHost host)
{
    private static string Text(string key) => GatewayHost.Texts.Get("fi", key);

    private static string Format(string key, params object[] args) => string.Format(CultureInfo.InvariantCulture, Text(key), args);

    private const string GoodCsv = "municipality,age_band,gender,count\nNokia,25-34,woman,4500\nNokia,25-34,man,4600\nRuovesi,75-84,woman,312\n";

    private Task<int> LatestVersionAsync() =>
        host.Membership.Database.ScalarAsync<int>("SELECT coalesce(max(version), 0) FROM population_references");

    private async Task<(Browser Browser, string Id, Page Form)> CoordinatorAsync()
    {
        var user = await host.CreateStaffAsync(PanelRoles.Coordinator);
        var browser = await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);
        return (browser, user.Id, await browser.GetAsync("/staff/representativeness"));
    }

    [Fact]
    public async Task Uploading_sends_the_file_as_multipart_field_file_and_says_which_version_was_saved()
    {
        var (browser, id, form) = await CoordinatorAsync();

        var posted = await browser.SubmitFileAsync(form, "reference", "file", "vaesto.csv", Encoding.UTF8.GetBytes(GoodCsv));

        // Membership stored the file's groups as a new version, published by this coordinator.
        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        var version = await LatestVersionAsync();
        Assert.Equal($"/staff/representativeness?uploaded={version}", posted.Location!.PathAndQuery);
        Assert.Equal(id, await host.Membership.Database.ScalarAsync<string>("SELECT published_by FROM population_references WHERE version = @p0", version));
        Assert.Equal(3, await host.Membership.Database.ScalarAsync<int>("SELECT groups FROM population_references WHERE version = @p0", version));
        Assert.Equal(312, await host.Membership.Database.ScalarAsync<int>(
            "SELECT count FROM population_reference_rows WHERE version = @p0 AND municipality = 'Ruovesi' AND age_band = '75-84' AND gender = 'woman'", version));

        var page = await browser.GetAsync(posted.Location.PathAndQuery);
        Assert.Contains(Format("repr.uploaded", version), page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_error_in_the_file_is_listed_with_its_line_in_line_order()
    {
        var (browser, _, form) = await CoordinatorAsync();
        var csv = "municipality,age_band,gender,count\nNokia,25-34,man,10\nNokia,25-34,woman,many\nTampere,35-44,man,12\nHelsinki,35-44,man,5\nVirrat,45-54,woman,many\n";
        var before = await LatestVersionAsync();

        var page = await browser.SubmitFileAsync(form, "reference", "file", "vaesto.csv", Encoding.UTF8.GetBytes(csv));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(before, await LatestVersionAsync());
        var errors = UploadErrors(page);
        Assert.Equal(3, errors.Count);
        Assert.StartsWith(Format("repr.upload.lineColumn", 3, "count") + ":", errors[0], StringComparison.Ordinal);
        Assert.StartsWith(Format("repr.upload.lineColumn", 5, "municipality") + ":", errors[1], StringComparison.Ordinal);
        Assert.StartsWith(Format("repr.upload.lineColumn", 6, "count") + ":", errors[2], StringComparison.Ordinal);
        Assert.Contains("\"Helsinki\" is not one of the county's municipalities", WebUtility.HtmlDecode(errors[1]), StringComparison.Ordinal);
        Assert.Contains(Format("repr.upload.errorsTitle", 3), page.Text, StringComparison.Ordinal);
        Assert.Equal("true", page.Element("file")["aria-invalid"]);
        Assert.StartsWith("upload-errors", page.Element("file")["aria-describedby"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_about_the_whole_file_comes_first()
    {
        var (browser, _, form) = await CoordinatorAsync();
        string[] municipalities = ["Akaa", "Ikaalinen", "Kangasala", "Lempäälä", "Nokia", "Orivesi", "Parkano", "Pirkkala", "Ruovesi", "Sastamala", "Tampere", "Virrat"];
        string[] ages = ["15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"];
        // More bad lines than Membership lists: it says so about the whole file, then lists the first ones.
        var lines = Enumerable.Range(0, 101).Select(i => $"{municipalities[i % 12]},{ages[i / 12 % 8]},{(i < 96 ? "woman" : "man")},many");

        var page = await browser.SubmitFileAsync(form, "reference", "file", "vaesto.csv",
            Encoding.UTF8.GetBytes("municipality,age_band,gender,count\n" + string.Join('\n', lines) + "\n"));

        var errors = UploadErrors(page);
        Assert.True(errors.Count > 2, string.Join('\n', errors));
        Assert.StartsWith(Text("repr.upload.wholeFile") + ":", errors[0], StringComparison.Ordinal);
        Assert.StartsWith(Format("repr.upload.lineColumn", 2, "count"), errors[1], StringComparison.Ordinal);
    }

    [GeneratedRegex("<li>([\\s\\S]*?)</li>")]
    private static partial Regex ItemRegex();

    [GeneratedRegex("<ul class=\"upload-errors\">[\\s\\S]*?</ul>")]
    private static partial Regex ErrorListRegex();

    /// <summary>The listed upload errors as text, in the page's order.</summary>
    private static List<string> UploadErrors(Page page) =>
        [.. ItemRegex().Matches(ErrorListRegex().Match(page.Text).Value).Select(m => Regex.Replace(Regex.Replace(m.Groups[1].Value, "<[^>]+>", ""), "\\s+", " ").Trim())];
}
