using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Panel.Contracts;
using Panel.Surveys.Data;
using Panel.Surveys.Definitions;

namespace Panel.Surveys.Responses;

/// <summary>
/// One submitted answer set. Anonymous (DESIGN.md section 5, rule 2): no member id, no invitation, and
/// only the day it was submitted. The answering part extends this (channel, assisted, …).
/// </summary>
public sealed class SurveyResponse
{
    public Guid Id { get; set; }
    public Guid SurveyId { get; set; }
    /// <summary>The definition version answered (survey_versions).</summary>
    public int DefinitionVersion { get; set; }
    /// <summary>Coarse on purpose: the day, never the moment.</summary>
    public DateOnly SubmittedOn { get; set; }
    /// <summary>The coarse profile for statistics; null for answers without one (e.g. a public link).</summary>
    public ProfileSnapshot? Profile { get; set; }
    /// <summary>Question id → answer, as checked by <see cref="AnswerValidation"/>.</summary>
    public required IReadOnlyDictionary<string, JsonElement> Answers { get; set; }
}

internal sealed class SurveyResponseConfiguration : IEntityTypeConfiguration<SurveyResponse>
{
    public void Configure(EntityTypeBuilder<SurveyResponse> e)
    {
        e.ToTable("survey_responses");
        e.HasKey(r => r.Id);
        e.Property(r => r.Profile).HasJsonColumn();
        e.Property(r => r.Answers).HasJsonColumn();
        e.HasIndex(r => r.SurveyId);
        e.HasOne<Survey>().WithMany().HasForeignKey(r => r.SurveyId).OnDelete(DeleteBehavior.Restrict);
    }
}

public static class Answers
{
    /// <summary>
    /// The seam the definition's editing uses: once a survey has answers, only changes that keep them
    /// meaningful are allowed (see <see cref="DefinitionDiff"/>).
    /// </summary>
    public static Task<bool> ExistAsync(SurveysDbContext db, Guid surveyId, CancellationToken ct) =>
        db.Responses.AnyAsync(r => r.SurveyId == surveyId, ct);
}
