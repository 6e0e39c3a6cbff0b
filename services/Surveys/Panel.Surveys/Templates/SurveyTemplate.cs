using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Panel.Surveys.Data;
using Panel.Surveys.Definitions;

namespace Panel.Surveys.Templates;

/// <summary>A survey saved by staff as a starting point for new ones (the built-in templates live in code).</summary>
public sealed class SurveyTemplate
{
    public Guid Id { get; set; }
    public required LocalizedText Title { get; set; }
    public LocalizedText? Description { get; set; }
    public SurveyKind Kind { get; set; }
    public int MinimumGroupSize { get; set; }
    public required SurveyDefinition Definition { get; set; }
    public Guid? SourceSurveyId { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class SurveyTemplateConfiguration : IEntityTypeConfiguration<SurveyTemplate>
{
    public void Configure(EntityTypeBuilder<SurveyTemplate> e)
    {
        e.ToTable("survey_templates");
        e.HasKey(t => t.Id);
        e.Property(t => t.Title).HasJsonColumn();
        e.Property(t => t.Description).HasJsonColumn();
        e.Property(t => t.Definition).HasJsonColumn();
        e.Property(t => t.Kind).HasConversion<string>().HasMaxLength(30);
        e.Property(t => t.CreatedBy).HasMaxLength(100);
    }
}
