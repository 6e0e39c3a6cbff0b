using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Panel.Contracts;
using Panel.Messaging;
using Panel.Surveys.Access;
using Panel.Surveys.Data;
using Panel.Surveys.Definitions;

namespace Panel.Surveys.Reviews;

/// <param name="ReturnToDraft">true sends the survey back to draft with the comment; false (default) only comments.</param>
public sealed record ReviewRequest(string? Comment, bool? ReturnToDraft);

public sealed record ReviewEntry(Guid Id, string AuthorId, string AuthorRole, ReviewDecision Decision, string? Comment, int DefinitionVersion, DateTimeOffset CreatedAt);

/// <summary>Review comments on a survey in review; kept for good and listed oldest first.</summary>
public static class ReviewEndpoints
{
    public const int CommentLength = 4000;

    public static IEndpointRouteBuilder MapReviewEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SurveyEndpoints.Prefix + "/{id:guid}/reviews").WithTags("Survey reviews");
        group.MapGet("", List).RequireAuthorization(SurveyPolicies.Read)
            .WithName("ListSurveyReviews")
            .WithSummary("The survey's review history: comments, returns to draft and the approval, with who (id and role) and when.");
        group.MapPost("", Add).RequireAuthorization(SurveyPolicies.Review)
            .WithName("ReviewSurvey")
            .WithSummary("Comments on a survey in review, or returns it to draft with the comment (domain contact of its area, coordinator).");
        return app;
    }

    public static async Task<Results<Ok<List<ReviewEntry>>, ProblemHttpResult>> List(
        Guid id, ClaimsPrincipal principal, SurveysDbContext db, CancellationToken ct)
    {
        if (await SurveyStore.VisibleAsync(db, id, StaffUser.From(principal), ct) is null)
        {
            return SurveyStore.NotFound();
        }

        var reviews = await db.Reviews.AsNoTracking().Where(r => r.SurveyId == id).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
            .Select(r => new ReviewEntry(r.Id, r.AuthorId, r.AuthorRole, r.Decision, r.Comment, r.DefinitionVersion, r.CreatedAt))
            .ToListAsync(ct);
        return TypedResults.Ok(reviews);
    }

    public static async Task<Results<Created<ReviewEntry>, ValidationProblem, ProblemHttpResult>> Add(
        Guid id, ReviewRequest request, ClaimsPrincipal principal, SurveysDbContext db, TimeProvider time, CancellationToken ct)
    {
        var user = StaffUser.From(principal);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await SurveyStore.LockAsync(db, id, ct) is not { } survey || !user.CanSee(survey))
        {
            return SurveyStore.NotFound();
        }

        if (!user.CanReview(survey))
        {
            return SurveyStore.Forbidden("A survey is reviewed by a domain contact of its service area or a coordinator.");
        }

        if (survey.State != SurveyState.InReview)
        {
            return SurveyStore.Conflict("Only a survey in review takes review comments.", state: survey.State);
        }

        var comment = request.Comment?.Trim();
        if (string.IsNullOrEmpty(comment) || comment.Length > CommentLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["comment"] = [$"The comment is required, at most {CommentLength} characters."],
            });
        }

        var now = time.GetUtcNow();
        var returned = request.ReturnToDraft == true;
        var review = new Review
        {
            Id = Guid.CreateVersion7(now),
            SurveyId = survey.Id,
            AuthorId = user.Id,
            AuthorRole = user.ReviewRole(survey),
            Decision = returned ? ReviewDecision.ReturnedToDraft : ReviewDecision.Comment,
            Comment = comment,
            DefinitionVersion = survey.DefinitionVersion,
            CreatedAt = now,
        };
        db.Reviews.Add(review);
        if (returned)
        {
            survey.State = SurveyState.Draft;
            db.AddEvent(new SurveyReturned(survey.Id, survey.ServiceArea, survey.DefinitionVersion, now), time);
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Created($"{SurveyEndpoints.Prefix}/{id}/reviews",
            new ReviewEntry(review.Id, review.AuthorId, review.AuthorRole, review.Decision, review.Comment, review.DefinitionVersion, review.CreatedAt));
    }
}
