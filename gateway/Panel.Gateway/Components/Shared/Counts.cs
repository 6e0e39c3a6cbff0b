using System.Globalization;
using Panel.Gateway.Localization;

namespace Panel.Gateway.Components.Shared;

/// <summary>
/// How the UI shows a count from Reporting: the number, or "fewer than k" when Reporting suppressed it
/// (null). Suppression is decided by Reporting (DESIGN.md section 5, rule 4); the UI never fills in a number.
/// </summary>
public static class Counts
{
    public const int DefaultMinimumGroupSize = 5;

    public static string Show(UiText texts, int? value, int minimumGroupSize) =>
        value is { } v
            ? v.ToString(CultureInfo.CurrentCulture)
            : string.Format(CultureInfo.CurrentCulture, texts["composition.suppressed"], minimumGroupSize);
}
