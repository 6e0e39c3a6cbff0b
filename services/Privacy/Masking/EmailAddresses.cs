using System.Buffers;
using System.Text.RegularExpressions;

namespace Panel.Privacy;

/// <summary>
/// Email addresses as people write them: "nimi@example.fi" and with spaces around the "@" or a full-width "＠"; the "@"
/// written "(at)", "[at]", "{at}", "&lt;at&gt;", "(a)", " at ", " ät ", "(ät)", " miukumauku ", " kissanhäntä ", " snabel-a ";
/// the dots written "dot", "piste", "punkt", also in brackets, or " . " with spaces. A spelled-out address ends in a known top-level domain,
/// so that an ordinary sentence with "at" and "dot" in it stays.
/// </summary>
public static partial class PersonalDataMasker
{
    private const string LocalPart = @"[\p{L}\p{N}_%+-](?:[\p{L}\p{N}._%+-]{0,62}[\p{L}\p{N}_%+-])?";
    private const string Label = @"[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?";
    private const string SpelledDot = @"(?:[ \u00A0]?[(\[{<](?:dot|piste|punkt)[)\]}>][ \u00A0]?|[ \u00A0](?:dot|piste|punkt|\.)[ \u00A0])";
    private const string Dot = @"(?:\.|" + SpelledDot + ")";

    /// <summary>Top-level domains a spelled-out address may end in: generic ones and the ccTLDs Panel's residents use.</summary>
    private const string KnownTopLevelDomains =
        "com|net|org|info|biz|edu|gov|int|mil|name|pro|mobi|email|online|site|app|dev|io|me|co|tv|eu|fi|ax|se|no|dk|is|ee|lv|lt|de|at|ch|nl|be|lu"
        + "|fr|es|pt|it|ie|uk|pl|cz|sk|hu|ro|bg|gr|ru|ua|by|tr|us|ca|au|nz|jp|cn|in|br|nu";

    /// <summary>"name@domain.tld", the "@" written as it is (half- or full-width), with at most one space on either side.</summary>
    [GeneratedRegex(
        @"(?<![\p{L}\p{N}._%+-])(?<local>" + LocalPart + @")(?<space>[ \u00A0]?)[@\uFF20][ \u00A0]?" + Label + @"(?:\." + Label + @")*\.\p{L}{2,24}(?![\p{L}\p{N}]|\.[\p{L}\p{N}])",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture, TimeoutMilliseconds)]
    private static partial Regex EmailPattern();

    /// <summary>An address with the "@" or the dots spelled out; it ends in a known top-level domain.</summary>
    [GeneratedRegex(
        @"(?<![\p{L}\p{N}._%+-])(?<local>" + LocalPart + @"(?:" + SpelledDot + LocalPart + @"){0,4})"
        + @"(?:(?<space>[ \u00A0]?)(?:[@\uFF20]|[(\[{<](?:at|ät|a|et)[)\]}>])[ \u00A0]?|(?<word>[ \u00A0](?:at|ät|miukumauku|kissanhäntä|snabel-a)[ \u00A0]))"
        + Label + @"(?:" + Dot + Label + @"){0,4}" + Dot + @"(?:" + KnownTopLevelDomains + @")(?![\p{L}\p{N}]|\.[\p{L}\p{N}])",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture, TimeoutMilliseconds)]
    private static partial Regex SpelledEmailPattern();

    /// <summary>
    /// Words that name or lead to an address rather than being its name: "osoite @example.fi", "works at example dot com".
    /// A name separated from its "@" by a space, or from a spelled "at", is not one of these.
    /// </summary>
    private static readonly HashSet<string> NotAnAddressName = new(StringComparer.OrdinalIgnoreCase)
    {
        "osoite", "osoitteeseen", "osoitteesta", "osoitteella", "sähköposti", "sähköpostiin", "sähköpostitse", "sposti", "s-posti", "meili", "email",
        "e-mail", "mail", "e-post", "epost", "address", "adress", "adressen", "contact", "yhteys", "yhteystiedot", "is", "was", "were", "are", "am",
        "be", "been", "me", "us", "him", "her", "them", "it", "this", "that", "i", "you", "he", "she", "we", "they", "work", "works", "worked",
        "working", "job", "study", "studies", "studied", "studying", "live", "lives", "lived", "living", "stay", "stayed", "staying", "arrive",
        "arrived", "look", "looked", "looking", "meet", "met", "home", "here", "there", "now", "only", "all", "best", "good", "bad", "great",
        "available", "found", "find", "sold", "buy", "bought", "shop", "shopping", "employed", "treated", "seen", "waiting", "waited", "wait",
        "and", "or", "not", "but", "also", "still", "even", "just", "ja", "tai", "on", "oli", "och", "eller", "är", "var",
    };

    /// <summary>Each way of writing the "@": a text with none of them holds no address, and the patterns need not run.</summary>
    private static readonly SearchValues<string> AtSigns = SearchValues.Create(
        ["@", "\uFF20", "at", "ät", "(a)", "[a]", "{a}", "<a>", "(et)", "miukumauku", "kissanhäntä", "snabel-a"], StringComparison.OrdinalIgnoreCase);

    private static void FindEmails(string text, List<PersonalDataMatch> found)
    {
        if (!HasAtSign(text))
        {
            return;
        }

        if (text.AsSpan().IndexOfAny('@', '\uFF20') >= 0)
        {
            foreach (Match m in EmailPattern().Matches(text))
            {
                if (IsAddressName(m))
                {
                    AddUnlessOverlapping(found, new PersonalDataMatch(PersonalDataKind.Email, m.Index, m.Length));
                }
            }
        }

        foreach (Match m in SpelledEmailPattern().Matches(text))
        {
            if (IsAddressName(m))
            {
                AddUnlessOverlapping(found, new PersonalDataMatch(PersonalDataKind.Email, m.Index, m.Length));
            }
        }
    }

    /// <summary>
    /// Whether the text writes an "@" in any way, as a whole word where it is a word: most answers do not, and the
    /// spelled-out pattern, which may start at any word, then need not run.
    /// </summary>
    private static bool HasAtSign(string text)
    {
        var span = text.AsSpan();
        for (var at = span.IndexOfAny(AtSigns); at >= 0;)
        {
            var c = char.ToLowerInvariant(span[at]);
            if (c is '@' or '\uFF20' or '(' or '[' or '{' or '<')
            {
                return true;
            }

            // "at", "ät" and the spelled words count only between spaces or brackets.
            var end = at;
            while (end < span.Length && (char.IsLetter(span[end]) || span[end] == '-'))
            {
                end++;
            }

            if (at > 0 && span[at - 1] is ' ' or '\u00A0' or '(' or '[' or '{' or '<' && end < span.Length && span[end] is ' ' or '\u00A0' or ')' or ']' or '}' or '>')
            {
                return true;
            }

            var next = span[(at + 1)..].IndexOfAny(AtSigns);
            at = next < 0 ? -1 : at + 1 + next;
        }

        return false;
    }

    private static bool IsAddressName(Match m) =>
        (m.Groups["space"].Length == 0 && !m.Groups["word"].Success) || !NotAnAddressName.Contains(m.Groups["local"].Value);
}
