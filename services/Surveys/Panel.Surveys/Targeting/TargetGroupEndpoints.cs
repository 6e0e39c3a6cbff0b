using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Panel.Surveys.Access;
using Panel.Surveys.Answering;
using Panel.Surveys.Data;
using Panel.Surveys.Definitions;

namespace Panel.Surveys.Targeting;

/// <summary>The target group as the API returns it; <see cref="PublicId"/> is set for an open link (its public path is /answer/open/{publicId}).</summary>
public sealed record TargetGroupDetails(TargetGroup TargetGroup, string? PublicId);

/// <summary>Who is asked: edited with the survey while it is a draft, then carried in SurveyApproved and SurveyOpened.</summary>
public static class TargetGroupEndpoints
{
    public static IEndpointRouteBuilder MapTargetGroupEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SurveyEndpoints.Prefix + "/{id:guid}/target-group").WithTags("Survey target group");
        group.MapGet("", Get).RequireAuthorization(SurveyPolicies.Read)
            .WithName("GetSurveyTargetGroup")
            .WithSummary("The survey's target group (404 until one is set).");
        group.MapPut("", Put).RequireAuthorization(SurveyPolicies.Author)
            .WithName("SetSurveyTargetGroup")
            .WithSummary("Sets who is asked while the survey is a draft: a panel sample (criteria, sample size, quotas, reminders) or an open link anyone may answer.");
        return app;
    }

    public static async Task<Results<Ok<TargetGroupDetails>, ProblemHttpResult>> Get(
        Guid id, ClaimsPrincipal principal, SurveysDbContext db, CancellationToken ct)
    {
        if (await SurveyStore.VisibleAsync(db, id, StaffUser.From(principal), ct) is not { } survey)
        {
            return SurveyStore.NotFound();
        }

        return survey.TargetGroup is { } group
            ? TypedResults.Ok(new TargetGroupDetails(group, survey.PublicId))
            : TypedResults.Problem(title: "The survey has no target group yet.", statusCode: StatusCodes.Status404NotFound);
    }

    public static async Task<Results<Ok<TargetGroupDetails>, ValidationProblem, ProblemHttpResult>> Put(
        Guid id, TargetGroupInput request, ClaimsPrincipal principal, SurveysDbContext db, AnswerRandom random, TimeProvider time, CancellationToken ct)
    {
        var user = StaffUser.From(principal);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await SurveyStore.LockAsync(db, id, ct) is not { } survey || !user.CanSee(survey))
        {
            return SurveyStore.NotFound();
        }

        if (!user.CanEditDraft(survey))
        {
            return SurveyStore.Forbidden("The target group is set by the survey's author, a domain contact of its service area or a coordinator.");
        }

        if (survey.State != SurveyState.Draft)
        {
            return SurveyStore.Conflict("The target group is set while the survey is a draft; a reviewer returns it to draft for changes.", state: survey.State);
        }

        if (TargetGroupValidator.Validate(request, out var errors) is not { } valid)
        {
            return TypedResults.ValidationProblem(errors);
        }

        survey.TargetGroup = valid;
        survey.PublicId = valid.Mode == TargetGroupMode.OpenLink ? survey.PublicId ?? random.NewCode(16) : null;
        survey.UpdatedAt = time.GetUtcNow();
        survey.UpdatedBy = user.Id;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(new TargetGroupDetails(valid, survey.PublicId));
    }
}
