using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Panel.Contracts;
using Panel.Messaging;
using Panel.ServiceDefaults;
using Panel.Surveys.Access;
using Panel.Surveys.Data;
using Panel.Surveys.Definitions;
using Panel.Surveys.Responses;
using Panel.Surveys.Reviews;

namespace Panel.Surveys.Lifecycle;

/// <param name="Comment">Optional words kept with the approval in the review history.</param>
public sealed record ApproveRequest(DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt, string? Comment);

/// <summary>New times; an open survey's opening time cannot move (leave it out or repeat it).</summary>
public sealed record ScheduleRequest(DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt);

/// <summary>
/// The transitions of a survey's lifecycle, each authorized by role and emitting its integration event
/// in the same transaction (outbox). Opening and closing by the clock is <see cref="SurveyClock"/>.
/// </summary>
public static class LifecycleEndpoints
{
    /// <summary>How far in the past an opening time may be and still count as "now" (clock skew between browser and server).</summary>
    public static readonly TimeSpan NowTolerance = TimeSpan.FromMinutes(5);

    public static IEndpointRouteBuilder MapLifecycleEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SurveyEndpoints.Prefix + "/{id:guid}").WithTags("Survey lifecycle");
        group.MapPost("/submit", Submit).RequireAuthorization(SurveyPolicies.Author)
            .WithName("SubmitSurvey")
            .WithSummary("Draft → in review: its author, a domain contact of its area or a coordinator sends it for review.");
        group.MapPost("/approve", Approve).RequireAuthorization(PanelPolicies.Coordinator)
            .WithName("ApproveSurvey")
            .WithSummary("In review → approved with opening and closing times (coordinator); every text must exist in each of its languages. Opens at once if the opening time is now.");
        group.MapPost("/schedule", Reschedule).RequireAuthorization(PanelPolicies.Coordinator)
            .WithName("RescheduleSurvey")
            .WithSummary("Moves an approved survey's opening and closing times, or an open survey's closing time (coordinator).");
        group.MapPost("/close", Close).RequireAuthorization(PanelPolicies.Coordinator)
            .WithName("CloseSurvey")
            .WithSummary("Open → closed before its closing time (coordinator).");
        group.MapPost("/publish-results", PublishResults).RequireAuthorization(SurveyPolicies.Publish)
            .WithName("PublishSurveyResults")
            .WithSummary("Closed → results published (communications or coordinator).");
        return app;
    }

    public static async Task<Results<Ok<SurveyDetails>, ProblemHttpResult>> Submit(
        Guid id, ClaimsPrincipal principal, SurveysDbContext db, TimeProvider time, CancellationToken ct)
    {
        var user = StaffUser.From(principal);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await SurveyStore.LockAsync(db, id, ct) is not { } survey || !user.CanSee(survey))
        {
            return SurveyStore.NotFound();
        }

        if (!user.CanEditDraft(survey))
        {
            return SurveyStore.Forbidden("A survey is submitted by its author, a domain contact of its service area or a coordinator.");
        }

        if (survey.State != SurveyState.Draft)
        {
            return SurveyStore.Conflict("Only a draft can be submitted for review.", state: survey.State);
        }

        var reasons = new List<string>();
        if (!survey.Definition.Questions.Any())
        {
            reasons.Add("The survey has no questions.");
        }

        if (survey.Kind == SurveyKind.ParticipatoryBudget && !survey.Definition.Questions.OfType<BudgetQuestion>().Any())
        {
            reasons.Add("A participatory budget needs a budget question.");
        }

        if (reasons.Count > 0)
        {
            return SurveyStore.Conflict(string.Join(" ", reasons), reasons, survey.State);
        }

        var now = time.GetUtcNow();
        survey.State = SurveyState.InReview;
        survey.SubmittedAt = now;
        db.AddEvent(new SurveySubmitted(survey.Id, EventSnapshots.KindName(survey.Kind), survey.ServiceArea, survey.DefinitionVersion, now), time);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(SurveyEndpoints.Details(survey, user, hasAnswers: false));
    }

    public static async Task<Results<Ok<SurveyDetails>, ValidationProblem, ProblemHttpResult>> Approve(
        Guid id, ApproveRequest request, ClaimsPrincipal principal, SurveysDbContext db, TimeProvider time, CancellationToken ct)
    {
        var user = StaffUser.From(principal);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await SurveyStore.LockAsync(db, id, ct) is not { } survey || !user.CanSee(survey))
        {
            return SurveyStore.NotFound();
        }

        if (survey.State != SurveyState.InReview)
        {
            return SurveyStore.Conflict("Only a survey in review can be approved.", state: survey.State);
        }

        var now = time.GetUtcNow();
        var errors = ScheduleErrors(request.OpensAt, request.ClosesAt, now);
        if (request.Comment is { Length: > ReviewEndpoints.CommentLength })
        {
            errors["comment"] = [$"At most {ReviewEndpoints.CommentLength} characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var missing = Translations.Missing(survey.Definition).SelectMany(m => m.Value.Select(path => $"{m.Key}: {path}")).ToList();
        if (missing.Count > 0)
        {
            return SurveyStore.Conflict($"{missing.Count} texts are missing in the survey's languages; every text must exist in each before approval.",
                missing, survey.State);
        }

        // A sample of fewer than k would show each invitee's opening and answering (DESIGN.md section 5, rule 4). Whether the
        // criteria reach k is Membership's to know (its match count, and it issues nothing below k when the survey opens).
        if (survey.TargetGroup is { Mode: Targeting.TargetGroupMode.Panel, SampleSize: { } sample } && sample < survey.MinimumGroupSize)
        {
            return SurveyStore.Conflict(
                $"The target group's sample of {sample} is smaller than the survey's minimum group size {survey.MinimumGroupSize}; a target group smaller than k cannot be approved.",
                state: survey.State);
        }

        survey.State = SurveyState.Approved;
        survey.ApprovedAt = now;
        survey.ApprovedBy = user.Id;
        survey.OpensAt = request.OpensAt!.Value.ToUniversalTime();
        survey.ClosesAt = request.ClosesAt!.Value.ToUniversalTime();
        db.Reviews.Add(new Review
        {
            Id = Guid.CreateVersion7(now),
            SurveyId = survey.Id,
            AuthorId = user.Id,
            AuthorRole = PanelRoles.Coordinator,
            Decision = ReviewDecision.Approved,
            Comment = string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim(),
            DefinitionVersion = survey.DefinitionVersion,
            CreatedAt = now,
        });
        SurveyVersions.Record(db, survey, now);
        db.AddEvent(new SurveyApproved(survey.Id, survey.DefinitionVersion, EventSnapshots.Definition(survey), EventSnapshots.TargetGroup(survey),
            survey.OpensAt.Value, survey.ClosesAt.Value, now), time);
        if (survey.OpensAt <= now)
        {
            SurveyClock.Open(db, survey, now, time);
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(SurveyEndpoints.Details(survey, user, hasAnswers: false));
    }

    public static async Task<Results<Ok<SurveyDetails>, ValidationProblem, ProblemHttpResult>> Reschedule(
        Guid id, ScheduleRequest request, ClaimsPrincipal principal, SurveysDbContext db, TimeProvider time, CancellationToken ct)
    {
        var user = StaffUser.From(principal);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await SurveyStore.LockAsync(db, id, ct) is not { } survey || !user.CanSee(survey))
        {
            return SurveyStore.NotFound();
        }

        if (survey.State is not (SurveyState.Approved or SurveyState.Open))
        {
            return SurveyStore.Conflict("Only an approved or open survey can be rescheduled.", state: survey.State);
        }

        var now = time.GetUtcNow();
        Dictionary<string, string[]> errors;
        if (survey.State == SurveyState.Open)
        {
            errors = [];
            if (request.OpensAt is { } opens && opens != survey.OpensAt)
            {
                errors["opensAt"] = ["The survey is open already; its opening time cannot move."];
            }

            if (request.ClosesAt is not { } closes)
            {
                errors["closesAt"] = ["The closing time is required."];
            }
            else if (closes <= now)
            {
                errors["closesAt"] = ["The closing time is in the future; to close now, close the survey."];
            }
        }
        else
        {
            errors = ScheduleErrors(request.OpensAt, request.ClosesAt, now);
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (survey.State == SurveyState.Approved)
        {
            survey.OpensAt = request.OpensAt!.Value.ToUniversalTime();
        }

        survey.ClosesAt = request.ClosesAt!.Value.ToUniversalTime();
        db.AddEvent(new SurveyRescheduled(survey.Id, survey.OpensAt!.Value, survey.ClosesAt.Value, now), time);
        if (survey.State == SurveyState.Approved && survey.OpensAt <= now)
        {
            SurveyClock.Open(db, survey, now, time);
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(SurveyEndpoints.Details(survey, user, await Answers.ExistAsync(db, id, ct)));
    }

    public static async Task<Results<Ok<SurveyDetails>, ProblemHttpResult>> Close(
        Guid id, ClaimsPrincipal principal, SurveysDbContext db, TimeProvider time, CancellationToken ct)
    {
        var user = StaffUser.From(principal);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await SurveyStore.LockAsync(db, id, ct) is not { } survey || !user.CanSee(survey))
        {
            return SurveyStore.NotFound();
        }

        if (survey.State != SurveyState.Open)
        {
            return SurveyStore.Conflict("Only an open survey can be closed.", state: survey.State);
        }

        await SurveyClock.CloseAsync(db, survey, time.GetUtcNow(), time, closedBy: user.Id, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(SurveyEndpoints.Details(survey, user, await Answers.ExistAsync(db, id, ct)));
    }

    public static async Task<Results<Ok<SurveyDetails>, ProblemHttpResult>> PublishResults(
        Guid id, ClaimsPrincipal principal, SurveysDbContext db, TimeProvider time, CancellationToken ct)
    {
        var user = StaffUser.From(principal);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await SurveyStore.LockAsync(db, id, ct) is not { } survey || !user.CanSee(survey))
        {
            return SurveyStore.NotFound();
        }

        if (survey.State != SurveyState.Closed)
        {
            return SurveyStore.Conflict("Results are published after the survey has closed, once.", state: survey.State);
        }

        var now = time.GetUtcNow();
        survey.State = SurveyState.ResultsPublished;
        survey.ResultsPublishedAt = now;
        survey.ResultsPublishedBy = user.Id;
        var d = survey.Definition;
        db.AddEvent(new SurveyResultsPublished(survey.Id, survey.DefinitionVersion, survey.ServiceArea, survey.MinimumGroupSize,
            d.Title, d.Purpose ?? new Dictionary<string, string>(), d.ResultsUse ?? new Dictionary<string, string>(), now), time);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(SurveyEndpoints.Details(survey, user, await Answers.ExistAsync(db, id, ct)));
    }

    private static Dictionary<string, string[]> ScheduleErrors(DateTimeOffset? opensAt, DateTimeOffset? closesAt, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (opensAt is null)
        {
            errors["opensAt"] = ["The opening time is required (ISO 8601 with an offset)."];
        }
        else if (opensAt < now - NowTolerance)
        {
            errors["opensAt"] = ["The opening time is now or in the future."];
        }

        if (closesAt is null)
        {
            errors["closesAt"] = ["The closing time is required (ISO 8601 with an offset)."];
        }
        else if (opensAt is { } o && closesAt <= o)
        {
            errors["closesAt"] = ["The closing time is after the opening time."];
        }
        else if (closesAt <= now)
        {
            errors["closesAt"] = ["The closing time is in the future."];
        }

        return errors;
    }
}
