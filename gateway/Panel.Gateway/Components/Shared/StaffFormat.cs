using System.Globalization;
using Panel.Gateway.Localization;

namespace Panel.Gateway.Components.Shared;

/// <summary>How staff pages write dates, times, shares and group names in the reader's language.</summary>
public static class StaffFormat
{
    /// <summary>The county's time zone: staff read times as the county's clock shows them.</summary>
    public static readonly TimeZoneInfo CountyTime = ServiceDefaults.CountyTime.Zone;

    public static DateOnly Today(TimeProvider time) => ServiceDefaults.CountyTime.Today(time, CountyTime);

    public static string Date(DateOnly date) => date.ToString("d", CultureInfo.CurrentCulture);

    public static string Date(DateTimeOffset at) => Date(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, CountyTime).DateTime));

    public static string DateTime(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, CountyTime).ToString("g", CultureInfo.CurrentCulture);

    /// <summary>A share (0..1) as a percentage with one decimal, or the dash of a hidden value.</summary>
    public static string ShareAsPercent(double? share) =>
        share is { } s ? (s * 100).ToString("0.0", CultureInfo.CurrentCulture) + "\u00a0%" : Hidden;

    /// <summary>Panel share divided by population share, two decimals (1 = as in the population).</summary>
    public static string Ratio(double? ratio) => ratio is { } r ? r.ToString("0.00", CultureInfo.CurrentCulture) : Hidden;

    public static string Number(long value) => value.ToString("N0", CultureInfo.CurrentCulture);

    /// <summary>What stands for a share or ratio Reporting did not give: the one symbol of a hidden number.</summary>
    public const string Hidden = Counts.Hidden;

    /// <summary>"75-84" as "75–84" (an en dash, as written in Finnish, Swedish and English).</summary>
    public static string AgeBand(string band) => band.Replace('-', '–');

    /// <summary>A gender value of a report, in words ("woman" → "Nainen"); an unknown value as it came.</summary>
    public static string Gender(UiText texts, string gender) =>
        gender is "woman" or "man" or "other" or "unspecified" ? texts[$"gender.{gender}"] : gender;

    /// <summary>A population group named for recruiting: "people aged 75–84 in Ruovesi", "people aged 85 and over in Virrat".</summary>
    public static string GroupName(UiText texts, string municipality, string ageBand) =>
        ageBand.EndsWith('+')
            ? texts.Format("repr.groupNameOldest", ageBand.TrimEnd('+'), municipality)
            : texts.Format("repr.groupName", AgeBand(ageBand), municipality);

    public static string Capitalized(string text) =>
        text.Length == 0 ? text : char.ToUpper(text[0], CultureInfo.CurrentCulture) + text[1..];
}
