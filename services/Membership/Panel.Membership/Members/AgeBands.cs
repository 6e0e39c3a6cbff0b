namespace Panel.Membership.Members;

/// <summary>
/// Ten-year age bands (DESIGN.md section 5, rule 3). Age is reckoned from the birth year alone,
/// so the band is coarse by construction.
/// </summary>
public static class AgeBands
{
    public static readonly IReadOnlyList<string> All = ["15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"];

    public static string For(int birthYear, int currentYear)
    {
        var age = currentYear - birthYear;
        return age switch
        {
            < 25 => "15-24",
            < 35 => "25-34",
            < 45 => "35-44",
            < 55 => "45-54",
            < 65 => "55-64",
            < 75 => "65-74",
            < 85 => "75-84",
            _ => "85+",
        };
    }
}
