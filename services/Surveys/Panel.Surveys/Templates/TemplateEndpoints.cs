using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Panel.ServiceDefaults;
using Panel.Surveys.Access;
using Panel.Surveys.Data;
using Panel.Surveys.Definitions;

namespace Panel.Surveys.Templates;

/// <summary>A template in a list. Built-in ids are names ("customer-experience"); saved ones are GUIDs.</summary>
public sealed record TemplateSummary(string Id, bool BuiltIn, LocalizedText Title, LocalizedText? Description, SurveyKind Kind, int QuestionCount,
    string? CreatedBy, DateTimeOffset? CreatedAt);

/// <summary>A template with the survey content it starts from.</summary>
public sealed record TemplateDetails(string Id, bool BuiltIn, LocalizedText Title, LocalizedText? Description, SurveyKind Kind, int MinimumGroupSize,
    SurveyDefinition Definition, string? CreatedBy, DateTimeOffset? CreatedAt);

/// <summary>Save a survey as a template; title and description default to the survey's title and none.</summary>
public sealed record SaveTemplateRequest(LocalizedText? Title, LocalizedText? Description);

/// <summary>A new draft from a template, in a service area (and optionally another k than the template's).</summary>
public sealed record FromTemplateRequest(string? TemplateId, string? ServiceArea, int? MinimumGroupSize);

public static class TemplateEndpoints
{
    public static IEndpointRouteBuilder MapTemplateEndpoints(this IEndpointRouteBuilder app)
    {
        var prefix = SurveyEndpoints.Prefix;
        var group = app.MapGroup(prefix).WithTags("Survey templates").RequireAuthorization(SurveyPolicies.Author);
        group.MapGet("/templates", List)
            .WithName("ListSurveyTemplates")
            .WithSummary("The built-in templates, then those saved by staff, newest first.");
        group.MapGet("/templates/{templateId}", Get)
            .WithName("GetSurveyTemplate")
            .WithSummary("One template with its content.");
        group.MapDelete("/templates/{templateId}", Delete)
            .WithName("DeleteSurveyTemplate")
            .WithSummary("Deletes a saved template (whoever saved it, or a coordinator); built-in ones stay.");
        group.MapPost("/{id:guid}/template", Save)
            .WithName("SaveSurveyAsTemplate")
            .WithSummary("Saves a survey's content as a template for new surveys.");
        group.MapPost("/from-template", CreateFromTemplate)
            .WithName("CreateSurveyFromTemplate")
            .WithSummary("Creates a draft survey from a template in the given service area.");
        return app;
    }

    public static async Task<Ok<List<TemplateSummary>>> List(SurveysDbContext db, CancellationToken ct)
    {
        var saved = await db.Templates.AsNoTracking().OrderByDescending(t => t.CreatedAt).ToListAsync(ct);
        var list = BuiltInTemplates.All.Select(b =>
            {
                var valid = Valid(b);
                return new TemplateSummary(b.Id, true, b.Title, b.Description, valid.Kind, valid.Definition.Questions.Count(), null, null);
            })
            .Concat(saved.Select(t => new TemplateSummary(t.Id.ToString(), false, t.Title, t.Description, t.Kind, t.Definition.Questions.Count(),
                t.CreatedBy, t.CreatedAt)))
            .ToList();
        return TypedResults.Ok(list);
    }

    public static async Task<Results<Ok<TemplateDetails>, ProblemHttpResult>> Get(string templateId, SurveysDbContext db, CancellationToken ct) =>
        await FindAsync(db, templateId, ct) is { } details ? TypedResults.Ok(details) : NotFound();

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        string templateId, ClaimsPrincipal principal, SurveysDbContext db, CancellationToken ct)
    {
        if (BuiltInTemplates.Find(templateId) is not null)
        {
            return TypedResults.Problem(title: "Not possible now.", detail: "Built-in templates cannot be deleted.", statusCode: StatusCodes.Status409Conflict);
        }

        var user = StaffUser.From(principal);
        var template = Guid.TryParse(templateId, out var id) ? await db.Templates.FirstOrDefaultAsync(t => t.Id == id, ct) : null;
        if (template is null)
        {
            return NotFound();
        }

        if (template.CreatedBy != user.Id && !user.IsCoordinator)
        {
            return SurveyStore.Forbidden("A template is deleted by whoever saved it or a coordinator.");
        }

        db.Templates.Remove(template);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Created<TemplateDetails>, ValidationProblem, ProblemHttpResult>> Save(
        Guid id, SaveTemplateRequest request, ClaimsPrincipal principal, SurveysDbContext db, TimeProvider time, CancellationToken ct)
    {
        var user = StaffUser.From(principal);
        if (await SurveyStore.VisibleAsync(db, id, user, ct) is not { } survey)
        {
            return SurveyStore.NotFound();
        }

        var errors = new DefinitionValidator.Errors();
        var title = request.Title is null ? survey.Definition.Title : DefinitionValidator.Text(errors, "title", request.Title, required: true, DefinitionValidator.TitleLength);
        var description = DefinitionValidator.Text(errors, "description", request.Description, required: false, DefinitionValidator.LongTextLength);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var now = time.GetUtcNow();
        var template = new SurveyTemplate
        {
            Id = Guid.CreateVersion7(now),
            Title = title!,
            Description = description,
            Kind = survey.Kind,
            MinimumGroupSize = survey.MinimumGroupSize,
            Definition = survey.Definition,
            SourceSurveyId = survey.Id,
            CreatedBy = user.Id,
            CreatedAt = now,
        };
        db.Templates.Add(template);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"{SurveyEndpoints.Prefix}/templates/{template.Id}", Details(template));
    }

    public static async Task<Results<Created<SurveyDetails>, ValidationProblem, ProblemHttpResult>> CreateFromTemplate(
        FromTemplateRequest request, ClaimsPrincipal principal, SurveysDbContext db, IOptions<SurveysOptions> options, TimeProvider time, CancellationToken ct)
    {
        var user = StaffUser.From(principal);
        if (string.IsNullOrWhiteSpace(request.TemplateId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["templateId"] = ["The template is required."] });
        }

        if (await FindAsync(db, request.TemplateId, ct) is not { } template)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["templateId"] = ["There is no such template."] });
        }

        var content = SurveyContents.From(template.Kind, "", request.MinimumGroupSize ?? template.MinimumGroupSize, template.Definition)
            with { ServiceArea = request.ServiceArea };
        if (DefinitionValidator.Validate(content, options.Value.ServiceAreas, out var errors) is not { } valid)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!user.MayUseArea(valid.ServiceArea))
        {
            return SurveyStore.Forbidden("A domain contact creates surveys for their own service areas only.");
        }

        var survey = SurveyEndpoints.NewSurvey(valid, user, time.GetUtcNow(), template.Id);
        db.Surveys.Add(survey);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"{SurveyEndpoints.Prefix}/{survey.Id}", SurveyEndpoints.Details(survey, user, hasAnswers: false));
    }

    private static ProblemHttpResult NotFound() => TypedResults.Problem(title: "No such template.", statusCode: StatusCodes.Status404NotFound);

    private static async Task<TemplateDetails?> FindAsync(SurveysDbContext db, string templateId, CancellationToken ct)
    {
        if (BuiltInTemplates.Find(templateId) is { } builtIn)
        {
            var valid = Valid(builtIn);
            return new TemplateDetails(builtIn.Id, true, builtIn.Title, builtIn.Description, valid.Kind, valid.MinimumGroupSize, valid.Definition, null, null);
        }

        return Guid.TryParse(templateId, out var id) && await db.Templates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct) is { } saved
            ? Details(saved)
            : null;
    }

    private static TemplateDetails Details(SurveyTemplate t) =>
        new(t.Id.ToString(), false, t.Title, t.Description, t.Kind, t.MinimumGroupSize, t.Definition, t.CreatedBy, t.CreatedAt);

    /// <summary>A built-in template validated as any survey is (its area is a placeholder until used).</summary>
    internal static ValidSurvey Valid(BuiltInTemplate template) =>
        DefinitionValidator.Validate(template.Content with { ServiceArea = Placeholder }, [Placeholder], out var errors)
        ?? throw new InvalidOperationException($"Built-in template {template.Id} is invalid: {string.Join("; ", errors.SelectMany(e => e.Value.Select(v => $"{e.Key}: {v}")))}");

    private const string Placeholder = "any";
}
