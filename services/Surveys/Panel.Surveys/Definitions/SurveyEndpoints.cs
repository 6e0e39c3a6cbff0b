using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Panel.Messaging;
using Panel.ServiceDefaults;
using Panel.Surveys.Access;
using Panel.Surveys.Data;
using Panel.Surveys.Lifecycle;
using Panel.Surveys.Responses;

namespace Panel.Surveys.Definitions;

/// <summary>
/// A survey with its whole content. The content fields (kind … pages) have the shape PUT takes, so a
/// client can GET, change and PUT back.
/// </summary>
/// <param name="MissingTranslations">For each of the survey's languages, the JSON paths of texts missing in it.</param>
/// <param name="AllowedActions">What the caller may do now: edit, submit, review, approve, reschedule, close, publish-results, save-as-template.</param>
/// <param name="TargetGroup">Who is asked (PUT …/target-group); null until set.</param>
/// <param name="PublicId">For an open-link survey, the id of its public link (/answer/open/{publicId}).</param>
public sealed record SurveyDetails(
    Guid Id,
    SurveyKind Kind,
    string ServiceArea,
    int MinimumGroupSize,
    IReadOnlyList<string> Languages,
    LocalizedText Title,
    LocalizedText? Purpose,
    LocalizedText? ResultsUse,
    IReadOnlyList<SurveyPage> Pages,
    SurveyState State,
    int DefinitionVersion,
    IReadOnlyDictionary<string, IReadOnlyList<string>> MissingTranslations,
    bool TranslationsComplete,
    bool HasAnswers,
    IReadOnlyList<string> AllowedActions,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? TemplateId,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset? ApprovedAt,
    DateTimeOffset? OpensAt,
    DateTimeOffset? ClosesAt,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? ResultsPublishedAt,
    Targeting.TargetGroup? TargetGroup = null,
    string? PublicId = null);

public sealed record SurveySummary(
    Guid Id,
    SurveyKind Kind,
    string ServiceArea,
    SurveyState State,
    LocalizedText Title,
    int DefinitionVersion,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? OpensAt,
    DateTimeOffset? ClosesAt);

/// <summary>What the builder offers.</summary>
public sealed record BuilderOptions(
    IReadOnlyList<string> Kinds,
    IReadOnlyList<string> QuestionTypes,
    IReadOnlyList<string> Languages,
    IReadOnlyList<string> ServiceAreas,
    int DefaultMinimumGroupSize,
    int LowestMinimumGroupSize,
    int MaxFreeTextLength);

public static class SurveyEndpoints
{
    public const string Prefix = "/api/surveys";

    public static IEndpointRouteBuilder MapSurveyEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).WithTags("Surveys");
        group.MapGet("/options", GetOptions).RequireAuthorization(SurveyPolicies.Read)
            .WithName("GetBuilderOptions")
            .WithSummary("Kinds, question types, languages and service areas the builder offers.");
        group.MapPost("", Create).RequireAuthorization(SurveyPolicies.Author)
            .WithName("CreateSurvey")
            .WithSummary("Creates a draft survey (SurveyAuthor, DomainContact of its area, Coordinator).");
        group.MapGet("", List).RequireAuthorization(SurveyPolicies.Read)
            .WithName("ListSurveys")
            .WithSummary("The surveys the caller may see, last changed first; filters: state, serviceArea.");
        group.MapGet("/{id:guid}", Get).RequireAuthorization(SurveyPolicies.Read)
            .WithName("GetSurvey")
            .WithSummary("One survey with its definition, missing translations and what the caller may do with it.");
        group.MapPut("/{id:guid}", Replace).RequireAuthorization(SurveyPolicies.Author)
            .WithName("ReplaceSurvey")
            .WithSummary("Replaces the survey's content. Drafts: author, area contact, coordinator. After approval: coordinator, and once answers exist only changes that keep them meaningful (texts).");
        group.MapPatch("/{id:guid}", Patch).RequireAuthorization(SurveyPolicies.Author)
            .WithName("PatchSurvey")
            .WithSummary("Changes the given top-level fields of the content (pages as a whole); the rules of PUT apply.");
        group.MapGet("/{id:guid}/preview", Preview).RequireAuthorization(SurveyPolicies.Read)
            .WithName("PreviewSurvey")
            .WithSummary("The survey exactly as residents get it in one language (fi, sv, en), with its conditions.");
        return app;
    }

    public static Ok<BuilderOptions> GetOptions(IOptions<SurveysOptions> options) => TypedResults.Ok(new BuilderOptions(
        ["questionnaire", "participatory-budget"],
        QuestionTypes.All,
        SurveyLanguages.All,
        options.Value.ServiceAreas,
        DefinitionValidator.DefaultMinimumGroupSize,
        DefinitionValidator.LowestMinimumGroupSize,
        DefinitionValidator.MaxFreeTextLength));

    public static async Task<Results<Created<SurveyDetails>, ValidationProblem, ProblemHttpResult>> Create(
        SurveyContent request, ClaimsPrincipal principal, SurveysDbContext db, IOptions<SurveysOptions> options, TimeProvider time, CancellationToken ct)
    {
        var user = StaffUser.From(principal);
        if (DefinitionValidator.Validate(request, options.Value.ServiceAreas, out var errors) is not { } valid)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!user.MayUseArea(valid.ServiceArea))
        {
            return SurveyStore.Forbidden("A domain contact creates surveys for their own service areas only.");
        }

        var survey = NewSurvey(valid, user, time.GetUtcNow(), templateId: null);
        db.Surveys.Add(survey);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"{Prefix}/{survey.Id}", Details(survey, user, hasAnswers: false));
    }

    internal static Survey NewSurvey(ValidSurvey valid, StaffUser user, DateTimeOffset now, string? templateId) => new()
    {
        Id = Guid.CreateVersion7(now),
        Kind = valid.Kind,
        ServiceArea = valid.ServiceArea,
        MinimumGroupSize = valid.MinimumGroupSize,
        State = SurveyState.Draft,
        Definition = valid.Definition,
        DefinitionVersion = 1,
        Title = valid.Definition.Title,
        CreatedBy = user.Id,
        CreatedAt = now,
        UpdatedBy = user.Id,
        UpdatedAt = now,
        TemplateId = templateId,
    };

    public static async Task<Results<Ok<List<SurveySummary>>, ValidationProblem>> List(
        string? state, string? serviceArea, ClaimsPrincipal principal, SurveysDbContext db, CancellationToken ct)
    {
        var user = StaffUser.From(principal);
        var query = db.Surveys.AsNoTracking();
        if (state is not null)
        {
            if (!SurveyStore.TryParseState(state, out var s))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["state"] = [$"The state is one of: {string.Join(", ", Enum.GetValues<SurveyState>().Select(SurveyStore.StateName))}."],
                });
            }

            query = query.Where(x => x.State == s);
        }

        if (serviceArea is not null)
        {
            query = query.Where(x => x.ServiceArea == serviceArea);
        }

        if (!user.Has(PanelRoles.Coordinator) && !user.Has(PanelRoles.ItAdmin))
        {
            var own = user.Has(PanelRoles.SurveyAuthor) ? user.Id : null;
            var areas = user.Has(PanelRoles.DomainContact) ? user.Areas.ToList() : [];
            SurveyState[] announced = user.Has(PanelRoles.Communications)
                ? [SurveyState.Approved, SurveyState.Open, SurveyState.Closed, SurveyState.ResultsPublished]
                : [];
            query = query.Where(x => x.CreatedBy == own || areas.Contains(x.ServiceArea) || announced.Contains(x.State));
        }

        var surveys = await query.OrderByDescending(x => x.UpdatedAt)
            .Select(x => new SurveySummary(x.Id, x.Kind, x.ServiceArea, x.State, x.Title, x.DefinitionVersion, x.CreatedBy,
                x.CreatedAt, x.UpdatedAt, x.OpensAt, x.ClosesAt))
            .ToListAsync(ct);
        return TypedResults.Ok(surveys);
    }

    public static async Task<Results<Ok<SurveyDetails>, ProblemHttpResult>> Get(
        Guid id, ClaimsPrincipal principal, SurveysDbContext db, HttpContext http, CancellationToken ct)
    {
        var user = StaffUser.From(principal);
        if (await SurveyStore.VisibleAsync(db, id, user, ct) is not { } survey)
        {
            return SurveyStore.NotFound();
        }

        http.Response.Headers.ETag = SurveyStore.ETag(survey);
        return TypedResults.Ok(Details(survey, user, await Answers.ExistAsync(db, id, ct)));
    }

    public static Task<Results<Ok<SurveyDetails>, ValidationProblem, ProblemHttpResult>> Replace(
        Guid id, SurveyContent request, [FromHeader(Name = "If-Match")] string? ifMatch, ClaimsPrincipal principal,
        SurveysDbContext db, IOptions<SurveysOptions> options, TimeProvider time, HttpContext http, CancellationToken ct) =>
        ChangeAsync(id, _ => request, ifMatch, principal, db, options.Value, time, http, ct);

    public static Task<Results<Ok<SurveyDetails>, ValidationProblem, ProblemHttpResult>> Patch(
        Guid id, SurveyContent request, [FromHeader(Name = "If-Match")] string? ifMatch, ClaimsPrincipal principal,
        SurveysDbContext db, IOptions<SurveysOptions> options, TimeProvider time, HttpContext http, CancellationToken ct) =>
        ChangeAsync(id, current =>
        {
            var stored = SurveyContents.From(current.Kind, current.ServiceArea, current.MinimumGroupSize, current.Definition);
            return new SurveyContent(
                request.Kind ?? stored.Kind,
                request.ServiceArea ?? stored.ServiceArea,
                request.MinimumGroupSize ?? stored.MinimumGroupSize,
                request.Languages ?? stored.Languages,
                request.Title ?? stored.Title,
                request.Purpose ?? stored.Purpose,
                request.ResultsUse ?? stored.ResultsUse,
                request.Pages ?? stored.Pages);
        }, ifMatch, principal, db, options.Value, time, http, ct);

    private static async Task<Results<Ok<SurveyDetails>, ValidationProblem, ProblemHttpResult>> ChangeAsync(
        Guid id, Func<Survey, SurveyContent> content, string? ifMatch, ClaimsPrincipal principal,
        SurveysDbContext db, SurveysOptions options, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var user = StaffUser.From(principal);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var survey = await SurveyStore.LockAsync(db, id, ct);
        if (survey is null || !user.CanSee(survey))
        {
            return SurveyStore.NotFound();
        }

        switch (survey.State)
        {
            case SurveyState.Draft when !user.CanEditDraft(survey):
                return SurveyStore.Forbidden("A draft is changed by its author, a domain contact of its service area or a coordinator.");
            case SurveyState.InReview:
                return SurveyStore.Conflict("The survey is in review; a reviewer returns it to draft for changes.", state: survey.State);
            case > SurveyState.InReview when !user.IsCoordinator:
                return SurveyStore.Forbidden("After approval only a coordinator changes a survey.");
        }

        if (ifMatch is not null && ifMatch.Trim() != "*" && ifMatch.Trim() != SurveyStore.ETag(survey))
        {
            return TypedResults.Problem(title: "The survey changed since it was read.",
                detail: $"It is now at version {survey.DefinitionVersion}; read it again and repeat the change.",
                statusCode: StatusCodes.Status412PreconditionFailed);
        }

        if (DefinitionValidator.Validate(content(survey), options.ServiceAreas, out var errors) is not { } valid)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (valid.ServiceArea != survey.ServiceArea && !user.MayUseArea(valid.ServiceArea))
        {
            return SurveyStore.Forbidden("A domain contact moves surveys only to their own service areas.");
        }

        var hasAnswers = await Answers.ExistAsync(db, id, ct);
        if (survey.State > SurveyState.InReview)
        {
            if (hasAnswers && DefinitionDiff.BreakingChanges(survey.Kind, survey.MinimumGroupSize, survey.Definition, valid) is { Count: > 0 } reasons)
            {
                return SurveyStore.Conflict("The survey has answers; this change would make them wrong. Only texts may change.", reasons, survey.State);
            }

            if (Translations.Missing(valid.Definition).SelectMany(m => m.Value.Select(path => $"{m.Key}: {path}")).ToList() is { Count: > 0 } missing)
            {
                return SurveyStore.Conflict("An approved survey keeps every text in each of its languages.", missing, survey.State);
            }
        }

        var now = time.GetUtcNow();
        if (!SameContent(survey, valid))
        {
            survey.Kind = valid.Kind;
            survey.ServiceArea = valid.ServiceArea;
            survey.MinimumGroupSize = valid.MinimumGroupSize;
            survey.Definition = valid.Definition;
            survey.Title = valid.Definition.Title;
            survey.DefinitionVersion++;
            survey.UpdatedAt = now;
            survey.UpdatedBy = user.Id;
            if (survey.State > SurveyState.InReview)
            {
                SurveyVersions.Record(db, survey, now);
                db.AddEvent(new Contracts.SurveyRevised(survey.Id, survey.DefinitionVersion, EventSnapshots.Definition(survey), now), time);
            }

            await db.SaveChangesAsync(ct);
        }

        await tx.CommitAsync(ct);
        http.Response.Headers.ETag = SurveyStore.ETag(survey);
        return TypedResults.Ok(Details(survey, user, hasAnswers));
    }

    private static bool SameContent(Survey survey, ValidSurvey valid) =>
        survey.Kind == valid.Kind && survey.ServiceArea == valid.ServiceArea && survey.MinimumGroupSize == valid.MinimumGroupSize
        && DefinitionJson.SameJson(survey.Definition, valid.Definition);

    public static async Task<Results<Ok<SurveyForm>, ValidationProblem, ProblemHttpResult>> Preview(
        Guid id, string? language, ClaimsPrincipal principal, SurveysDbContext db, CancellationToken ct)
    {
        var user = StaffUser.From(principal);
        if (language is not null && !SurveyLanguages.All.Contains(language))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["language"] = ["The language is fi, sv or en."] });
        }

        if (await SurveyStore.VisibleAsync(db, id, user, ct) is not { } survey)
        {
            return SurveyStore.NotFound();
        }

        var lang = language ?? survey.Definition.Languages.FirstOrDefault() ?? "fi";
        return TypedResults.Ok(SurveyForms.Build(survey.Id, survey.DefinitionVersion, survey.Definition, lang));
    }

    public static SurveyDetails Details(Survey s, StaffUser user, bool hasAnswers)
    {
        var missing = Translations.Missing(s.Definition);
        return new SurveyDetails(
            s.Id, s.Kind, s.ServiceArea, s.MinimumGroupSize, s.Definition.Languages, s.Definition.Title, s.Definition.Purpose,
            s.Definition.ResultsUse, s.Definition.Pages, s.State, s.DefinitionVersion, missing, missing.Values.All(m => m.Count == 0),
            hasAnswers, AllowedActions(s, user), s.CreatedBy, s.CreatedAt, s.UpdatedAt, s.TemplateId, s.SubmittedAt, s.ApprovedAt,
            s.OpensAt, s.ClosesAt, s.OpenedAt, s.ClosedAt, s.ResultsPublishedAt, s.TargetGroup, s.PublicId);
    }

    public static IReadOnlyList<string> AllowedActions(Survey s, StaffUser user)
    {
        var actions = new List<string>();
        var author = SurveyPolicies.AuthorRoles.Any(user.Has);
        if ((s.State == SurveyState.Draft && author && user.CanEditDraft(s)) || (s.State > SurveyState.InReview && user.IsCoordinator))
        {
            actions.Add("edit");
        }

        if (s.State == SurveyState.Draft && author && user.CanEditDraft(s))
        {
            actions.Add("submit");
        }

        if (s.State == SurveyState.InReview && user.CanReview(s))
        {
            actions.Add("review");
        }

        if (s.State == SurveyState.InReview && user.IsCoordinator)
        {
            actions.Add("approve");
        }

        if (s.State is SurveyState.Approved or SurveyState.Open && user.IsCoordinator)
        {
            actions.Add("reschedule");
        }

        if (s.State == SurveyState.Open && user.IsCoordinator)
        {
            actions.Add("close");
        }

        if (s.State == SurveyState.Closed && SurveyPolicies.PublishRoles.Any(user.Has))
        {
            actions.Add("publish-results");
        }

        if (author)
        {
            actions.Add("save-as-template");
        }

        return actions;
    }
}

public static class SurveyVersions
{
    /// <summary>Keeps the definition as it now stands: answers from here on name this version.</summary>
    public static void Record(SurveysDbContext db, Survey survey, DateTimeOffset now) =>
        db.SurveyVersions.Add(new SurveyVersion
        {
            SurveyId = survey.Id,
            Version = survey.DefinitionVersion,
            Definition = survey.Definition,
            MinimumGroupSize = survey.MinimumGroupSize,
            CreatedAt = now,
        });
}
