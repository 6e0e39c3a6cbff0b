using System.ComponentModel.DataAnnotations;
using Panel.Privacy;

namespace Panel.Reporting;

public sealed class ReportingOptions
{
    public const string Section = "Reporting";

    /// <summary>Smallest group size shown (DESIGN.md section 5, rule 4). Never below 3.</summary>
    [Range(MinimumGroup.LowestK, 100)]
    public int MinimumGroupSize { get; set; } = MinimumGroup.DefaultK;
}
