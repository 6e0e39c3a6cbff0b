using System.Globalization;
using Panel.Gateway.Localization;
using Panel.Privacy;

namespace Panel.Gateway.Components.Shared;

/// <summary>
/// How the UI shows a number from Reporting: the number, or the one symbol of a hidden number when Reporting
/// suppressed it (null), explained once per page by the one footnote (<see cref="HiddenNumber"/>, the same text
/// the exports carry). Never a label such as "fewer than 5": a number is hidden for a small group, to protect
/// another, or because a group may be empty, and which it is must not show. Suppression is decided by Reporting
/// (DESIGN.md section 5, rule 4); the UI never fills in a number.
/// </summary>
public static class Counts
{
    public const int DefaultMinimumGroupSize = 5;

    public const string Hidden = HiddenNumber.Symbol;

    public static string Show(UiText texts, int? value, int minimumGroupSize) =>
        value is { } v ? v.ToString(CultureInfo.CurrentCulture) : Hidden;

    /// <summary>The footnote for the page's language.</summary>
    public static string Footnote(int minimumGroupSize) => HiddenNumber.Footnote(UiText.CurrentLanguage, minimumGroupSize);
}
