using System.Globalization;
using System.Text.RegularExpressions;

namespace Panel.Privacy;

/// <summary>
/// Finnish personal identity codes: DDMMYY, century sign, individual number, check character. Century signs: "+" 1800s;
/// "-" and (since 2023) U, V, W, X, Y 1900s; A and (since 2023) B, C, D, E, F 2000s; in either case. People also type a
/// space, an en or em dash, a minus sign or nothing in place of the sign: then the century is unknown, the code counts when
/// its date exists in some century and its check character holds (the check does not depend on the century).
/// </summary>
public static partial class PersonalDataMasker
{
    private const string CheckCharacters = "0123456789ABCDEFHJKLMNPRSTUVWXY";

    [GeneratedRegex(
        @"(?<![\p{L}\p{N}])(?<date>\d{6})(?:(?<sign>[-+A-FU-Ya-fu-y])|(?<sep>[ \u00A0]?[\u2010-\u2015\u2212][ \u00A0]?| - |[ \u00A0]|))(?<individual>\d{3})(?<check>[0-9A-Ya-y])(?![\p{L}\p{N}])",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeoutMilliseconds)]
    private static partial Regex IdentityCodePattern();

    /// <summary>Whether <paramref name="code"/> is a Finnish personal identity code: a real date in its century and the right check character.</summary>
    public static bool IsValidIdentityCode(string code)
    {
        if (code.Length != 11 || code.AsSpan(0, 6).ContainsAnyExceptInRange('0', '9') || code.AsSpan(7, 3).ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        var century = Century(code[6]);
        return century > 0 && IsValid(code.AsSpan(0, 6), code.AsSpan(7, 3), code[10], [century]);
    }

    private static void FindIdentityCodes(string text, List<PersonalDataMatch> found)
    {
        foreach (Match m in IdentityCodePattern().Matches(text))
        {
            var date = m.Groups["date"].ValueSpan;
            var individual = m.Groups["individual"].ValueSpan;
            var check = m.Groups["check"].Value[0];
            var sign = m.Groups["sign"];
            int[] centuries = sign.Success ? [Century(sign.Value[0])] : [1800, 1900, 2000];

            // Ten digits in a row that begin with 0 are written like a Finnish phone number ("0401234567"): without a
            // separator or sign nothing tells them apart, and the phone reading is far the more common.
            if (!sign.Success && m.Groups["sep"].Length == 0 && char.IsAsciiDigit(check) && date[0] == '0')
            {
                continue;
            }

            if (centuries[0] > 0 && IsValid(date, individual, check, centuries) && !Overlaps(found, m.Index, m.Length))
            {
                found.Add(new PersonalDataMatch(PersonalDataKind.IdentityCode, m.Index, m.Length));
            }
        }
    }

    private static int Century(char sign) => char.ToUpperInvariant(sign) switch
    {
        '+' => 1800,
        '-' or 'U' or 'V' or 'W' or 'X' or 'Y' => 1900,
        'A' or 'B' or 'C' or 'D' or 'E' or 'F' => 2000,
        _ => -1,
    };

    private static bool IsValid(ReadOnlySpan<char> date, ReadOnlySpan<char> individualDigits, char check, ReadOnlySpan<int> centuries)
    {
        var day = int.Parse(date[..2], CultureInfo.InvariantCulture);
        var month = int.Parse(date[2..4], CultureInfo.InvariantCulture);
        var yy = int.Parse(date[4..6], CultureInfo.InvariantCulture);
        if (month is < 1 or > 12 || day < 1)
        {
            return false;
        }

        var dateExists = false;
        foreach (var century in centuries)
        {
            dateExists |= day <= DateTime.DaysInMonth(century + yy, month);
        }

        // Individual numbers 002–899 are permanent, 900–999 temporary; 000 and 001 are never given.
        var individual = int.Parse(individualDigits, CultureInfo.InvariantCulture);
        if (!dateExists || individual < 2)
        {
            return false;
        }

        var number = (day * 10_000 + month * 100 + yy) * 1000L + individual;
        return CheckCharacters[(int)(number % 31)] == char.ToUpperInvariant(check);
    }
}
