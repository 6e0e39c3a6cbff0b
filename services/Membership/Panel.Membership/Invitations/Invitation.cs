using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Panel.Membership.Members;

namespace Panel.Membership.Invitations;

/// <summary>
/// A survey Membership invites to, as SurveyOpened described it (and SurveyClosed / SurveyRescheduled changed it).
/// A row with no <see cref="OpenedAt"/> only remembers that the survey closed before its opening arrived here,
/// so a late SurveyOpened issues nothing.
/// </summary>
public sealed class InvitationSurvey
{
    public Guid Id { get; set; }
    public string ServiceArea { get; set; } = "";
    public List<string> Languages { get; set; } = [];
    public Dictionary<string, string> Title { get; set; } = [];
    public Dictionary<string, string> Purpose { get; set; } = [];
    public DateTimeOffset? OpenedAt { get; set; }
    public DateTimeOffset ClosesAt { get; set; }
    /// <summary>When <see cref="ClosesAt"/> was last set (opening or rescheduling), so an older event never overrides a newer one.</summary>
    public DateTimeOffset ScheduledAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public int ReminderAfterDays { get; set; }
    public int ReminderMax { get; set; }
    /// <summary>The sample size asked for (null: everyone who matched).</summary>
    public int? SampleSize { get; set; }
    /// <summary>Invitable members who matched the criteria and the contact-fatigue rule when the sample was drawn.</summary>
    public int Eligible { get; set; }
    public int Issued { get; set; }
    /// <summary>Quotas that could not be met, as JSON (attribute, values, wanted, invited); null when all were.</summary>
    public string? Shortfall { get; set; }
    /// <summary>
    /// The survey's token data key, protected with ASP.NET Data Protection (see <see cref="InvitationTokens"/>);
    /// deleted when the survey closes, with the encrypted tokens.
    /// </summary>
    public string? TokenKey { get; set; }
    /// <summary>
    /// Why nothing was issued, when the survey reached fewer than the minimum group size k ("too-few-members"): a
    /// survey of fewer than k invitees would show each one's opening and answering. Null when invitations were issued.
    /// </summary>
    public string? NotIssued { get; set; }
}

/// <summary>
/// One member's invitation to one survey. Holds the SHA-256 hash of the one-time token (what Surveys knows) and
/// the token itself only encrypted under the survey's data key (<see cref="InvitationTokens"/>), so reminders and
/// "my panel" can repeat the link; the encrypted token and the key are cleared when the survey closes. After an
/// erasure the row stays without a member, so
/// the survey's progress counts stay right.
/// </summary>
public sealed class Invitation
{
    public Guid Id { get; set; }
    public Guid SurveyId { get; set; }
    public Guid? MemberId { get; set; }
    public required string TokenHash { get; set; }
    public string? ProtectedToken { get; set; }
    public required string Language { get; set; }
    public DateTimeOffset InvitedAt { get; set; }
    /// <summary>
    /// When Surveys acknowledged storing the token hash (<see cref="Contracts.SurveyInvitationsStored"/>): only from then
    /// on does the link work, so only then is the invitation emailed (its email waits <see cref="Email.EmailMessage.Held"/>)
    /// or listed on "my panel". Null while Surveys has not acknowledged it (progress counts these as waiting).
    /// </summary>
    public DateTimeOffset? AcknowledgedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? FailedAt { get; set; }
    /// <summary>Delivery attempts of the invitation email (failed ones plus the one that succeeded).</summary>
    public int Attempts { get; set; }
    public bool Opened { get; set; }
    public bool Answered { get; set; }
    public int RemindersQueued { get; set; }
    public DateTimeOffset? LastReminderAt { get; set; }
    public int RemindersSent { get; set; }
    public int RemindersFailed { get; set; }
    /// <summary>A random record key drawn once (by the database): the cell key of a progress count is the sum over the invitations it counts.</summary>
    public int RecordKey { get; set; }
}

internal sealed class InvitationSurveyConfiguration : IEntityTypeConfiguration<InvitationSurvey>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<InvitationSurvey> e)
    {
        e.ToTable("invitation_surveys");
        e.HasKey(s => s.Id);
        e.Property(s => s.Id).ValueGeneratedNever();
        e.Property(s => s.ServiceArea).HasMaxLength(100);
        var texts = new ValueComparer<Dictionary<string, string>>(
            (a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
            d => JsonSerializer.Serialize(d, Json).GetHashCode(StringComparison.Ordinal),
            d => new Dictionary<string, string>(d));
        e.Property(s => s.Title).HasColumnType("jsonb")
            .HasConversion(d => JsonSerializer.Serialize(d, Json), s => JsonSerializer.Deserialize<Dictionary<string, string>>(s, Json) ?? new(), texts);
        e.Property(s => s.Purpose).HasColumnType("jsonb")
            .HasConversion(d => JsonSerializer.Serialize(d, Json), s => JsonSerializer.Deserialize<Dictionary<string, string>>(s, Json) ?? new(), texts);
        e.Property(s => s.Shortfall).HasColumnType("jsonb");
        e.Property(s => s.TokenKey).HasMaxLength(1000);
        e.Property(s => s.NotIssued).HasMaxLength(40);
    }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> e)
    {
        e.ToTable("invitations");
        e.HasKey(i => i.Id);
        e.Property(i => i.TokenHash).HasMaxLength(64);
        e.HasIndex(i => i.TokenHash).IsUnique();
        e.Property(i => i.ProtectedToken).HasMaxLength(1000);
        e.Property(i => i.Language).HasMaxLength(2);
        e.Property(i => i.RecordKey).HasDefaultValueSql(RecordKeys.Sql);
        e.HasIndex(i => i.SurveyId);
        // The contact-fatigue rule counts a member's recent invitations.
        e.HasIndex(i => new { i.MemberId, i.InvitedAt });
        e.HasOne<InvitationSurvey>().WithMany().HasForeignKey(i => i.SurveyId).OnDelete(DeleteBehavior.Cascade);
        // An erased member's invitations stay as counts, linked to nobody.
        e.HasOne<Member>().WithMany().HasForeignKey(i => i.MemberId).OnDelete(DeleteBehavior.SetNull);
    }
}
