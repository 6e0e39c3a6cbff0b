namespace Panel.Privacy;

/// <summary>
/// International bank account numbers: a known country, its registered length, and the ISO 13616 mod-97 check. Written
/// as people copy them: in groups of four with a space (or a hyphen) between, or without; in either case.
/// </summary>
public static partial class PersonalDataMasker
{
    /// <summary>The IBAN length of each country that uses IBANs (ISO 13616 registry); a code of another length is not one.</summary>
    private static readonly Dictionary<string, int> IbanLengths = new(StringComparer.Ordinal)
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22, ["BH"] = 22, ["BR"] = 29,
        ["BY"] = 28, ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24, ["DE"] = 22, ["DK"] = 18, ["DO"] = 28, ["EE"] = 20, ["EG"] = 29,
        ["ES"] = 24, ["FI"] = 18, ["FO"] = 18, ["FR"] = 27, ["GB"] = 22, ["GE"] = 22, ["GI"] = 23, ["GL"] = 18, ["GR"] = 27, ["GT"] = 28,
        ["HR"] = 21, ["HU"] = 28, ["IE"] = 22, ["IL"] = 23, ["IQ"] = 23, ["IS"] = 26, ["IT"] = 27, ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20,
        ["LB"] = 28, ["LC"] = 32, ["LI"] = 21, ["LT"] = 20, ["LU"] = 20, ["LV"] = 21, ["MC"] = 27, ["MD"] = 24, ["ME"] = 22, ["MK"] = 19,
        ["MR"] = 27, ["MT"] = 31, ["MU"] = 30, ["NL"] = 18, ["NO"] = 15, ["PK"] = 24, ["PL"] = 28, ["PS"] = 29, ["PT"] = 25, ["QA"] = 29,
        ["RO"] = 24, ["RS"] = 22, ["SA"] = 24, ["SC"] = 31, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27, ["ST"] = 25, ["SV"] = 28,
        ["TL"] = 23, ["TN"] = 24, ["TR"] = 26, ["UA"] = 29, ["VA"] = 22, ["VG"] = 24, ["XK"] = 20,
        // Åland uses Finland's format under its own code.
        ["AX"] = 18,
    };

    /// <summary>Whether <paramref name="text"/> (spaces or hyphens allowed between characters) is an IBAN: known country, its length, mod 97 = 1.</summary>
    public static bool IsValidIban(string text)
    {
        Span<char> chars = stackalloc char[Math.Min(text.Length, 64)];
        var n = 0;
        foreach (var c in text)
        {
            if (c is ' ' or '\u00A0' or '-')
            {
                continue;
            }

            if (!char.IsAsciiLetterOrDigit(c) || n == chars.Length)
            {
                return false;
            }

            chars[n++] = char.ToUpperInvariant(c);
        }

        return n >= 4 && char.IsAsciiLetter(chars[0]) && char.IsAsciiLetter(chars[1]) && char.IsAsciiDigit(chars[2]) && char.IsAsciiDigit(chars[3])
            && IbanLengths.TryGetValue(new string(chars[..2]), out var length) && length == n && Mod97(chars[..n]) == 1;
    }

    /// <summary>
    /// The IBANs in <paramref name="text"/>, scanned by hand: a regex with optional spaces between 30 characters backtracks
    /// badly. A code of an IBAN's exact shape whose check fails goes to <paramref name="notPhones"/>: it is an account
    /// number mistyped, and no part of it is a phone number.
    /// </summary>
    private static void FindIbans(string text, List<PersonalDataMatch> found, List<PersonalDataMatch> notPhones)
    {
        for (var i = 0; i + 4 <= text.Length; i++)
        {
            if (!char.IsAsciiLetter(text[i]) || !char.IsAsciiLetter(text[i + 1]) || (i > 0 && char.IsLetterOrDigit(text[i - 1])))
            {
                continue;
            }

            if (TryIbanAt(text, i) is var (length, checks))
            {
                (checks ? found : notPhones).Add(new PersonalDataMatch(PersonalDataKind.Iban, i, length));
                i += length - 1;
            }
        }
    }

    /// <summary>
    /// The length of the IBAN-shaped code starting at <paramref name="start"/> and whether its check holds, or null: the
    /// country's number of characters, single spaces between, a word boundary after.
    /// </summary>
    private static (int Length, bool Checks)? TryIbanAt(string text, int start)
    {
        var country = string.Create(2, text, (span, t) => { span[0] = char.ToUpperInvariant(t[start]); span[1] = char.ToUpperInvariant(t[start + 1]); });
        if (!IbanLengths.TryGetValue(country, out var length))
        {
            return null;
        }

        Span<char> chars = stackalloc char[length];
        chars[0] = country[0];
        chars[1] = country[1];
        var n = 2;
        var at = start + 2;
        char? separator = null;
        while (n < length && at < text.Length)
        {
            var c = text[at];

            // As printed on bills and cards: in groups of four with one space (or hyphen) between, or with none at all;
            // the same between every group.
            if (n % 4 == 0)
            {
                separator ??= c is ' ' or '\u00A0' or '-' ? c : '\0';
                if (separator != (c is ' ' or '\u00A0' or '-' ? c : '\0'))
                {
                    return null;
                }

                if (separator != '\0')
                {
                    at++;
                    c = at < text.Length ? text[at] : ' ';
                }
            }

            if (!char.IsAsciiLetterOrDigit(c) || (n < 4 && !char.IsAsciiDigit(c)))
            {
                return null;
            }

            chars[n++] = char.ToUpperInvariant(c);
            at++;
        }

        if (n < length || (at < text.Length && char.IsLetterOrDigit(text[at])))
        {
            return null;
        }

        return (at - start, Mod97(chars) == 1);
    }

    /// <summary>ISO 7064 mod 97-10 of the IBAN with its first four characters moved to the end, letters as 10–35.</summary>
    private static int Mod97(ReadOnlySpan<char> iban)
    {
        var remainder = 0;
        for (var k = 0; k < iban.Length; k++)
        {
            var c = iban[(k + 4) % iban.Length];
            remainder = char.IsAsciiDigit(c)
                ? (remainder * 10 + (c - '0')) % 97
                : (remainder * 100 + (c - 'A' + 10)) % 97;
        }

        return remainder;
    }
}
