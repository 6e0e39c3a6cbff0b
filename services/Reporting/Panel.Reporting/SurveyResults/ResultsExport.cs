using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;
using Panel.Privacy;

namespace Panel.Reporting.SurveyResults;

/// <summary>One line of an export: the aggregated results as (audience, question, part, category, measure, value).</summary>
/// <param name="PartLabel">The label of <paramref name="Part"/> (matrix row, ranked or budget option) in the export's language.</param>
/// <param name="CategoryLabel">The label of <paramref name="Category"/> (option or scale point) in the export's language.</param>
public sealed record ExportLine(string Audience, string QuestionId, string Question, string Part, string Category, string Measure, double? Value, bool Suppressed,
    string PartLabel = "", string CategoryLabel = "");

/// <summary>
/// CSV and XLSX of the results answer, line for line the same numbers. A hidden number is written as
/// <see cref="HiddenNumber.Symbol"/> (with suppressed = true), as on the pages, and the last line is the footnote
/// that explains the symbol in the export's language. Aggregates only: free texts are not exported.
/// </summary>
public static class ResultsExport
{
    public static readonly string[] Header = ["audience", "question_id", "question", "part", "category", "measure", "value", "suppressed", "part_label", "category_label"];

    public static IReadOnlyList<ExportLine> Lines(SurveyResultsResponse results, string language)
    {
        var lines = new List<ExportLine>();
        foreach (var audience in results.Audiences)
        {
            lines.Add(new ExportLine(audience.Audience, "", "", "", "", "respondents", audience.Respondents, audience.Respondents is null));
            foreach (var q in audience.Questions)
            {
                var text = InLanguage(q.Text, language);
                var labels = q.Labels;
                string Label(string id, params IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>?[] sources) =>
                    id.Length == 0 ? "" : sources.Select(src => src is not null && src.TryGetValue(id, out var l) ? InLanguage(l, language) : "").FirstOrDefault(l => l.Length > 0) ?? "";
                void Add(string part, string category, string measure, double? value, bool suppressed) =>
                    lines.Add(new ExportLine(audience.Audience, q.QuestionId, text, part, category, measure, value, suppressed,
                        Label(part, labels?.Rows, labels?.Options), Label(category, labels?.Options, labels?.Scale)));

                Add("", "", "respondents", q.Respondents, q.Respondents is null);
                foreach (var c in q.Counts ?? [])
                {
                    Add("", c.Id, "count", c.Value, c.Suppressed);
                    Add("", c.Id, "percent", c.Percent, c.Percent is null);
                }

                if (q.Type is "likert" or "nps" or "number")
                {
                    Add("", "", "mean", q.Mean, q.Mean is null);
                    Add("", "", "median", q.Median, q.Median is null);
                }

                if (q.Type == "nps") Add("", "", "nps", q.Nps, q.Nps is null);
                foreach (var row in q.Rows ?? [])
                {
                    Add(row.Id, "", "respondents", row.Respondents, row.Respondents is null);
                    foreach (var c in row.Counts)
                    {
                        Add(row.Id, c.Id, "count", c.Value, c.Suppressed);
                        Add(row.Id, c.Id, "percent", c.Percent, c.Percent is null);
                    }
                }

                foreach (var o in q.Options ?? [])
                {
                    if (q.Type == "ranking")
                    {
                        Add(o.Id, "", "average_rank", o.AverageRank, o.AverageRank is null);
                    }
                    else
                    {
                        Add(o.Id, "", "total", o.Total, o.Total is null);
                        Add(o.Id, "", "share", o.Share, o.Share is null);
                    }
                }
            }
        }

        // One footnote for the one symbol: measure "footnote", the symbol as its value, the text as its label.
        lines.Add(new ExportLine("", "", HiddenNumber.Footnote(language, results.MinimumGroupSize), "", "", "footnote", null, true));
        return lines;
    }

    private static string InLanguage(IReadOnlyDictionary<string, string> texts, string language) =>
        texts.TryGetValue(language, out var t) && t.Length > 0 ? t : texts.TryGetValue("fi", out var fi) ? fi : texts.Values.FirstOrDefault() ?? "";

    private static string[] Cells(ExportLine l) =>
        [l.Audience, l.QuestionId, l.Question, l.Part, l.Category, l.Measure, l.Value?.ToString(CultureInfo.InvariantCulture) ?? (l.Suppressed ? HiddenNumber.Symbol : ""), l.Suppressed ? "true" : "false",
            l.PartLabel, l.CategoryLabel];

    public static byte[] Csv(IReadOnlyList<ExportLine> lines)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(',', Header)).Append("\r\n");
        foreach (var line in lines)
        {
            sb.Append(string.Join(',', Cells(line).Select(CsvField))).Append("\r\n");
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    /// <summary>
    /// A text that could start like a spreadsheet formula gets a leading apostrophe, which keeps it text: = + - @, tab and
    /// carriage return, and their full-width forms (＝ ＋ － ＠), which spreadsheets read as the same. A plain number stays.
    /// </summary>
    public static string Defuse(string s) =>
        s.Length > 0 && "=+-@\t\r\uFF1D\uFF0B\uFF0D\uFF20".Contains(s[0]) && !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? "'" + s : s;

    // Characters XML 1.0 cannot hold are left out of the sheet.
    private static string XmlSafe(string s) => new(s.Where(ch => ch is '\t' or '\n' or '\r' || ch >= ' ').ToArray());

    private static string CsvField(string s)
    {
        s = Defuse(s);
        return s.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }

    /// <summary>A workbook with one sheet "Results" (SpreadsheetML written directly: numbers as numbers, texts inline).</summary>
    public static byte[] Xlsx(IReadOnlyList<ExportLine> lines)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Entry(string name, string content)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.Fastest).Open(), new UTF8Encoding(false));
                writer.Write(content);
            }

            Entry("[Content_Types].xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>
                """);
            Entry("_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
                """);
            Entry("xl/workbook.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Results" sheetId="1" r:id="rId1"/></sheets></workbook>
                """);
            Entry("xl/_rels/workbook.xml.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>
                """);

            var sheet = new StringBuilder("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""");
            void Row(int index, IEnumerable<(string Text, double? Number)> cells)
            {
                sheet.Append(CultureInfo.InvariantCulture, $"<row r=\"{index}\">");
                var col = 0;
                foreach (var (text, number) in cells)
                {
                    var reference = $"{(char)('A' + col++)}{index}";
                    if (number is { } n)
                    {
                        sheet.Append(CultureInfo.InvariantCulture, $"<c r=\"{reference}\"><v>{n.ToString("R", CultureInfo.InvariantCulture)}</v></c>");
                    }
                    else if (text.Length > 0)
                    {
                        sheet.Append(CultureInfo.InvariantCulture, $"<c r=\"{reference}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{SecurityElement.Escape(XmlSafe(Defuse(text)))}</t></is></c>");
                    }
                }

                sheet.Append("</row>");
            }

            Row(1, Header.Select(h => (h, (double?)null)));
            var r = 2;
            foreach (var line in lines)
            {
                var cells = Cells(line);
                Row(r++, cells.Select((c, i) => i == 6 ? (line.Value is null ? c : "", line.Value) : (c, (double?)null)));
            }

            sheet.Append("</sheetData></worksheet>");
            Entry("xl/worksheets/sheet1.xml", sheet.ToString());
        }

        return output.ToArray();
    }
}
