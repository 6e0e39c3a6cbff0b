using Microsoft.EntityFrameworkCore;
using Panel.Reporting.Data;

namespace Panel.Reporting.SurveyResults;

/// <summary>
/// Every value a profile attribute can take, so that a cross-tab lists each group whether anyone answered or not
/// and a filter on an empty group answers as a filter on a small one (issue 13, finding 3: a row shown only for
/// groups with a respondent named the groups of 1 to k - 1). "" is "unknown" (no profile, no gender given).
/// </summary>
public static class ResultsDomain
{
    /// <summary>The ten-year age bands of DESIGN.md section 5, rule 3 (the same list as Membership's and Surveys').</summary>
    public static readonly IReadOnlyList<string> AgeBands = ["15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"];

    public static readonly IReadOnlyList<string> Genders = ["woman", "man", "other", "unspecified"];
    public static readonly IReadOnlyList<string> Languages = ["fi", "sv", "en"];
    public static readonly IReadOnlyList<string> ClientStatus = ["true", "false"];

    /// <summary>Panel answers come by these channels; open-link answers are an audience of their own.</summary>
    public static readonly IReadOnlyList<string> PanelChannels = ["invitation", "signed-in", "assisted", "paper"];

    /// <summary>
    /// The domain of <paramref name="attribute"/> in <paramref name="audience"/> (null attribute: none). The county's
    /// municipalities are those of the population reference Membership published; before any reference arrives
    /// only the values seen in the answers are known, and the calculator adds those itself.
    /// </summary>
    public static async Task<IReadOnlyList<string>> LoadAsync(ReportingDbContext db, string? attribute, string audience, CancellationToken ct)
    {
        var municipalities = attribute == "municipality"
            ? await db.PopulationGroups.AsNoTracking().Select(g => g.Municipality).Distinct().OrderBy(m => m).ToListAsync(ct)
            : [];
        return Of(attribute, audience, municipalities);
    }

    /// <summary>The domain, given the county's municipalities.</summary>
    public static IReadOnlyList<string> Of(string? attribute, string audience, IReadOnlyList<string> municipalities)
    {
        IReadOnlyList<string> values = attribute switch
        {
            null => [],
            "ageBand" => AgeBands,
            "gender" => Genders,
            "language" => Languages,
            "isClient" => ClientStatus,
            "channel" => audience == ResultsStore.OpenLink ? [ResultsStore.OpenLink] : PanelChannels,
            "municipality" => municipalities,
            _ => throw new ArgumentOutOfRangeException(nameof(attribute), attribute, "Not a profile attribute."),
        };

        // Channel is always known; every profile attribute may be unknown (an open-link answer has no profile).
        return attribute is null or "channel" ? values : [.. values, ""];
    }
}
