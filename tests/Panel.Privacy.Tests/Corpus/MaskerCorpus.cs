using System.Globalization;
using System.Text;

namespace Panel.Privacy.Corpus;

/// <summary>One line of the masker corpus: the text and the personal data it holds (kind, where).</summary>
public sealed record CorpusLine(int LineNumber, string Text, IReadOnlyList<PersonalDataMatch> Labels, string? Note);

/// <summary>How the masker did on one kind: labelled spans found, labelled spans missed, masked spans that were not that kind's data.</summary>
public sealed record KindScore(PersonalDataKind Kind, int Labelled, int Found, int Missed, int Masked, int Wrong)
{
    /// <summary>Of the spans masked as this kind, the share that covered a labelled span of this kind (1 when none was masked).</summary>
    public double Precision => Masked == 0 ? 1 : (Masked - Wrong) / (double)Masked;

    /// <summary>Of the labelled spans of this kind, the share covered by a span masked as this kind.</summary>
    public double Recall => Labelled == 0 ? 1 : Found / (double)Labelled;
}

/// <summary>A miss (a labelled span no span of its kind covered) or a wrong mask (a masked span covering no label of its kind).</summary>
public sealed record CorpusMistake(int LineNumber, PersonalDataKind Kind, string Span, string Text, bool IsMiss);

/// <summary>
/// The labelled corpus of free text (masker-corpus.tsv) and its scoring: a labelled span counts as found when a span the
/// masker found, of the same kind, covers it whole; a found span counts as right when it covers a labelled span of its kind.
/// Shared by the test that asserts the targets and by <c>Panel.Load masker</c>, which prints the same figures.
/// </summary>
public static class MaskerCorpus
{
    public const string FileName = "masker-corpus.tsv";

    private static readonly Dictionary<string, PersonalDataKind> Kinds = new(StringComparer.Ordinal)
    {
        ["id"] = PersonalDataKind.IdentityCode,
        ["phone"] = PersonalDataKind.Phone,
        ["email"] = PersonalDataKind.Email,
        ["iban"] = PersonalDataKind.Iban,
    };

    /// <summary>The corpus as copied beside the running assembly.</summary>
    public static IReadOnlyList<CorpusLine> Load(string? path = null) =>
        Parse(File.ReadAllLines(path ?? Path.Combine(AppContext.BaseDirectory, "Corpus", FileName), Encoding.UTF8));

    public static IReadOnlyList<CorpusLine> Parse(IEnumerable<string> lines)
    {
        var result = new List<CorpusLine>();
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var columns = line.Split('\t');
            var text = columns[0];
            var labels = new List<PersonalDataMatch>();
            string? note = null;
            var taken = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var column in columns.Skip(1))
            {
                if (column.StartsWith('#'))
                {
                    note = column[1..];
                    continue;
                }

                var colon = column.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0 || !Kinds.TryGetValue(column[..colon], out var kind))
                {
                    throw new FormatException($"Line {number}: '{column}' is not 'kind:substring' with a kind of {string.Join(", ", Kinds.Keys)}.");
                }

                // The nth label of the same substring is its nth occurrence in the text.
                var value = column[(colon + 1)..];
                var from = taken.GetValueOrDefault(value);
                var at = text.IndexOf(value, from, StringComparison.Ordinal);
                if (value.Length == 0 || at < 0)
                {
                    throw new FormatException($"Line {number}: the labelled '{value}' is not in the text.");
                }

                taken[value] = at + value.Length;
                labels.Add(new PersonalDataMatch(kind, at, value.Length));
            }

            result.Add(new CorpusLine(number, text, labels, note));
        }

        return result;
    }

    /// <summary>Scores <paramref name="find"/> (the masker's Find) on the corpus, per kind, with every mistake.</summary>
    public static (IReadOnlyList<KindScore> Scores, IReadOnlyList<CorpusMistake> Mistakes) Score(
        IReadOnlyList<CorpusLine> corpus, Func<string, IReadOnlyList<PersonalDataMatch>> find)
    {
        var mistakes = new List<CorpusMistake>();
        var scores = new List<KindScore>();
        var found = corpus.Select(line => find(line.Text)).ToList();
        foreach (var kind in Kinds.Values)
        {
            int labelled = 0, hit = 0, masked = 0, wrong = 0;
            for (var i = 0; i < corpus.Count; i++)
            {
                var line = corpus[i];
                var ours = found[i].Where(f => f.Kind == kind).ToList();
                foreach (var label in line.Labels.Where(l => l.Kind == kind))
                {
                    labelled++;
                    if (ours.Any(f => Covers(f, label)))
                    {
                        hit++;
                    }
                    else
                    {
                        mistakes.Add(new CorpusMistake(line.LineNumber, kind, Span(line.Text, label), line.Text, IsMiss: true));
                    }
                }

                foreach (var f in ours)
                {
                    masked++;
                    if (!line.Labels.Any(l => l.Kind == kind && Covers(f, l)))
                    {
                        wrong++;
                        mistakes.Add(new CorpusMistake(line.LineNumber, kind, Span(line.Text, f), line.Text, IsMiss: false));
                    }
                }
            }

            scores.Add(new KindScore(kind, labelled, hit, labelled - hit, masked, wrong));
        }

        return (scores, mistakes);
    }

    /// <summary>The per-kind table as printed by the test and by <c>Panel.Load masker</c>.</summary>
    public static string Table(IEnumerable<KindScore> scores)
    {
        var table = new StringBuilder();
        table.AppendLine("kind          labelled  found  missed  masked  wrong  precision  recall");
        foreach (var s in scores)
        {
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{s.Kind,-12}  {s.Labelled,8}  {s.Found,5}  {s.Missed,6}  {s.Masked,6}  {s.Wrong,5}  {s.Precision,9:0.000}  {s.Recall,6:0.000}"));
        }

        return table.ToString();
    }

    private static bool Covers(PersonalDataMatch outer, PersonalDataMatch inner) =>
        outer.Index <= inner.Index && outer.Index + outer.Length >= inner.Index + inner.Length;

    private static string Span(string text, PersonalDataMatch m) => text.Substring(m.Index, m.Length);
}
