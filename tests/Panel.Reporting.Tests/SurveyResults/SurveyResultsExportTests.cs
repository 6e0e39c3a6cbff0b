using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Xml.Linq;
using static Panel.Reporting.Tests.SurveyResults.SurveyTestData;

namespace Panel.Reporting.Tests.SurveyResults;

/// <summary>The exports hold the same numbers as the results answer (parsed back from CSV and from the XLSX's XML).</summary>
public sealed class SurveyResultsExportTests(StatisticsHost host) : IClassFixture<StatisticsHost>
{
    private static readonly XNamespace S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    private static List<string> ParseCsvLine(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else field.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(ch);
        }

        fields.Add(field.ToString());
        return fields;
    }

    private static string? Find(IEnumerable<string[]> rows, string audience, string question, string part, string category, string measure) =>
        rows.Single(r => r[0] == audience && r[1] == question && r[3] == part && r[4] == category && r[5] == measure)[6];

    [Fact]
    public async Task Csv_holds_the_results_numbers_with_a_header_and_question_texts()
    {
        var client = host.As(Staff.Coordinator());
        var response = await client.GetAsync($"/api/reporting/surveys/{host.SurveyId}/results.csv?lang=en");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var text = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF');
        var rows = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(ParseCsvLine).ToList();
        Assert.Equal(["audience", "question_id", "question", "part", "category", "measure", "value", "suppressed", "part_label", "category_label"], rows[0]);
        var data = rows.Skip(1).Select(r => r.ToArray()).ToList();
        Assert.All(data, r => Assert.Equal(10, r.Length));
        // Labels in the export's language: an option, a matrix row with a scale point, a budget option.
        Assert.Equal("a (en)", data.First(r => r[1] == "single" && r[4] == "a")[9]);
        var matrixCell = data.First(r => r[1] == "matrix" && r[3] == "m1" && r[4] == "s2");
        Assert.Equal(("m1 (en)", "s2 (en)"), (matrixCell[8], matrixCell[9]));
        Assert.Equal("p1 (en)", data.First(r => r[1] == "budget" && r[3] == "p1")[8]);
        Assert.Equal("10", Find(data, "panel", "single", "", "a", "count"));
        Assert.Equal("50", Find(data, "panel", "single", "", "a", "percent"));
        Assert.Equal("40", Find(data, "panel", "nps", "", "", "nps"));
        Assert.Equal("3.6", Find(data, "panel", "likert", "", "", "mean"));
        // The one footnote, in the export's language, explains the one symbol of hidden numbers.
        var footnote = data.Single(r => r[5] == "footnote");
        Assert.Equal(("..", "true"), (footnote[6], footnote[7]));
        Assert.StartsWith(".. = hidden to protect anonymity", footnote[2]);
        Assert.Equal("150", Find(data, "panel", "budget", "p1", "", "total"));
        Assert.Equal("1.5", Find(data, "panel", "rank", "r2", "", "average_rank"));
        Assert.Equal("5", Find(data, "open-link", "single", "", "c", "count"));
        Assert.Contains(data, r => r[2] == "Question single (en)");
        Assert.DoesNotContain("palaute", text); // aggregates only
    }

    [Fact]
    public async Task Xlsx_is_a_workbook_with_the_same_numbers_as_numbers()
    {
        var client = host.As(Staff.Coordinator());
        var response = await client.GetAsync($"/api/reporting/surveys/{host.SurveyId}/results.xlsx?municipality=Urjala");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync());
        Assert.NotNull(zip.GetEntry("[Content_Types].xml"));
        Assert.NotNull(zip.GetEntry("xl/workbook.xml"));
        var sheet = XDocument.Load(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        var rows = sheet.Descendants(S + "row").Select(r => r.Elements(S + "c").ToDictionary(
            c => ((string)c.Attribute("r")!)[0],
            c => (string?)c.Element(S + "v") ?? (string?)c.Element(S + "is")?.Element(S + "t") ?? "")).ToList();
        Assert.Equal("audience", rows[0]['A']);
        string Value(string question, string category, string measure) =>
            rows.Skip(1).Single(r => r.GetValueOrDefault('B') == question && r.GetValueOrDefault('E', "") == category && r['F'] == measure && r.GetValueOrDefault('D', "") == "")['G'];
        Assert.Equal(6, double.Parse(Value("single", "b", "count"), CultureInfo.InvariantCulture));
        Assert.Equal(60, double.Parse(Value("single", "b", "percent"), CultureInfo.InvariantCulture));
        Assert.Equal("..", rows.Single(r => r.GetValueOrDefault('F') == "footnote")['G']);
        Assert.StartsWith(".. = piilotettu", rows.Single(r => r.GetValueOrDefault('F') == "footnote")['C']);
        var numberCell = sheet.Descendants(S + "c").First(c => ((string)c.Attribute("r")!).StartsWith('G') && c.Element(S + "v") is not null);
        Assert.Null(numberCell.Attribute("t")); // a number, not text
    }
}
