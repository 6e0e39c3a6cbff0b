using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Panel.Contracts;
using Panel.Privacy;
using Panel.Reporting.Data;

namespace Panel.Reporting.SurveyResults;

/// <summary>
/// Keeps <see cref="ResultsSurvey"/> from Surveys' events, whatever order they arrive in: a definition replaces
/// the held one only if its version is not older, and the stage only moves forward.
/// </summary>
public static class SurveyReadModel
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Never below 3 (DESIGN.md section 5, rule 4), whatever an event says.</summary>
    public static int SafeK(int k) => MinimumGroup.AtLeastLowest(k);

    public static async Task<ResultsSurvey> FindOrAddAsync(ReportingDbContext db, Guid surveyId, CancellationToken ct)
    {
        // Locks the row (or, for a new survey, the key) so that two events of one survey apply one after the other.
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO results_surveys (survey_id, version, kind, service_area, minimum_group_size, stage, title, purpose, results_use) VALUES ({surveyId}, 0, '', '', 5, 0, '{{}}', '{{}}', '{{}}') ON CONFLICT (survey_id) DO NOTHING",
            ct);
        return await db.ResultsSurveys.FromSql($"SELECT * FROM results_surveys WHERE survey_id = {surveyId} FOR UPDATE").SingleAsync(ct);
    }

    public static async Task ApplyDefinitionAsync(ReportingDbContext db, Guid surveyId, int version, SurveyDefinitionSnapshot definition, CancellationToken ct)
    {
        var survey = await FindOrAddAsync(db, surveyId, ct);
        var json = JsonSerializer.Serialize(definition, Json);
        if (!await db.ResultsSurveyDefinitions.AnyAsync(d => d.SurveyId == surveyId && d.Version == version, ct))
        {
            db.ResultsSurveyDefinitions.Add(new ResultsSurveyDefinition { SurveyId = surveyId, Version = version, Definition = json });
        }

        if (version < survey.Version) return;
        survey.Version = version;
        survey.Definition = json;
        survey.Kind = definition.Kind;
        survey.ServiceArea = definition.ServiceArea;
        survey.MinimumGroupSize = SafeK(definition.MinimumGroupSize);
        survey.Title = Texts(definition.Title);
        survey.Purpose = Texts(definition.Purpose);
        survey.ResultsUse = Texts(definition.ResultsUse);
    }

    public static void Advance(ResultsSurvey survey, SurveyStage stage)
    {
        if (survey.Stage < stage) survey.Stage = stage;
    }

    public static string Texts(IReadOnlyDictionary<string, string>? texts) => JsonSerializer.Serialize(texts ?? new Dictionary<string, string>(), Json);

    public static IReadOnlyDictionary<string, string> ReadTexts(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json, Json) ?? [];

    public static SurveyDefinitionSnapshot? ReadDefinition(ResultsSurvey survey) =>
        survey.Definition is null ? null : JsonSerializer.Deserialize<SurveyDefinitionSnapshot>(survey.Definition, Json);
}
