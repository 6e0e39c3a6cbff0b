namespace Panel.Privacy;

/// <summary>
/// The minimum group size k (DESIGN.md section 5, rule 4): no number describing fewer than k people is shown. k is
/// <see cref="DefaultK"/> unless a survey or a service's settings ask for more, and never below
/// <see cref="LowestK"/>, whatever a setting or an event says.
/// </summary>
public static class MinimumGroup
{
    public const int DefaultK = 5;

    public const int LowestK = 3;

    /// <summary>k as given, but never below <see cref="LowestK"/>.</summary>
    public static int AtLeastLowest(int k) => Math.Max(LowestK, k);
}
