using Panel.Gateway.Backends;

namespace Panel.Gateway.Components.Pages.Staff.SurveyResults;

/// <summary>
/// The results pages' filter, from their query: <c>f=ageBand:65-74</c> (a value the form offers) or
/// <c>municipality=Tampere</c> (typed; several comma-separated). One profile attribute at a time, as Reporting allows.
/// Reporting checks the values again and answers 400 naming the field.
/// </summary>
public sealed record ResultsFilter(string Attribute, IReadOnlyList<string> Values)
{
    /// <summary>The filter, none (both null), or the reason the query is not one (an error key of the UI texts).</summary>
    public static (ResultsFilter? Filter, string? Error) Parse(string? f, string? municipality)
    {
        f = string.IsNullOrWhiteSpace(f) ? null : f.Trim();
        municipality = string.IsNullOrWhiteSpace(municipality) ? null : municipality.Trim();
        if (f is not null && municipality is not null)
        {
            return (null, "results.filter.oneAttribute");
        }

        if (municipality is not null)
        {
            var values = municipality.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return values.Length is 0 or > 100 || values.Any(v => v.Length > 100 || v.Any(char.IsControl))
                ? (null, "results.filter.badMunicipality")
                : (new ResultsFilter("municipality", values), null);
        }

        if (f is null)
        {
            return (null, null);
        }

        var colon = f.IndexOf(':', StringComparison.Ordinal);
        var attribute = colon > 0 ? f[..colon] : f;
        var value = colon > 0 ? f[(colon + 1)..] : "";
        if (!ReportingApi.AttributeValues.TryGetValue(attribute, out var allowed))
        {
            return (null, "results.filter.unknownAttribute");
        }

        return allowed.Contains(value) ? (new ResultsFilter(attribute, [value]), null) : (null, "results.filter.unknownValue");
    }

    /// <summary>The values of <paramref name="attribute"/> for Reporting's client: this filter's, or none.</summary>
    public IReadOnlyList<string>? For(string attribute) => attribute == Attribute ? Values : null;

    /// <summary>As Reporting's query ("&amp;ageBand=65-74").</summary>
    public string BackendQuery => string.Concat(Values.Select(v => $"&{Attribute}={Uri.EscapeDataString(v)}"));

    /// <summary>As this page's query ("f=ageBand%3A65-74" or "municipality=Tampere").</summary>
    public string PageQuery => Attribute == "municipality"
        ? "municipality=" + Uri.EscapeDataString(string.Join(",", Values))
        : "f=" + Uri.EscapeDataString($"{Attribute}:{Values[0]}");

    public string? FormValue => Attribute == "municipality" ? null : $"{Attribute}:{Values[0]}";
}
