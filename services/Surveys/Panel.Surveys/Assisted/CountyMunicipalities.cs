namespace Panel.Surveys.Assisted;

/// <summary>
/// The county's municipalities, the only values an assisted answer's municipality may take. Read from the configuration
/// key Membership reads for its join form, <c>Membership:Municipalities</c>, so that one setting (one entry in the
/// deployment's shared configuration) gives both services the same list; Surveys' appsettings.json carries the same
/// default list as Membership's.
/// </summary>
public sealed class CountyMunicipalities
{
    /// <summary>The section of Membership's options, on purpose: the county's list has one name.</summary>
    public const string Section = "Membership";

    public const int MaxLength = 100;

    public List<string> Municipalities { get; set; } = [];

    internal static IEnumerable<string> Problems(CountyMunicipalities o)
    {
        if (o.Municipalities.Count == 0)
        {
            yield return "Membership:Municipalities must list the county's municipalities (Surveys checks assisted answers' municipality against it).";
        }

        foreach (var name in o.Municipalities.Where(m => string.IsNullOrWhiteSpace(m) || m.Trim() != m || m.Length > MaxLength))
        {
            yield return $"Membership:Municipalities: '{name}' is not a municipality's name (1 to {MaxLength} characters without surrounding spaces).";
        }

        foreach (var twice in o.Municipalities.GroupBy(m => m, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return $"Membership:Municipalities lists '{twice.Key}' more than once.";
        }
    }
}
