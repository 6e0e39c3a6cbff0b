using System.Text;

namespace Panel.Privacy;

/// <summary>What kind of personal data a piece of free text held.</summary>
public enum PersonalDataKind
{
    /// <summary>A Finnish personal identity code (henkilötunnus) with a valid date and check character.</summary>
    IdentityCode,
    Email,
    Phone,

    /// <summary>An international bank account number whose country, length and mod-97 check hold.</summary>
    Iban,
}

/// <summary>Where personal data was found in a text.</summary>
public sealed record PersonalDataMatch(PersonalDataKind Kind, int Index, int Length);

/// <summary>
/// Finds and masks personal data in free text (DESIGN.md section 5, rule 5) as people write it: Finnish personal identity
/// codes (with any century sign, or a space, a dash or nothing in its place; date and check character must hold), email
/// addresses (also spelled out: "nimi at example dot fi", "nimi(at)example.fi", "nimi ät example piste fi", a full-width
/// ＠), phone numbers (Finnish and international, with spaces, hyphens, dots, slashes or brackets) and IBANs (mod-97
/// checked). Each is replaced by a marker of its kind. The one masker of Panel: every service that stores or shows
/// free text uses it. Its precision and recall per kind are measured on a labelled corpus (tests/Panel.Privacy.Tests/Corpus).
/// </summary>
/// <remarks>
/// Every pattern is a generated regex with a match timeout; none has nested unbounded repetition that can backtrack
/// catastrophically, and the IBAN scan is a hand-written linear pass. A text is at most a few thousand characters.
/// </remarks>
public static partial class PersonalDataMasker
{
    public const string IdentityCodeMarker = "[ID]";
    public const string EmailMarker = "[EMAIL]";
    public const string PhoneMarker = "[PHONE]";
    public const string IbanMarker = "[IBAN]";

    /// <summary>The fewest digits a phone number has (a Finnish landline without area code has 5–8; with it 7 or more).</summary>
    public const int MinPhoneDigits = 7;

    /// <summary>A regex that runs longer than this on one text is a bug, not a reason to wait: it throws rather than passing text unmasked.</summary>
    private const int TimeoutMilliseconds = 2000;

    /// <summary>The text with every identity code, IBAN, email address and phone number replaced by its marker.</summary>
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
            masked.Append(text, at, match.Index - at).Append(Marker(match.Kind));
            at = match.Index + match.Length;
        }

        return masked.Append(text, at, text.Length - at).ToString();
    }

    /// <summary>The marker that replaces personal data of <paramref name="kind"/>.</summary>
    public static string Marker(PersonalDataKind kind) => kind switch
    {
        PersonalDataKind.IdentityCode => IdentityCodeMarker,
        PersonalDataKind.Email => EmailMarker,
        PersonalDataKind.Iban => IbanMarker,
        _ => PhoneMarker,
    };

    /// <summary>
    /// Every piece of personal data in the text, in order and not overlapping. The most certain kinds are found first and
    /// win an overlap: IBANs and identity codes (checksummed), then email addresses (a phone number may be an address's
    /// name), then phone numbers.
    /// </summary>
    public static IReadOnlyList<PersonalDataMatch> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<PersonalDataMatch>();
        if (text.Length == 0)
        {
            return found;
        }

        var notPhones = new List<PersonalDataMatch>();
        FindIbans(text, found, notPhones);
        FindIdentityCodes(text, found);
        FindEmails(text, found);
        found.AddRange(notPhones);
        FindPhones(text, found);
        found.RemoveAll(notPhones.Contains);
        found.Sort((a, b) => a.Index.CompareTo(b.Index));
        return found;
    }

    private static bool Overlaps(List<PersonalDataMatch> found, int index, int length) =>
        found.Exists(f => index < f.Index + f.Length && f.Index < index + length);

    private static void AddUnlessOverlapping(List<PersonalDataMatch> found, PersonalDataMatch candidate)
    {
        if (!Overlaps(found, candidate.Index, candidate.Length))
        {
            found.Add(candidate);
        }
    }
}
