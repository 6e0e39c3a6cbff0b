using Panel.Privacy;
using Panel.ServiceDefaults;
using System.ComponentModel.DataAnnotations;
using Panel.Surveys.Definitions;

namespace Panel.Surveys;

public sealed class SurveysOptions
{
    public const string Section = "Surveys";

    /// <summary>The county's service areas (codes); a survey belongs to one, and a DomainContact's token names theirs in <c>area</c> claims.</summary>
    public List<string> ServiceAreas { get; set; } = [];

    /// <summary>How often the clock looks for surveys due to open or close.</summary>
    [TimeSpanRange("00:00:00.050", "01:00:00")]
    public TimeSpan ScheduleCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Run the clock in this process (tests may drive it by hand).</summary>
    public bool SchedulerEnabled { get; set; } = true;

    /// <summary>
    /// How often the response mixer moves pending answers into the results. Short, so few answers wait: the settler
    /// rewrites all of a survey's waiting answers each second while new ones come, and what a release adds is at
    /// least k however often it runs.
    /// </summary>
    [TimeSpanRange("00:00:00.050", "1.00:00:00")]
    public TimeSpan MixerInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The least k the mixer's releases respect (<see cref="ReleaseRule"/>): a survey's own minimum group
    /// size if larger, never below 3. While a survey is open answers are released only when 2k wait, leaving k.
    /// </summary>
    [Range(1, 1000)]
    public int MixerMinimumBatch { get; set; } = 5;

    /// <summary>
    /// k for a survey without its own minimum group size: every combination of profile values stored with its answers
    /// is shared by at least this many (<see cref="Responses.StoredProfiles"/>).
    /// </summary>
    [Range(MinimumGroup.LowestK, 1000)]
    public int DefaultMinimumGroupSize { get; set; } = DefinitionValidator.DefaultMinimumGroupSize;

    /// <summary>Most answers the mixer moves in one transaction (at least 2k are allowed, whatever this says).</summary>
    [Range(1, 10_000)]
    public int MixerBatchSize { get; set; } = 500;

    /// <summary>Run the mixer in this process (tests may drive it by hand).</summary>
    public bool MixerEnabled { get; set; } = true;

    /// <summary>
    /// How soon a new pending answer is rewritten in a transaction of its own (<see cref="Responses.PendingAnswerSettler"/>),
    /// so it no longer shares a transaction id with the invitation it answered.
    /// </summary>
    [TimeSpanRange("00:00:00.050", "00:01:00")]
    public TimeSpan SettleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Run the pending answer settler in this process (tests may drive it by hand).</summary>
    public bool SettleEnabled { get; set; } = true;

    /// <summary>
    /// How long invitations opened or answered are gathered before Membership and Reporting are told, in one message
    /// per survey (<see cref="Invitations.InvitationNoticeRelay"/>): progress and reminders lag by about this much.
    /// </summary>
    [TimeSpanRange("00:00:00.050", "00:10:00")]
    public TimeSpan NoticeInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Run the notice relay in this process (tests may drive it by hand).</summary>
    public bool NoticesEnabled { get; set; } = true;

    /// <summary>Answers (and, separately, new saved drafts) an open-link survey takes per minute; more are refused with 429.</summary>
    [Range(1, 1_000_000)]
    public int OpenLinkResponsesPerMinute { get; set; } = 300;

    /// <summary>
    /// Invitation submits read invitations and store answers in groups (group commit): this many workers each for
    /// reads and for stores take what is waiting and do it with one statement; while one group is in the database,
    /// the next one gathers. More workers: shorter waits, smaller groups, more statements.
    /// </summary>
    [Range(1, 16)]
    public int AnswerGroupWorkers { get; set; } = 2;

    internal static IEnumerable<string> Problems(SurveysOptions o)
    {
        if (o.ServiceAreas.Count == 0)
        {
            yield return "Surveys:ServiceAreas must list the county's service areas.";
        }

        if (o.MixerBatchSize < o.MixerMinimumBatch)
        {
            yield return "Surveys:MixerBatchSize must be at least Surveys:MixerMinimumBatch, or no batch is ever moved.";
        }

        foreach (var area in o.ServiceAreas.Where(a => !DefinitionValidator.IsValidId(a)))
        {
            yield return $"Surveys:ServiceAreas: '{area}' is not a code of letters, digits, '-' and '_' (at most 40).";
        }
    }
}
