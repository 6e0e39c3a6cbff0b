using Panel.Privacy;
using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Microsoft.EntityFrameworkCore;
using Panel.Contracts;
using Panel.Reporting.Data;

namespace Panel.Reporting.SurveyResults;

/// <summary>A filter: several values of one profile attribute ("" is the value "unknown": no profile, no gender given).</summary>
public sealed record ResultsFilter(string Attribute, IReadOnlyList<string> Values);

/// <summary>The profile attributes results can be filtered and cross-tabulated by: their query names (also the rollups' attribute keys) and the profile columns.</summary>
public static partial class ResultsAttributes
{
    public const string Unknown = "unknown";

    public static readonly IReadOnlyDictionary<string, string> Columns = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ageBand"] = "age_band",
        ["municipality"] = "municipality",
        ["gender"] = "gender",
        ["language"] = "language",
        ["isClient"] = "is_client",
        ["channel"] = "channel",
    };

    private static readonly string[] Genders = ["woman", "man", "other", "unspecified"];
    private static readonly string[] Languages = ["fi", "sv", "en"];
    private static readonly string[] Channels = ["invitation", "signed-in", "open-link", "assisted", "paper"];

    [GeneratedRegex(@"^(\d{2}-\d{2}|\d{2}\+)$")]
    private static partial Regex AgeBandPattern();

    private static string? Check(string attribute, string value) => attribute switch
    {
        _ when value == Unknown && attribute != "channel" => null,
        "ageBand" when !AgeBandPattern().IsMatch(value) => "an age band such as 25-34 or 85+, or unknown",
        "gender" when !Genders.Contains(value) => "woman, man, other, unspecified or unknown",
        "language" when !Languages.Contains(value) => "fi, sv, en or unknown",
        "isClient" when value is not ("true" or "false") => "true, false or unknown",
        "channel" when !Channels.Contains(value) => "invitation, signed-in, open-link, assisted or paper",
        "municipality" when value.Length > 100 || value.Any(char.IsControl) => "a municipality name of at most 100 characters",
        _ => null,
    };

    /// <summary>
    /// Reads the filter from the query: at most one attribute (several values, repeated or comma-separated).
    /// With <paramref name="only"/> (a cross-tab's attribute) no other attribute may be filtered.
    /// </summary>
    /// <summary>
    /// Documents the filter query parameters (read from the query by <see cref="TryParseFilter"/>) in the OpenAPI
    /// document, one optional, repeatable parameter per attribute, so that clients made from it can send them.
    /// </summary>
    public static Task DocumentFilter(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        operation.Parameters ??= [];
        foreach (var attribute in Columns.Keys)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = attribute,
                In = ParameterLocation.Query,
                Required = false,
                Style = ParameterStyle.Form,
                Explode = true,
                Description = $"Filter by {attribute}: values repeated or comma-separated ('unknown' for not known). One attribute at a time.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            });
        }

        return Task.CompletedTask;
    }

    public static bool TryParseFilter(IQueryCollection query, string? only, out ResultsFilter? filter, out ValidationProblem? problem)
    {
        filter = null;
        problem = null;
        foreach (var attribute in Columns.Keys)
        {
            if (!query.TryGetValue(attribute, out var raw)) continue;
            var values = raw.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries)).ToList();
            string? error = null;
            if (only is not null && attribute != only)
            {
                error = $"A cross-tab by {only} can be filtered by {only} only: a filter on a second attribute would show a combination of two attributes, whose small groups overlapping filters could reveal.";
            }
            else if (filter is not null)
            {
                error = $"Results are filtered by one profile attribute at a time (here already {filter.Attribute}): filters combining attributes could be differenced to reveal groups smaller than the minimum group size.";
            }
            else if (values.Count == 0 || values.Any(v => v.Length == 0))
            {
                error = "Give at least one value; an empty value is not one.";
            }
            else if (values.Count > 100)
            {
                error = "At most 100 values.";
            }
            else if (values.Select(v => Check(attribute, v)).FirstOrDefault(e => e is not null) is { } expected)
            {
                error = $"Each value must be {expected}.";
            }

            if (error is not null)
            {
                problem = TypedResults.ValidationProblem(new Dictionary<string, string[]> { [attribute] = [error] });
                return false;
            }

            filter = new ResultsFilter(attribute, values.Select(v => v == Unknown ? "" : v).Distinct(StringComparer.Ordinal).ToList());
        }

        return true;
    }

    public static string Label(string value) => value.Length == 0 ? Unknown : value;
}

/// <summary>Reads a survey's cube summed by one attribute (or none), its free texts and its funnel.</summary>
public static class ResultsStore
{
    public const string Panel = "panel";
    public const string OpenLink = "open-link";

    public static IReadOnlyList<SurveyQuestionSnapshot> Questions(ResultsSurvey survey) =>
        SurveyReadModel.ReadDefinition(survey)?.Pages.SelectMany(p => p.Questions).ToList() ?? [];

    /// <summary>
    /// The cube per audience (panel: every channel but open-link) and value of <paramref name="attribute"/>: that
    /// attribute's rollup as it is; without an attribute, the <see cref="SurveyAnswerRollup.TotalsAttribute"/> rollup
    /// summed over its values (every answer set is in each attribute's rollup once, so any one gives the totals).
    /// </summary>
    public static async Task<Dictionary<string, List<CubeEntry>>> LoadCubeAsync(ReportingDbContext db, Guid surveyId, string? attribute, CancellationToken ct)
    {
        var group = attribute is null ? "''" : "attribute_value";
        var result = new Dictionary<string, List<CubeEntry>> { [Panel] = [], [OpenLink] = [] };
        await using var command = await CommandAsync(db, $"""
            SELECT audience, {group}, question_id, item, value, sum(respondents)::bigint, sum(total)
            FROM survey_answer_rollups WHERE survey_id = @id AND attribute = @attribute
            GROUP BY 1, 2, 3, 4, 5
            """, surveyId, ct);
        var a = command.CreateParameter();
        a.ParameterName = "attribute";
        a.Value = attribute is null ? SurveyAnswerRollup.TotalsAttribute : ResultsAttributes.Columns.ContainsKey(attribute) ? attribute
            : throw new ArgumentOutOfRangeException(nameof(attribute), attribute, "Not a profile attribute.");
        command.Parameters.Add(a);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result[reader.GetString(0) == OpenLink ? OpenLink : Panel].Add(new CubeEntry(
                reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt64(5), reader.GetDecimal(6)));
        }

        return result;
    }

    /// <summary>
    /// Free texts per audience and question, sorted. At most 1 000 per question and audience: the first by their
    /// random ids, a random sample that says nothing of when or by whom, read through the index without a sort of all.
    /// </summary>
    public static async Task<Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>> LoadTextsAsync(
        ReportingDbContext db, Guid surveyId, IEnumerable<string> questionIds, CancellationToken ct)
    {
        var lists = new Dictionary<string, Dictionary<string, IReadOnlyList<string>>> { [Panel] = new(), [OpenLink] = new() };
        foreach (var questionId in questionIds)
        {
            foreach (var (audience, openLink) in new[] { (Panel, false), (OpenLink, true) })
            {
                var texts = await db.SurveyFreeTexts.AsNoTracking()
                    .Where(t => t.SurveyId == surveyId && t.QuestionId == questionId && (t.Channel == ProfileCell.OpenLinkChannel) == openLink)
                    .OrderBy(t => t.Id).Take(1000).Select(t => t.Text).ToListAsync(ct);
                lists[audience][questionId] = texts.Select(PersonalDataMasker.Mask).Order(StringComparer.Ordinal).ToList();
            }
        }

        return lists.ToDictionary(a => a.Key, a => (IReadOnlyDictionary<string, IReadOnlyList<string>>)a.Value);
    }

    private static async Task<DbCommand> CommandAsync(ReportingDbContext db, string sql, Guid surveyId, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await connection.OpenAsync(ct);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        var p = command.CreateParameter();
        p.ParameterName = "id";
        p.Value = surveyId;
        command.Parameters.Add(p);
        return command;
    }
}
