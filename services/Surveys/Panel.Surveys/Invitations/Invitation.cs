using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Panel.Contracts;
using Panel.Surveys.Data;
using Panel.Surveys.Definitions;

namespace Panel.Surveys.Invitations;

/// <summary>
/// An invitation Membership issued, known here only by the hash of its token. Records whether it was opened
/// and answered (for reminders and progress), never when, never by whom, and never what was answered: the
/// answer is stored apart (pending_responses, then survey_responses) with nothing pointing back here.
/// </summary>
public sealed class Invitation
{
    public required string TokenHash { get; set; }
    public Guid SurveyId { get; set; }
    /// <summary>
    /// The invited member's coarse profile, copied into the answer for statistics; null once answered (the statement
    /// that copies it clears it) and once the survey has closed, so that no invitation lies beside the answers with
    /// the profile that would single one out.
    /// </summary>
    public ProfileSnapshot? Profile { get; set; }
    /// <summary>The language the invitation was sent in; the form opens in it unless the resident chooses another.</summary>
    public required string Language { get; set; }
    public bool Opened { get; set; }
    public bool Answered { get; set; }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> e)
    {
        e.ToTable("invitations");
        e.HasKey(i => i.TokenHash);
        e.Property(i => i.TokenHash).HasMaxLength(InvitationTokens.HashLength);
        e.Property(i => i.Profile).HasJsonColumn();
        e.Property(i => i.Language).HasMaxLength(2);
        e.HasIndex(i => i.SurveyId);
        e.HasOne<Survey>().WithMany().HasForeignKey(i => i.SurveyId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>How a token is known without being kept: SHA-256 of its UTF-8 bytes, lowercase hex (as Membership hashes it).</summary>
public static class InvitationTokens
{
    public const int HashLength = 64;
    /// <summary>Longer than any token Membership makes (43 characters); anything longer is not a token.</summary>
    public const int MaxTokenLength = 200;

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static bool IsHash(string? value) =>
        value is { Length: HashLength } && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
