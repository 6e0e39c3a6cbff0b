using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Panel.Surveys.Data;
using Panel.Surveys.Definitions;
using Panel.Surveys.Invitations;

namespace Panel.Surveys.Answering;

/// <summary>
/// Answers saved to be resumed later: keyed by the invitation's token hash, or for an open link by the hash of a
/// random resume code given to the resident (the code itself is not kept). Deleted when the answers are
/// submitted, and with every draft of a survey once it has closed, as drafts hold unmasked free text.
/// </summary>
public sealed class AnswerDraft
{
    public required string KeyHash { get; set; }
    public Guid SurveyId { get; set; }
    /// <summary>The page last saved, where the resident resumes.</summary>
    public string? PageId { get; set; }
    public required IReadOnlyDictionary<string, JsonElement> Answers { get; set; }
    /// <summary>The day last saved (coarse, for clean-up only).</summary>
    public DateOnly SavedOn { get; set; }
}

internal sealed class AnswerDraftConfiguration : IEntityTypeConfiguration<AnswerDraft>
{
    public void Configure(EntityTypeBuilder<AnswerDraft> e)
    {
        e.ToTable("answer_drafts");
        e.HasKey(d => d.KeyHash);
        e.Property(d => d.KeyHash).HasMaxLength(InvitationTokens.HashLength);
        e.Property(d => d.PageId).HasMaxLength(60);
        e.Property(d => d.Answers).HasJsonColumn();
        e.HasIndex(d => d.SurveyId);
        e.HasOne<Survey>().WithMany().HasForeignKey(d => d.SurveyId).OnDelete(DeleteBehavior.Cascade);
    }
}
