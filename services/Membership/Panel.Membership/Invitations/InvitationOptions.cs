using Panel.ServiceDefaults;
using System.ComponentModel.DataAnnotations;

namespace Panel.Membership.Invitations;

public sealed class InvitationOptions
{
    public const string Section = "Invitations";

    /// <summary>Contact fatigue: no member is invited more than this many times …</summary>
    [Range(1, 100)]
    public int MaxPerMember { get; set; } = 3;

    /// <summary>… within this many days.</summary>
    [Range(1, 3650)]
    public int WindowDays { get; set; } = 90;

    /// <summary>Invitations per SurveyInvitationsIssued event.</summary>
    [Range(1, 1000)]
    public int ChunkSize { get; set; } = 1000;

    /// <summary>How often unanswered invitations are looked for to remind.</summary>
    [TimeSpanRange("00:00:00.050", "1.00:00:00")]
    public TimeSpan ReminderCheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Run the reminder job in this process.</summary>
    public bool RemindersEnabled { get; set; } = true;

    /// <summary>
    /// A fixed seed for the sampling's random source (tests and benchmarks, to draw reproducible samples).
    /// Unset in production: each sample then gets a seed from the cryptographic random number generator.
    /// </summary>
    public int? SampleSeed { get; set; }
}
