using System.ComponentModel.DataAnnotations;

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
    public string ConsentVersion { get; set; } = "1";
}
