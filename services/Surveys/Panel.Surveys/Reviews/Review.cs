using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Panel.Surveys.Definitions;

namespace Panel.Surveys.Reviews;

/// <summary>What a review entry did to the survey.</summary>
public enum ReviewDecision
{
    /// <summary>A comment; the survey stays in review.</summary>
    Comment,
    /// <summary>Sent back to its author as a draft, with the comment saying why.</summary>
    ReturnedToDraft,
    /// <summary>The coordinator approved and scheduled it.</summary>
    Approved,
}

/// <summary>A review comment, kept for good: who (staff id and the role they reviewed in), when, on which version.</summary>
public sealed class Review
{
    public Guid Id { get; set; }
    public Guid SurveyId { get; set; }
    public required string AuthorId { get; set; }
    public required string AuthorRole { get; set; }
    public ReviewDecision Decision { get; set; }
    public string? Comment { get; set; }
    public int DefinitionVersion { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class ReviewConfiguration : IEntityTypeConfiguration<Review>
{
    public void Configure(EntityTypeBuilder<Review> e)
    {
        e.ToTable("survey_reviews");
        e.HasKey(r => r.Id);
        e.Property(r => r.AuthorId).HasMaxLength(100);
        e.Property(r => r.AuthorRole).HasMaxLength(30);
        e.Property(r => r.Decision).HasConversion<string>().HasMaxLength(30);
        e.Property(r => r.Comment).HasMaxLength(ReviewEndpoints.CommentLength);
        e.HasIndex(r => new { r.SurveyId, r.CreatedAt });
        e.HasOne<Survey>().WithMany().HasForeignKey(r => r.SurveyId).OnDelete(DeleteBehavior.Cascade);
    }
}
