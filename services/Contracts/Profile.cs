namespace Panel.Contracts;

/// <summary>
/// The coarse profile that may leave Membership (DESIGN.md section 5, rule 3): a 10-year age band,
/// municipality, optional gender, language and client status. Never contact details.
/// </summary>
/// <remarks>
/// With an answer (ResponseSubmitted), a value may be "not stated": an empty string (age band, municipality,
/// language) or null (gender, client status), because Surveys recodes the profiles stored with a survey's answers
/// until each combination is shared by at least k respondents; an age band may then also be a merged 20-year
/// band (e.g. "15-34", "75+").
/// </remarks>
public sealed record ProfileSnapshot(
    string AgeBand,
    string Municipality,
    string? Gender,
    string Language,
    bool? IsClient)
{
    /// <summary>How an age band, municipality or language recoded away is written (gender and client status: null).</summary>
    public const string NotStated = "";
}
