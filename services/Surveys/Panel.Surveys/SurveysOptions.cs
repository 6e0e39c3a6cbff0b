using System.ComponentModel.DataAnnotations;
using Panel.Surveys.Definitions;

namespace Panel.Surveys;

public sealed class SurveysOptions
{
    public const string Section = "Surveys";

    /// <summary>The county's service areas (codes); a survey belongs to one, and a DomainContact's token names theirs in <c>area</c> claims.</summary>
    public List<string> ServiceAreas { get; set; } = [];

    /// <summary>How often the clock looks for surveys due to open or close.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan ScheduleCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Run the clock in this process (tests may drive it by hand).</summary>
    public bool SchedulerEnabled { get; set; } = true;

    internal static IEnumerable<string> Problems(SurveysOptions o)
    {
        if (o.ServiceAreas.Count == 0)
        {
            yield return "Surveys:ServiceAreas must list the county's service areas.";
        }

        foreach (var area in o.ServiceAreas.Where(a => !DefinitionValidator.IsValidId(a)))
        {
            yield return $"Surveys:ServiceAreas: '{area}' is not a code of letters, digits, '-' and '_' (at most 40).";
        }
    }
}
