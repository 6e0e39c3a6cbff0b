using System.ComponentModel.DataAnnotations;
using Panel.Privacy;
using Panel.ServiceDefaults;

namespace Panel.Membership;

public sealed class MembershipOptions
{
    public const string Section = "Membership";

    /// <summary>The county's municipalities, as residents see them in the join form.</summary>
    public List<string> Municipalities { get; set; } = [];

    [Range(15, 100)]
    public int MinimumAge { get; set; } = 15;

    /// <summary>The consent text version a joining resident accepts.</summary>
    [Required]
    [MaxLength(20)]
    public string ConsentVersion { get; set; } = "1";

    /// <summary>The current consent text by language (fi, sv, en).</summary>
    public Dictionary<string, string> ConsentTexts { get; set; } = [];

    [TimeSpanRange("00:05:00", "30.00:00:00")]
    public TimeSpan VerificationLinkLifetime { get; set; } = TimeSpan.FromHours(48);

    [TimeSpanRange("00:01:00", "1.00:00:00")]
    public TimeSpan SignInLinkLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The county's time zone: pause dates are the county's calendar days.</summary>
    [Required]
    public string TimeZone { get; set; } = CountyTime.DefaultZoneId;

    /// <summary>How often ended pauses are looked for.</summary>
    [TimeSpanRange("00:00:00.050", "1.00:00:00")]
    public TimeSpan PauseCheckInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>k: counts of members describing fewer people than this are not shown (targeting matches).</summary>
    [Range(MinimumGroup.LowestK, 1000)]
    public int MinimumGroupSize { get; set; } = MinimumGroup.DefaultK;

    /// <summary>The county's zone (validated at start: an unknown zone stops the service).</summary>
    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public DateOnly Today(TimeProvider time) => CountyTime.Today(time, Zone);

    internal static IEnumerable<string> Problems(MembershipOptions o)
    {
        if (o.Municipalities.Count == 0)
        {
            yield return "Membership:Municipalities must list the county's municipalities.";
        }

        foreach (var language in new[] { "fi", "sv", "en" })
        {
            if (!o.ConsentTexts.TryGetValue(language, out var text) || string.IsNullOrWhiteSpace(text))
            {
                yield return $"Membership:ConsentTexts:{language} must hold the consent text in that language.";
            }
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _))
        {
            yield return "Membership:TimeZone is not a known time zone.";
        }
    }
}
