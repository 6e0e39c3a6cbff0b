using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Panel.Reporting.SurveyResults;

/// <summary>How far a survey has come; events may arrive out of order, so a survey only ever moves forward.</summary>
public enum SurveyStage
{
    Approved = 1,
    Open = 2,
    Closed = 3,
    ResultsPublished = 4,
}

/// <summary>
/// A survey as Reporting knows it from Surveys' events: texts of its newest definition, area, k and stage.
/// Texts are JSON objects keyed by language; the definition is the newest <c>SurveyDefinitionSnapshot</c> as JSON.
/// </summary>
public sealed class ResultsSurvey
{
    public Guid SurveyId { get; set; }
    public int Version { get; set; }
    public string Kind { get; set; } = "";
    public string ServiceArea { get; set; } = "";
    public int MinimumGroupSize { get; set; } = 5;
    public SurveyStage Stage { get; set; }
    public string Title { get; set; } = "{}";
    public string Purpose { get; set; } = "{}";
    public string ResultsUse { get; set; } = "{}";
    public string? Definition { get; set; }
    public DateTimeOffset? OpensAt { get; set; }
    public DateTimeOffset? ClosesAt { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }

    /// <summary>
    /// How many answer sets the survey has in all, once Surveys said every answer is in (SurveyAnswersFinalized); null
    /// before. Breakdowns by profile are shown only when Reporting holds exactly that many.
    /// </summary>
    public int? FinalResponses { get; set; }
}

/// <summary>Every definition version a survey has had (answers name the version they answered).</summary>
public sealed class ResultsSurveyDefinition
{
    public Guid SurveyId { get; set; }
    public int Version { get; set; }
    public required string Definition { get; set; }
}

/// <summary>
/// The results cube, kept as per-attribute rollups: how many answer sets of an audience (panel: every channel but
/// the open link; open-link) whose profile has <see cref="AttributeValue"/> for <see cref="Attribute"/> (ageBand,
/// municipality, gender, language, isClient, channel; value "" where not known) gave <see cref="Value"/> for
/// <see cref="Item"/> of a question, with the sum of <see cref="Total"/> (budget vouchers). Every answer set is
/// counted once under each attribute. Reserved keys (ids in Surveys never start with '#'): question "#" counts
/// answer sets; item "#" of a question counts the answer sets that answered it.
/// Why rollups and not the full profile cell: results are broken down by at most one attribute and filtered by at
/// most that same attribute (<see cref="ResultsAttributes.TryParseFilter"/>), so a read needs one attribute's rows
/// only (a few thousand for any number of answers) instead of every cell (a million rows for a million answers);
/// the unbroken-down results are one attribute's rollup summed over its values (<see cref="TotalsAttribute"/>).
/// No combination of two attributes is stored, so none can be read. No answer set is kept.
/// </summary>
public sealed class SurveyAnswerRollup
{
    public const string ResponsesQuestion = "#";
    public const string AnsweredItem = "#";

    /// <summary>The rollup read for results not broken down: channel has the fewest values and also gives the audiences.</summary>
    public const string TotalsAttribute = "channel";

    public Guid SurveyId { get; set; }
    public required string Attribute { get; set; }
    public required string Audience { get; set; }
    public required string AttributeValue { get; set; }
    public required string QuestionId { get; set; }
    public required string Item { get; set; }
    public required string Value { get; set; }
    public long Respondents { get; set; }
    public decimal Total { get; set; }
}

/// <summary>One free-text answer (masked), in its profile cell; no link to the other answers of its answer set.</summary>
public sealed class SurveyFreeText
{
    public Guid Id { get; set; }
    public Guid SurveyId { get; set; }
    public required string QuestionId { get; set; }
    public required string AgeBand { get; set; }
    public required string Municipality { get; set; }
    public required string Gender { get; set; }
    public required string Language { get; set; }
    public required string IsClient { get; set; }
    public required string Channel { get; set; }
    public required string Text { get; set; }
}

/// <summary>Invitations issued, opened for the first time and answered on one UTC day (no token hashes kept).</summary>
public sealed class SurveyFunnelDay
{
    public Guid SurveyId { get; set; }
    public DateOnly Day { get; set; }
    public long Invited { get; set; }
    public long Opened { get; set; }
    public long Answered { get; set; }
}

/// <summary>A staff member (gateway subject) a coordinator gave access to a survey's results.</summary>
public sealed class SurveyReportReader
{
    public Guid SurveyId { get; set; }
    public required string StaffId { get; set; }
}

internal sealed class ResultsSurveyConfiguration : IEntityTypeConfiguration<ResultsSurvey>
{
    public void Configure(EntityTypeBuilder<ResultsSurvey> e)
    {
        e.ToTable("results_surveys");
        e.HasKey(s => s.SurveyId);
        e.Property(s => s.Kind).HasMaxLength(50);
        e.Property(s => s.ServiceArea).HasMaxLength(200);
        e.Property(s => s.Stage).HasConversion<int>();
        e.Property(s => s.Title).HasColumnType("jsonb");
        e.Property(s => s.Purpose).HasColumnType("jsonb");
        e.Property(s => s.ResultsUse).HasColumnType("jsonb");
        e.Property(s => s.Definition).HasColumnType("jsonb");
    }
}

internal sealed class ResultsSurveyDefinitionConfiguration : IEntityTypeConfiguration<ResultsSurveyDefinition>
{
    public void Configure(EntityTypeBuilder<ResultsSurveyDefinition> e)
    {
        e.ToTable("results_survey_definitions");
        e.HasKey(d => new { d.SurveyId, d.Version });
        e.Property(d => d.Definition).HasColumnType("jsonb");
    }
}

internal sealed class SurveyAnswerRollupConfiguration : IEntityTypeConfiguration<SurveyAnswerRollup>
{
    public void Configure(EntityTypeBuilder<SurveyAnswerRollup> e)
    {
        e.ToTable("survey_answer_rollups");
        // The key's prefix (survey, attribute) is what every read asks for.
        e.HasKey(c => new { c.SurveyId, c.Attribute, c.Audience, c.AttributeValue, c.QuestionId, c.Item, c.Value });
        e.Property(c => c.Attribute).HasMaxLength(20);
        e.Property(c => c.Audience).HasMaxLength(10);
        e.Property(c => c.AttributeValue).HasMaxLength(100);
        e.Property(c => c.QuestionId).HasMaxLength(40);
        e.Property(c => c.Item).HasMaxLength(40);
        e.Property(c => c.Value).HasMaxLength(40);
        e.Property(c => c.Total).HasPrecision(20, 4);
    }
}

internal sealed class SurveyFreeTextConfiguration : IEntityTypeConfiguration<SurveyFreeText>
{
    public void Configure(EntityTypeBuilder<SurveyFreeText> e)
    {
        e.ToTable("survey_free_texts");
        e.HasKey(t => t.Id);
        e.Property(t => t.Id).ValueGeneratedNever();
        // Random (v4) ids: the first 1 000 by id are a random sample of a question's texts, read without a sort of all.
        e.HasIndex(t => new { t.SurveyId, t.QuestionId, t.Id });
        e.Property(t => t.QuestionId).HasMaxLength(40);
        e.Property(t => t.AgeBand).HasMaxLength(10);
        e.Property(t => t.Municipality).HasMaxLength(100);
        e.Property(t => t.Gender).HasMaxLength(20);
        e.Property(t => t.Language).HasMaxLength(10);
        e.Property(t => t.IsClient).HasMaxLength(5);
        e.Property(t => t.Channel).HasMaxLength(20);
    }
}

internal sealed class SurveyFunnelDayConfiguration : IEntityTypeConfiguration<SurveyFunnelDay>
{
    public void Configure(EntityTypeBuilder<SurveyFunnelDay> e)
    {
        e.ToTable("survey_funnel_days");
        e.HasKey(d => new { d.SurveyId, d.Day });
    }
}

internal sealed class SurveyReportReaderConfiguration : IEntityTypeConfiguration<SurveyReportReader>
{
    public void Configure(EntityTypeBuilder<SurveyReportReader> e)
    {
        e.ToTable("survey_report_readers");
        e.HasKey(r => new { r.SurveyId, r.StaffId });
        e.Property(r => r.StaffId).HasMaxLength(200);
    }
}
