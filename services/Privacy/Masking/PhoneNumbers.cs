using System.Text.RegularExpressions;

namespace Panel.Privacy;

/// <summary>
/// Phone numbers as people write them: Finnish ("040 123 4567", "040-1234567", "040.123.4567", "040/123 4567",
/// "(09) 123 4567", "09-123 456", "0800 123 456") and international ("+358 40 123 4567", "+358 (0)40…", "358 40…",
/// "00358…", "+46 8 123 456 78", "+1 (555) 123-4567"). A candidate is a run of digits with single separators between
/// them; it counts when its digits have a phone number's shape and it is not a date, a time, an amount or a number
/// that its own words call something else ("tilausnumero 0012345678").
/// </summary>
public static partial class PersonalDataMasker
{
    /// <summary>
    /// Starts with "+", "00", "0", "(0", "(+" or "358" where no word or number goes on before it; digits with at most
    /// three separators between them (atomic: a run is taken whole and then judged, never re-split by backtracking).
    /// </summary>
    [GeneratedRegex(
        @"(?<![\p{L}\p{N}+]|\d[ \u00A0\-./\u2013])(?>(?:\+[ \u00A0]?\(?|\(\+?|)\d(?:[ \u00A0()\-./\u2010\u2011\u2013]{0,3}\d){4,24})(?![\p{L}\p{N}])",
        RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex PhoneCandidatePattern();

    /// <summary>Words right before a number that call it something other than a phone number (start of the word, any ending).</summary>
    private static readonly string[] NotAPhoneWords =
    [
        "tilaus", "lasku", "viite", "asiakasnumero", "asiakasnro", "potilasnumero", "tapausnumero", "diaari", "dnro", "kuitti", "kuitin",
        "lähetystunnus", "lähetysnumero", "seuranta", "paketti", "sarjanumero", "tuotenumero", "tuotekoodi", "tuote", "y-tunnus", "isbn", "issn",
        "order", "invoice", "ref", "reference", "case", "ticket", "serial", "tracking", "ordernummer", "faktura", "referens", "kundnummer",
        "ärende", "serienummer", "sn", "versio", "version", "koodi", "code", "pin", "tili", "konto", "account",
    ];

    /// <summary>Words that may stand between such a word and the number ("laskun numero 0034…").</summary>
    private static readonly string[] NumberWords = ["numero", "nro", "no", "nr", "number", "nummer", "num"];

    /// <summary>Units and currencies after a number that make it an amount ("+1 234 567 €").</summary>
    private static readonly HashSet<string> Units = new(StringComparer.OrdinalIgnoreCase)
    {
        "€", "e", "eur", "euro", "euroa", "euros", "$", "£", "kr", "sek", "%", "kpl", "st", "pcs", "cm", "mm", "m", "km", "kg", "g", "mg", "ml",
        "l", "min", "h", "s", "°c", "astetta", "henkeä", "asukasta", "people",
    };

    private static void FindPhones(string text, List<PersonalDataMatch> found)
    {
        foreach (Match m in PhoneCandidatePattern().Matches(text))
        {
            // Two numbers written one after the other are one run; take the longest phone-shaped start, then the rest.
            var start = m.Index;
            var end = m.Index + m.Length;
            while (start < end)
            {
                var length = LongestPhoneAt(text, start, end);
                if (length > 0)
                {
                    AddUnlessOverlapping(found, new PersonalDataMatch(PersonalDataKind.Phone, start, length));
                    start = NextGroupStart(text, start + length, end);
                }
                else
                {
                    break;
                }
            }
        }
    }

    /// <summary>The length of the longest prefix of text[start..end] that ends at a group's end and is a phone number, or 0.</summary>
    private static int LongestPhoneAt(string text, int start, int end)
    {
        for (var stop = end; stop > start; stop = PreviousGroupEnd(text, start, stop))
        {
            if (IsPhone(text, start, stop))
            {
                return stop - start;
            }
        }

        return 0;
    }

    /// <summary>The end of the digit group before the whitespace preceding <paramref name="stop"/> (0-length when there is none).</summary>
    private static int PreviousGroupEnd(string text, int start, int stop)
    {
        var i = stop - 1;
        while (i > start && !char.IsWhiteSpace(text[i]))
        {
            i--;
        }

        while (i > start && !char.IsAsciiDigit(text[i]))
        {
            i--;
        }

        return i > start ? i + 1 : start;
    }

    private static int NextGroupStart(string text, int from, int end)
    {
        while (from < end && !(char.IsAsciiDigit(text[from]) || text[from] is '+' or '(') )
        {
            from++;
        }

        return from;
    }

    private static bool IsPhone(string text, int start, int stop)
    {
        var candidate = text.AsSpan(start, stop - start);
        Span<char> digits = stackalloc char[candidate.Length];
        var n = 0;
        var groups = 0;
        var singleDigitGroups = 0;
        var firstGroup = 0;
        var groupLength = 0;
        var dateLike = false;
        char previousSeparator = '\0';
        var previousGroup = 0;
        var trunkZero = candidate.IndexOf("(0)", StringComparison.Ordinal);
        for (var i = 0; i < candidate.Length; i++)
        {
            var c = candidate[i];
            if (char.IsAsciiDigit(c))
            {
                if (trunkZero >= 0 && i == trunkZero + 1)
                {
                    continue; // "+358 (0)40": the trunk zero is not dialled from abroad
                }

                digits[n++] = c;
                groupLength++;
                continue;
            }

            if (groupLength > 0)
            {
                CloseGroup();
            }

            previousSeparator = c == ' ' && previousSeparator is '.' or '/' or ':' ? previousSeparator : c;
        }

        CloseGroup();
        var number = digits[..n];
        var international = candidate[0] == '+' || candidate.StartsWith("(+", StringComparison.Ordinal);
        if (international)
        {
            // E.164: at most 15 digits; North America's +1 is followed by exactly ten.
            return n is >= 8 and <= 15 && number[0] != '0' && (number[0] != '1' || n == 11) && !IsAmount(text, stop);
        }

        if (NamedOtherwise(text, start) || IsAmount(text, stop))
        {
            return false;
        }

        if (number.StartsWith("00"))
        {
            var rest = number[2..];
            return rest.Length is >= 8 and <= 15 && rest[0] != '0' && (rest[0] != '1' || rest.Length == 11);
        }

        if (number.StartsWith("358") && firstGroup is 3 or 12)
        {
            return n is >= 10 and <= 13 && !dateLike;
        }

        // "020663–3181": six digits that are a date, then four, is an identity code with a wrong check, not a phone number.
        if (groups == 2 && firstGroup == 6 && n == 10 && IsDate(number[..6]))
        {
            return false;
        }

        // A Finnish number: trunk 0, an area or operator code that does not start with 0, 7 to 11 digits, not a date or a time.
        return number[0] == '0' && n is >= MinPhoneDigits and <= 11 && number[1] != '0' && firstGroup >= 2
            && singleDigitGroups == 0 && !dateLike;

        void CloseGroup()
        {
            if (groupLength == 0)
            {
                return;
            }

            groups++;
            if (groups == 1)
            {
                firstGroup = groupLength;
            }

            singleDigitGroups += groupLength == 1 ? 1 : 0;

            // "01.02.2024", "09.00-10.00", "1/2": two short groups joined by a dot or a slash are a date or a time.
            if (groups == 2 && previousGroup <= 2 && groupLength <= 2 && previousSeparator is '.' or '/' or ':')
            {
                dateLike = true;
            }

            previousGroup = groupLength;
            groupLength = 0;
        }
    }

    private static bool IsDate(ReadOnlySpan<char> ddmmyy)
    {
        var day = (ddmmyy[0] - '0') * 10 + (ddmmyy[1] - '0');
        var month = (ddmmyy[2] - '0') * 10 + (ddmmyy[3] - '0');
        return month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(2000, month);
    }

    /// <summary>Whether the words right before the number call it something else: "tilausnumero", "laskun numero", "ref".</summary>
    private static bool NamedOtherwise(string text, int start)
    {
        var i = start;
        for (var words = 0; words < 2; words++)
        {
            while (i > 0 && (char.IsWhiteSpace(text[i - 1]) || text[i - 1] is ':' or '#' or '.' or '=' or ','))
            {
                i--;
            }

            var wordEnd = i;
            while (i > 0 && (char.IsLetterOrDigit(text[i - 1]) || text[i - 1] == '-'))
            {
                i--;
            }

            var word = text.AsSpan(i, wordEnd - i);
            if (word.IsEmpty)
            {
                return false;
            }

            foreach (var named in NotAPhoneWords)
            {
                if (word.StartsWith(named, StringComparison.OrdinalIgnoreCase) && (named.Length > 2 || word.Length == named.Length))
                {
                    return true;
                }
            }

            var isNumberWord = false;
            foreach (var numberWord in NumberWords)
            {
                isNumberWord |= word.Equals(numberWord, StringComparison.OrdinalIgnoreCase);
            }

            if (!isNumberWord)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Whether a unit or currency follows the number: then it is an amount.</summary>
    private static bool IsAmount(string text, int stop)
    {
        var i = stop;
        while (i < text.Length && text[i] is ' ' or '\u00A0')
        {
            i++;
        }

        var wordStart = i;
        while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not (',' or '.' or ';' or ')' or '!' or '?'))
        {
            i++;
        }

        return i > wordStart && Units.Contains(text[wordStart..i]);
    }
}
