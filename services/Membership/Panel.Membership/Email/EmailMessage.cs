using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Panel.Membership.Members;

namespace Panel.Membership.Email;

public enum EmailKind
{
    Verification,
    SignIn,
    /// <summary>An invitation to a survey; its body is rendered when sent, from the invitation's protected token.</summary>
    Invitation,
    /// <summary>A reminder of an invitation, with the same link.</summary>
    Reminder,
    /// <summary>Somebody joined with an address that is already in the panel: the person hears it, with a sign-in link.</summary>
    AlreadyMember,
}

/// <summary>
/// An email waiting to be sent (the email outbox). Written in the same transaction as the change
/// that causes it; the background sender sends it and clears its body, which holds a one-time link.
/// </summary>
public sealed class EmailMessage
{
    public Guid Id { get; set; }
    public Guid MemberId { get; set; }
    /// <summary>The invitation an invitation or reminder email belongs to.</summary>
    public Guid? InvitationId { get; set; }
    public EmailKind Kind { get; set; }
    public required string To { get; set; }
    public required string Language { get; set; }
    public required string Subject { get; set; }
    public string? Body { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    /// <summary>Set when the sender gave up after its last attempt.</summary>
    public DateTimeOffset? FailedAt { get; set; }
    /// <summary>
    /// An invitation email waiting for Surveys to acknowledge its token (<see cref="Invitations.Invitation.AcknowledgedAt"/>):
    /// the sender does not claim it, so no link goes out before Surveys accepts it. Released by the acknowledgement.
    /// </summary>
    public bool Held { get; set; }
}

internal sealed class EmailMessageConfiguration : IEntityTypeConfiguration<EmailMessage>
{
    public void Configure(EntityTypeBuilder<EmailMessage> e)
    {
        e.ToTable("email_outbox");
        e.HasKey(m => m.Id);
        e.Property(m => m.Kind).HasConversion<string>().HasMaxLength(20);
        e.Property(m => m.To).HasColumnName("to_address").HasMaxLength(254);
        e.Property(m => m.Language).HasMaxLength(2);
        e.Property(m => m.Subject).HasMaxLength(200);
        e.Property(m => m.Body).HasMaxLength(8000);
        // Rate limits count a member's recent emails.
        e.HasIndex(m => new { m.MemberId, m.CreatedAt });
        // The sender reads only what is still to send, in the order it claims it (created_at, id): a claim reads its
        // batch from the index and stops, instead of sorting every unsent row (50,000 invitations share one created_at).
        // Held invitation emails are outside the index, so thousands waiting for Surveys cost a claim nothing.
        e.HasIndex(m => new { m.CreatedAt, m.Id }).HasDatabaseName("ix_email_outbox_unsent").HasFilter("sent_at IS NULL AND failed_at IS NULL AND NOT held");
        // Erasing a member erases their queued and sent emails with them.
        e.HasOne<Member>().WithMany().HasForeignKey(m => m.MemberId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Invitations.Invitation>().WithMany().HasForeignKey(m => m.InvitationId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(m => m.InvitationId);
    }
}
