using System.Globalization;
using Panel.Gateway.Backends;
using Panel.Gateway.Components.Shared;
using Panel.Gateway.Localization;

namespace Panel.Gateway.Components.Pages.PublicResults;

/// <summary>
/// How the results pages write Reporting's numbers: a suppressed value is the one symbol of a hidden number (never 0),
/// percentages as Reporting gives them (0–100) by <see cref="Percent"/>, shares (0–1) by <see cref="StaffFormat.ShareAsPercent"/>.
/// </summary>
public static class ResultsFormat
{
    public static readonly IReadOnlyList<string> QuestionTypes =
        ["single-choice", "multiple-choice", "likert", "nps", "number", "free-text", "ranking", "matrix", "budget"];

    /// <summary>A count, or the symbol of a hidden number when Reporting hid it (the page's footnote explains it).</summary>
    public static string Count(long? value) =>
        value is { } v ? v.ToString("N0", CultureInfo.CurrentCulture) : Hidden;

    /// <summary>The symbol of a number Reporting hid (whatever the k that hid it; the page's footnote names k).</summary>
    public static string Hidden => Counts.Hidden;

    /// <summary>
    /// The response rate (0..1): hidden (..) when Reporting hid it; a dash, as statistics write "nothing", when no one was
    /// invited and there is no rate to hide.
    /// </summary>
    public static string Rate(double? rate, long? invited) =>
        rate is { } r ? StaffFormat.ShareAsPercent(r) : invited == 0 ? "–" : StaffFormat.Hidden;

    /// <summary>A percentage of 0–100 with one decimal, or the symbol of a hidden number.</summary>
    public static string Percent(double? percent) =>
        percent is { } p ? p.ToString("0.0", CultureInfo.CurrentCulture) + "\u00a0%" : StaffFormat.Hidden;

    public static string Decimal(double? value, string format = "0.##") =>
        value is { } v ? v.ToString(format, CultureInfo.CurrentCulture) : StaffFormat.Hidden;

    /// <summary>An NPS in percentage points, signed ("+23", "−5").</summary>
    public static string Nps(double? nps) =>
        nps is { } n ? (n > 0 ? "+" : n < 0 ? "\u2212" : "") + Math.Abs(n).ToString("0.#", CultureInfo.CurrentCulture) : StaffFormat.Hidden;

    public static string AttributeName(UiText t, string attribute) =>
        ReportingApi.Attributes.Contains(attribute) ? t[$"results.attr.{attribute}"] : attribute;

    /// <summary>A value of a profile attribute in words ("65-74" → "65–74", "woman" → "Nainen", "true" → "Yes").</summary>
    public static string ValueName(UiText t, string attribute, string value) => (attribute, value) switch
    {
        (_, "unknown" or "") => t["results.value.unknown"],
        (_, "total") => t["results.value.total"],
        ("ageBand", _) => StaffFormat.AgeBand(value),
        ("gender", _) => StaffFormat.Gender(t, value),
        ("language", "fi" or "sv" or "en") => t.Get(value, "language.name"),
        ("isClient", "true" or "false") => t[$"results.value.client.{value}"],
        ("channel", "invitation" or "signed-in" or "open-link" or "assisted" or "paper") => t[$"results.channel.{value}"],
        _ => value,
    };

    public static string TypeName(UiText t, string type) => QuestionTypes.Contains(type) ? t[$"results.type.{type}"] : type;

    public static string StateName(UiText t, string state) =>
        state is "approved" or "open" or "closed" or "results-published" ? t[$"results.state.{state}"] : state;

    public static string AudienceName(UiText t, string audience) =>
        audience is "panel" or "open-link" ? t[$"results.audience.{audience}"] : audience;

    /// <summary>Reporting's filter as the page's query: ?f=ageBand:65-74 or ?municipality=Tampere (one attribute).</summary>
    public static string FilterQuery(string? attribute, IReadOnlyList<string> values) =>
        attribute is null || values.Count == 0
            ? ""
            : string.Concat(values.Select(v => $"&{attribute}={Uri.EscapeDataString(v)}"));
}
