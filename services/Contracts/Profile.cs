namespace Panel.Contracts;

/// <summary>
/// The coarse profile that may leave Membership (DESIGN.md section 5, rule 3): a 10-year age band,
/// municipality, optional gender, language and client status. Never contact details.
/// </summary>
public sealed record ProfileSnapshot(
    string AgeBand,
    string Municipality,
    string? Gender,
    string Language,
    bool? IsClient);
