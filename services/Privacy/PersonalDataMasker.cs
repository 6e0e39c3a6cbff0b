using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Panel.Privacy;

/// <summary>What kind of personal data a piece of free text held.</summary>
public enum PersonalDataKind
{
    /// <summary>A Finnish personal identity code (henkilötunnus) with a valid date and check character.</summary>
    IdentityCode,
    Email,
    Phone,
}

/// <summary>Where personal data was found in a text.</summary>
public sealed record PersonalDataMatch(PersonalDataKind Kind, int Index, int Length);

/// <summary>
/// Finds and masks personal data in free text (DESIGN.md section 5, rule 5): Finnish personal identity codes
/// (checked: a real date for the century sign and the right check character, so ordinary numbers stay), email
/// addresses (also written "name(at)example.fi"), and phone numbers (Finnish "040 123 4567", "09-123 456",
/// international "+358 40 123 4567", "00358…"). Each is replaced by a marker of its kind.
/// The one masker of Panel: every service that stores or shows free text uses it.
/// </summary>
public static partial class PersonalDataMasker
{
    public const string IdentityCodeMarker = "[ID]";
    public const string EmailMarker = "[EMAIL]";
    public const string PhoneMarker = "[PHONE]";

    /// <summary>The fewest digits a phone number has (a Finnish landline without area code has 5–8; with it 7 or more).</summary>
    public const int MinPhoneDigits = 7;

    private const string CheckCharacters = "0123456789ABCDEFHJKLMNPRSTUVWXY";

    /// <summary>
    /// DDMMYY, century sign, individual number, check character. Century signs: "+" 1800s; "-" and (since 2023)
    /// U, V, W, X, Y 1900s; A and (since 2023) B, C, D, E, F 2000s. Lowercase is accepted as people type it.
    /// </summary>
    [GeneratedRegex(@"(?<![\p{L}\p{N}])(\d{6})([-+A-FU-Ya-fu-y])(\d{3})([0-9A-Ya-y])(?![\p{L}\p{N}])", RegexOptions.CultureInvariant)]
    private static partial Regex IdentityCodePattern();

    [GeneratedRegex(
        @"(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+\s?(?:@|\(at\)|\[at\])\s?[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}(?![\p{L}\p{N}])",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex EmailPattern();

    /// <summary>Starts with "+" or "0" (or "(0"), then digits with spaces, hyphens and brackets between them; ends with a digit.</summary>
    [GeneratedRegex(@"(?<![\p{L}\p{N}+])(?:\+\s?\d|\(?0)[\d \u00A0()\-]*\d(?![\p{L}\p{N}])", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();

    /// <summary>The text with every identity code, email address and phone number replaced by its marker.</summary>
    public static string Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var matches = Find(text);
        if (matches.Count == 0)
        {
            return text;
        }

        var masked = new StringBuilder(text.Length);
        var at = 0;
        foreach (var match in matches)
        {
            masked.Append(text, at, match.Index - at).Append(match.Kind switch
            {
                PersonalDataKind.IdentityCode => IdentityCodeMarker,
                PersonalDataKind.Email => EmailMarker,
                _ => PhoneMarker,
            });
            at = match.Index + match.Length;
        }

        return masked.Append(text, at, text.Length - at).ToString();
    }

    /// <summary>Every piece of personal data in the text, in order and not overlapping (identity codes win over phone numbers).</summary>
    public static IReadOnlyList<PersonalDataMatch> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<PersonalDataMatch>();
        foreach (Match m in IdentityCodePattern().Matches(text))
        {
            if (IsValidIdentityCode(m.Value))
            {
                found.Add(new PersonalDataMatch(PersonalDataKind.IdentityCode, m.Index, m.Length));
            }
        }

        foreach (Match m in EmailPattern().Matches(text))
        {
            AddUnlessOverlapping(found, new PersonalDataMatch(PersonalDataKind.Email, m.Index, m.Length));
        }

        foreach (Match m in PhonePattern().Matches(text))
        {
            if (IsPhoneNumber(m.Value))
            {
                AddUnlessOverlapping(found, new PersonalDataMatch(PersonalDataKind.Phone, m.Index, m.Length));
            }
        }

        found.Sort((a, b) => a.Index.CompareTo(b.Index));
        return found;
    }

    /// <summary>Whether <paramref name="code"/> is a Finnish personal identity code: a real date in its century and the right check character.</summary>
    public static bool IsValidIdentityCode(string code)
    {
        if (code.Length != 11 || code.AsSpan(0, 6).ContainsAnyExceptInRange('0', '9') || code.AsSpan(7, 3).ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        var century = char.ToUpperInvariant(code[6]) switch
        {
            '+' => 1800,
            '-' or 'U' or 'V' or 'W' or 'X' or 'Y' => 1900,
            'A' or 'B' or 'C' or 'D' or 'E' or 'F' => 2000,
            _ => -1,
        };
        if (century < 0)
        {
            return false;
        }

        var day = int.Parse(code.AsSpan(0, 2), CultureInfo.InvariantCulture);
        var month = int.Parse(code.AsSpan(2, 2), CultureInfo.InvariantCulture);
        var year = century + int.Parse(code.AsSpan(4, 2), CultureInfo.InvariantCulture);
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        // Individual numbers 002–899 are permanent, 900–999 temporary; 000 and 001 are never given.
        var individual = int.Parse(code.AsSpan(7, 3), CultureInfo.InvariantCulture);
        if (individual < 2)
        {
            return false;
        }

        var number = long.Parse(string.Concat(code.AsSpan(0, 6), code.AsSpan(7, 3)), CultureInfo.InvariantCulture);
        return CheckCharacters[(int)(number % 31)] == char.ToUpperInvariant(code[10]);
    }

    private static bool IsPhoneNumber(string candidate) => candidate.Count(char.IsAsciiDigit) >= MinPhoneDigits;

    private static void AddUnlessOverlapping(List<PersonalDataMatch> found, PersonalDataMatch candidate)
    {
        if (!found.Any(f => candidate.Index < f.Index + f.Length && f.Index < candidate.Index + candidate.Length))
        {
            found.Add(candidate);
        }
    }
}
