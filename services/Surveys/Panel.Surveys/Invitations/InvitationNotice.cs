using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Panel.Surveys.Invitations;

/// <summary>
/// An invitation was opened for the first time (<see cref="Answered"/> false) or answered (true), written in the
/// transaction that marked it so, and waiting for the <see cref="InvitationNoticeRelay"/> to tell Membership and
/// Reporting in one message per survey. Holds the invitation's token hash only: nothing of the answer, and the
/// answer (pending_responses) holds nothing pointing here.
/// </summary>
public sealed class InvitationNotice
{
    public long Id { get; set; }
    public Guid SurveyId { get; set; }
    public required string TokenHash { get; set; }
    public bool Answered { get; set; }
}

internal sealed class InvitationNoticeConfiguration : IEntityTypeConfiguration<InvitationNotice>
{
    public void Configure(EntityTypeBuilder<InvitationNotice> e)
    {
        e.ToTable("invitation_notices");
        e.HasKey(n => n.Id);
        e.Property(n => n.Id).UseIdentityAlwaysColumn();
        e.Property(n => n.TokenHash).HasMaxLength(InvitationTokens.HashLength);
    }
}
