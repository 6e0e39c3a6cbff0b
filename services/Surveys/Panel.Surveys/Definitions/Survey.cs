using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Panel.Surveys.Data;

namespace Panel.Surveys.Definitions;

/// <summary>Where a survey stands: draft → in review → approved (scheduled) → open → closed → results published.</summary>
public enum SurveyState
{
    Draft,
    InReview,
    Approved,
    Open,
    Closed,
    ResultsPublished,
}

/// <summary>A survey: its content (a versioned jsonb definition) and where it stands in its lifecycle.</summary>
public sealed class Survey
{
    public Guid Id { get; set; }
    public SurveyKind Kind { get; set; }
    public required string ServiceArea { get; set; }
    /// <summary>k: no result describing fewer respondents is shown (DESIGN.md section 5, rule 4).</summary>
    public int MinimumGroupSize { get; set; }
    public SurveyState State { get; set; }
    public required SurveyDefinition Definition { get; set; }
    /// <summary>Raised by every change of the definition; answers record the version they answered.</summary>
    public int DefinitionVersion { get; set; }
    /// <summary>A copy of the definition's title, so lists need not read whole definitions.</summary>
    public required LocalizedText Title { get; set; }

    /// <summary>Who is asked: a panel sample by criteria, or anyone with an open link. Null until set (while a draft).</summary>
    public Targeting.TargetGroup? TargetGroup { get; set; }

    /// <summary>
    /// The random id of the survey's public link (/answer/open/{PublicId}) when its target group is an open link.
    /// Random rather than the survey's id, which is time-ordered and used by staff.
    /// </summary>
    public string? PublicId { get; set; }

    /// <summary>The staff user id (gateway token subject) of the creator; a SurveyAuthor sees their own surveys.</summary>
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string UpdatedBy { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? TemplateId { get; set; }

    public DateTimeOffset? SubmittedAt { get; set; }
    public DateTimeOffset? ApprovedAt { get; set; }
    public string? ApprovedBy { get; set; }
    public DateTimeOffset? OpensAt { get; set; }
    public DateTimeOffset? ClosesAt { get; set; }
    public DateTimeOffset? OpenedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    /// <summary>Set when a coordinator closed the survey before its closing time.</summary>
    public string? ClosedBy { get; set; }
    public DateTimeOffset? ResultsPublishedAt { get; set; }
    public string? ResultsPublishedBy { get; set; }

    /// <summary>
    /// Set by the response mixer once the survey has closed and nothing more of it will ever be released, in the
    /// transaction that tells Reporting so (SurveyAnswersFinalized).
    /// </summary>
    public DateTimeOffset? AnswersFinalAt { get; set; }
}

/// <summary>
/// A definition as it stood from approval on: answers name their version, so every version residents
/// could have answered is kept.
/// </summary>
public sealed class SurveyVersion
{
    public Guid SurveyId { get; set; }
    public int Version { get; set; }
    public required SurveyDefinition Definition { get; set; }
    public int MinimumGroupSize { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class SurveyConfiguration : IEntityTypeConfiguration<Survey>
{
    public void Configure(EntityTypeBuilder<Survey> e)
    {
        e.ToTable("surveys", t =>
        {
            t.HasCheckConstraint("ck_surveys_minimum_group_size", "minimum_group_size >= 3");
            t.HasCheckConstraint("ck_surveys_schedule", "opens_at IS NULL OR closes_at > opens_at");
        });
        e.HasKey(s => s.Id);
        e.Property(s => s.Kind).HasConversion<string>().HasMaxLength(30);
        e.Property(s => s.State).HasConversion<string>().HasMaxLength(30);
        e.Property(s => s.ServiceArea).HasMaxLength(60);
        e.Property(s => s.Definition).HasJsonColumn();
        e.Property(s => s.Title).HasJsonColumn();
        e.Property(s => s.TargetGroup).HasJsonColumn();
        e.Property(s => s.PublicId).HasMaxLength(32);
        e.HasIndex(s => s.PublicId).IsUnique().HasFilter("public_id IS NOT NULL");
        e.Property(s => s.CreatedBy).HasMaxLength(100);
        e.Property(s => s.UpdatedBy).HasMaxLength(100);
        e.Property(s => s.ApprovedBy).HasMaxLength(100);
        e.Property(s => s.ClosedBy).HasMaxLength(100);
        e.Property(s => s.ResultsPublishedBy).HasMaxLength(100);
        e.Property(s => s.TemplateId).HasMaxLength(60);
        e.HasIndex(s => s.CreatedBy);
        e.HasIndex(s => s.ServiceArea);
        // The clock looks only at scheduled and open surveys.
        e.HasIndex(s => s.OpensAt).HasDatabaseName("ix_surveys_due_to_open").HasFilter("state = 'Approved'");
        e.HasIndex(s => s.ClosesAt).HasDatabaseName("ix_surveys_due_to_close").HasFilter("state = 'Open'");
    }
}

internal sealed class SurveyVersionConfiguration : IEntityTypeConfiguration<SurveyVersion>
{
    public void Configure(EntityTypeBuilder<SurveyVersion> e)
    {
        e.ToTable("survey_versions");
        e.HasKey(v => new { v.SurveyId, v.Version });
        e.Property(v => v.Definition).HasJsonColumn();
        e.HasOne<Survey>().WithMany().HasForeignKey(v => v.SurveyId).OnDelete(DeleteBehavior.Cascade);
    }
}
