using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Panel.Contracts;
using Panel.Surveys.Data;
using Panel.Surveys.Definitions;

namespace Panel.Surveys.Responses;

/// <summary>
/// One submitted answer set. Anonymous (DESIGN.md section 5, rule 2): no member id, no invitation, and
/// only the day it was submitted. Written by <see cref="ResponseMixer"/> from <see cref="PendingResponse"/>
/// in a later transaction than the invitation's, with a new random (v4) id; free text is masked.
/// </summary>
public sealed class SurveyResponse
{
    /// <summary>Random (v4): a time-ordered id would tell when the answer came.</summary>
    public Guid Id { get; set; }
    public Guid SurveyId { get; set; }
    /// <summary>The definition version answered (survey_versions).</summary>
    public int DefinitionVersion { get; set; }
    /// <summary>Coarse on purpose: the day, never the moment.</summary>
    public DateOnly SubmittedOn { get; set; }
    /// <summary>The coarse profile for statistics; null for answers without one (e.g. a public link).</summary>
    public ProfileSnapshot? Profile { get; set; }
    /// <summary>How the answer came: one of <see cref="ResponseChannels"/>.</summary>
    public required string Channel { get; set; }
    /// <summary>Question id → answer, as checked by <see cref="AnswerValidation"/>.</summary>
    public required IReadOnlyDictionary<string, JsonElement> Answers { get; set; }
}

/// <summary>How an answer reached the panel (ResponseSubmitted.Channel); reported apart (open links separately from panel answers).</summary>
public static class ResponseChannels
{
    /// <summary>From the personal link of an invitation email.</summary>
    public const string Invitation = "invitation";
    /// <summary>From an invitation, by a resident signed in to "my panel".</summary>
    public const string SignedIn = "signed-in";
    /// <summary>From a survey's public link, without membership.</summary>
    public const string OpenLink = "open-link";
    /// <summary>Entered by staff on a resident's behalf (digital support, home visit, phone).</summary>
    public const string Assisted = "assisted";
    /// <summary>Entered by staff from a paper form.</summary>
    public const string Paper = "paper";

    public const int MaxLength = 20;
}

internal sealed class SurveyResponseConfiguration : IEntityTypeConfiguration<SurveyResponse>
{
    public void Configure(EntityTypeBuilder<SurveyResponse> e)
    {
        e.ToTable("survey_responses");
        e.HasKey(r => r.Id);
        e.Property(r => r.Profile).HasJsonColumn();
        e.Property(r => r.Answers).HasJsonColumn();
        e.Property(r => r.Channel).HasMaxLength(ResponseChannels.MaxLength);
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
    /// <remarks>Answers still waiting for the mixer count: they were validated against the definition as it stands.</remarks>
    public static async Task<bool> ExistAsync(SurveysDbContext db, Guid surveyId, CancellationToken ct) =>
        await db.Responses.AnyAsync(r => r.SurveyId == surveyId, ct)
        || await db.PendingResponses.AnyAsync(r => r.SurveyId == surveyId, ct);
}
