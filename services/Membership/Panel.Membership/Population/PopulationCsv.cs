using System.Globalization;
using System.Text;
using CsvHelper;
using Panel.Membership.Members;

namespace Panel.Membership.Population;

/// <summary>One valid line of a population reference file, with the names as configured.</summary>
public sealed record PopulationRow(string Municipality, string AgeBand, string Gender, int Count);

/// <summary>The rows of a valid file, or the problems of an invalid one (keys "file", "line N", "line N.column").</summary>
public sealed record PopulationCsvResult(IReadOnlyList<PopulationRow> Rows, Dictionary<string, string[]> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Reads and checks a population reference file: a header <c>municipality,age_band,gender,count</c> (in any
/// order, any case) and one line per group, separated by commas or by semicolons as Excel writes CSV in a
/// Finnish locale; UTF-8 with or without a byte order mark. Every line is checked and every problem reported,
/// so the coordinator can fix the file in one go.
/// </summary>
public static class PopulationCsv
{
    public const int MaxRows = 5000;
    public const int MaxCount = 10_000_000;
    /// <summary>Beyond this many bad lines the rest are counted, not listed: the answer stays small.</summary>
    public const int MaxLinesReported = 100;

    public const string FileKey = "file";
    public static readonly IReadOnlyList<string> Columns = ["municipality", "age_band", "gender", "count"];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static PopulationCsvResult Parse(ReadOnlySpan<byte> bytes, IReadOnlyList<string> municipalities)
    {
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return FileError("The file is not UTF-8 text. In Excel, save it as \"CSV UTF-8 (comma delimited)\".");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return FileError($"The file is empty. It needs the header {string.Join(',', Columns)} and a line for each group.");
        }

        if (text.Contains('\0', StringComparison.Ordinal) || text.Any(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t')))
        {
            return FileError("The file is not a CSV text file.");
        }

        var firstLine = text.AsSpan(0, IndexOfLineEnd(text));
        var separator = firstLine.Contains(';') ? ';' : ',';
        var malformed = new Dictionary<long, CsvMalformedReason>();
        var options = CsvReaderOptions.Default with
        {
            Separator = separator,
            HasHeader = true,
            TrackLineNumbers = true,
            // A stray quote ends at the line break instead of swallowing the rest of the file.
            AllowLineBreaksInQuotes = false,
            TrimWhitespace = true,
            DetectSeparatorHint = false,
            IncludeValuesInExceptions = false,
            OnMalformedRecord = r => malformed.TryAdd(r.LineNumber, r.Reason),
        };

        using var reader = CsvReader.FromText(text, options);
        var header = reader.Headers.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var index = Columns.ToDictionary(c => c, c => header.IndexOf(c));
        if (header.Count != Columns.Count || index.Values.Any(i => i < 0))
        {
            var found = firstLine.Length > 200 ? string.Concat(firstLine[..200], "…") : firstLine.ToString();
            return FileError($"The first line must be the header {string.Join(',', Columns)} (or with ';' between the names); found \"{found}\".");
        }

        var errors = new Dictionary<string, string[]>();
        var rows = new List<PopulationRow>();
        var seen = new Dictionary<(string, string, string), long>();
        var municipalityNames = string.Join(", ", municipalities);
        int dataRows = 0, badLines = 0;
        while (reader.Read())
        {
            var fields = Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetString(i)?.Trim() ?? "").ToArray();
            // Excel writes the separators alone for a row it thinks is in use but empty.
            if (fields.All(f => f.Length == 0))
            {
                continue;
            }

            if (++dataRows > MaxRows)
            {
                return FileError($"The file has more than {MaxRows} rows of groups. A county's population has far fewer groups: check that this is the right file.");
            }

            var line = reader.LineNumber;
            var lineErrors = new Dictionary<string, string[]>();
            if (malformed.TryGetValue(line, out var reason))
            {
                lineErrors[$"line {line}"] = [$"The quotes on this line are not valid CSV ({Describe(reason)})."];
            }
            else if (fields.Length != Columns.Count)
            {
                lineErrors[$"line {line}"] = [$"The line has {fields.Length} value{(fields.Length == 1 ? "" : "s")}; it needs {Columns.Count}, separated by '{separator}': {string.Join(separator, Columns)}."];
            }
            else
            {
                var row = CheckLine(line, fields, index, municipalities, municipalityNames, lineErrors);
                if (row is not null)
                {
                    var key = (row.Municipality, row.AgeBand, row.Gender);
                    if (seen.TryGetValue(key, out var first))
                    {
                        lineErrors[$"line {line}"] = [$"{row.Municipality}, {row.AgeBand}, {row.Gender} is on line {first} already; each group may be given once."];
                    }
                    else
                    {
                        seen[key] = line;
                        rows.Add(row);
                    }
                }
            }

            if (lineErrors.Count > 0 && ++badLines <= MaxLinesReported)
            {
                foreach (var (k, v) in lineErrors)
                {
                    errors[k] = v;
                }
            }
        }

        if (badLines > MaxLinesReported)
        {
            errors[FileKey] = [$"{badLines} lines have problems; the first {MaxLinesReported} are listed."];
        }
        else if (badLines == 0 && dataRows == 0)
        {
            errors[FileKey] = ["The file has the header but no groups under it."];
        }
        else if (badLines == 0 && rows.Sum(r => (long)r.Count) == 0)
        {
            errors[FileKey] = ["Every count is 0: a population reference needs residents."];
        }

        return new PopulationCsvResult(errors.Count == 0 ? rows : [], errors);
    }

    private static PopulationRow? CheckLine(
        long line, string[] fields, Dictionary<string, int> index, IReadOnlyList<string> municipalities, string municipalityNames,
        Dictionary<string, string[]> errors)
    {
        var municipalityValue = fields[index["municipality"]];
        var ageBandValue = fields[index["age_band"]];
        var genderValue = fields[index["gender"]];
        var countValue = fields[index["count"]];

        // Names are matched without case, and stored as configured.
        var municipality = municipalities.FirstOrDefault(m => string.Equals(m, municipalityValue, StringComparison.OrdinalIgnoreCase));
        if (municipality is null)
        {
            errors[$"line {line}.municipality"] = [municipalityValue.Length == 0
                ? $"The municipality is missing. It is one of the county's municipalities: {municipalityNames}."
                : $"\"{Shorten(municipalityValue)}\" is not one of the county's municipalities: {municipalityNames}."];
        }

        var ageBand = AgeBands.All.FirstOrDefault(a => a == ageBandValue);
        if (ageBand is null)
        {
            errors[$"line {line}.age_band"] = [ageBandValue.Length == 0
                ? $"The age band is missing. It is one of: {string.Join(", ", AgeBands.All)}."
                : $"\"{Shorten(ageBandValue)}\" is not an age band. The age bands are: {string.Join(", ", AgeBands.All)}."];
        }

        var gender = PopulationGenders.All.FirstOrDefault(g => string.Equals(g, genderValue, StringComparison.OrdinalIgnoreCase));
        if (gender is null)
        {
            errors[$"line {line}.gender"] = [genderValue.Length == 0
                ? "The gender is missing. It is woman or man."
                : $"\"{Shorten(genderValue)}\" is not a gender of the population statistics, which have two: woman and man."];
        }

        int? count = null;
        if (countValue.Length > 0 && countValue.All(char.IsAsciiDigit)
            && int.TryParse(countValue, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed <= MaxCount)
        {
            count = parsed;
        }
        else
        {
            var allowed = $"The count is a whole number from 0 to {MaxCount}, written with digits only (no spaces or separators).";
            errors[$"line {line}.count"] = [countValue.Length == 0
                ? "The count is missing. " + allowed
                : countValue.StartsWith('-') && countValue.Length > 1 && countValue[1..].All(char.IsAsciiDigit)
                    ? $"\"{Shorten(countValue)}\" is negative. {allowed}"
                    : countValue.All(char.IsAsciiDigit)
                        ? $"\"{Shorten(countValue)}\" is too large. {allowed}"
                        : $"\"{Shorten(countValue)}\" is not a whole number. {allowed}"];
        }

        return municipality is null || ageBand is null || gender is null || count is null
            ? null
            : new PopulationRow(municipality, ageBand, gender, count.Value);
    }

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "a quote inside a value that does not start with one",
        CsvMalformedReason.TextAfterClosingQuote => "text after a closing quote",
        CsvMalformedReason.UnterminatedQuote or CsvMalformedReason.LineBreakInQuotes => "a quote that is not closed on the line",
        _ => "malformed quoting",
    };

    private static int IndexOfLineEnd(string text)
    {
        var end = text.AsSpan().IndexOfAny('\r', '\n');
        return end < 0 ? text.Length : end;
    }

    private static string Shorten(string value) => value.Length > 60 ? value[..60] + "…" : value;

    private static PopulationCsvResult FileError(string message) =>
        new([], new Dictionary<string, string[]> { [FileKey] = [message] });
}
