using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Panel.Contracts;
using Panel.Surveys.Data;
using Panel.Surveys.Definitions;

namespace Panel.Surveys.Responses;

/// <summary>
/// A submitted answer set waiting for the <see cref="ResponseMixer"/>. Written in the transaction that marks
/// the invitation answered, so within a second the <see cref="PendingAnswerSettler"/> rewrites it in a transaction
/// of its own, and the mixer later moves it (in a release of at least k, shuffled, in a transaction of its own)
/// into survey_responses. Holds no invitation, token or member, only the day; free text is
/// masked already.
/// </summary>
public sealed class PendingResponse
{
    /// <summary>Random (v4), never v7: a time-ordered id would tell when the answer came.</summary>
    public Guid Id { get; set; }
    public Guid SurveyId { get; set; }
    public int DefinitionVersion { get; set; }
    public DateOnly SubmittedOn { get; set; }
    public required string Channel { get; set; }
    public ProfileSnapshot? Profile { get; set; }
    public required IReadOnlyDictionary<string, JsonElement> Answers { get; set; }

    /// <summary>
    /// False when written by answering (in the invitation's transaction), true once the
    /// <see cref="PendingAnswerSettler"/> has rewritten it in a transaction of its own. The column defaults to false,
    /// so the answer statement need not name it.
    /// </summary>
    public bool Settled { get; set; }
}

internal sealed class PendingResponseConfiguration : IEntityTypeConfiguration<PendingResponse>
{
    public void Configure(EntityTypeBuilder<PendingResponse> e)
    {
        e.ToTable("pending_responses");
        e.HasKey(r => r.Id);
        e.Property(r => r.Profile).HasJsonColumn();
        e.Property(r => r.Answers).HasJsonColumn();
        e.Property(r => r.Channel).HasMaxLength(ResponseChannels.MaxLength);
        e.HasIndex(r => r.SurveyId);
        // The settler looks for new answers every second; they are few, so a partial index finds them at once.
        e.HasIndex(r => r.SurveyId, "unsettled").HasDatabaseName("ix_pending_responses_unsettled").HasFilter("NOT settled");
        e.HasOne<Survey>().WithMany().HasForeignKey(r => r.SurveyId).OnDelete(DeleteBehavior.Restrict);
    }
}
