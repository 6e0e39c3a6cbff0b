using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Panel.ServiceDefaults;
using Panel.Surveys.Data;
using Panel.Surveys.Invitations;
using Panel.Surveys.Responses;

namespace Panel.Surveys.Answering;

/// <summary>
/// Answering by an invitation's one-time link (<c>/answering/invitation</c>): the form, a draft to resume later, the
/// submit. The token travels in the JSON body (<see cref="AnswerRequest"/>); the first open leaves a notice for
/// Membership and Reporting (<see cref="InvitationNotice"/>), and submits are stored in groups
/// (<see cref="InvitationAnswers"/>).
/// </summary>
public static class InvitationAnsweringEndpoints
{
    public static IEndpointRouteBuilder MapInvitationAnsweringEndpoints(this IEndpointRouteBuilder app)
    {
        var invitation = app.MapGroup(AnsweringEndpoints.Prefix + "/invitation").WithTags("Answering").RequireAuthorization(PanelPolicies.Gateway);
        invitation.MapPost("/form", OpenInvitation)
            .WithName("OpenInvitation")
            .WithSummary("The survey of an invitation's token as the resident sees it, with the saved answers and the page to show. The first open tells Membership (InvitationOpened).");
        invitation.MapPut("/draft", SaveInvitationDraft)
            .WithName("SaveInvitationDraft")
            .WithSummary("Saves answers to resume later (a page's answers, or the whole set); checked as far as given.");
        invitation.MapPost("/submit", SubmitInvitation)
            .WithName("SubmitInvitation")
            .WithSummary("Submits the invitation's answers (the draft, a last page's answers merged into it, or a whole set). One answer per invitation.");
        return app;
    }

    private static string InvitationChannel(ClaimsPrincipal principal) =>
        principal.FindFirstValue(PanelClaims.ActorKind) == PanelClaims.ActorResident ? ResponseChannels.SignedIn : ResponseChannels.Invitation;

    private static Task<Invitation?> LockInvitationAsync(SurveysDbContext db, string hash, CancellationToken ct) =>
        db.Invitations.FromSql($"SELECT * FROM invitations WHERE token_hash = {hash} FOR UPDATE").AsNoTracking().FirstOrDefaultAsync(ct);

    /// <summary>Marks the invitation opened the first time, leaving one notice for Membership and Reporting.</summary>
    private static async Task MarkOpenedAsync(SurveysDbContext db, Invitation invitation, CancellationToken ct)
    {
        if (invitation.Opened)
        {
            return;
        }

        var first = await db.Database.ExecuteSqlAsync(
            $"UPDATE invitations SET opened = true WHERE token_hash = {invitation.TokenHash} AND NOT opened", ct);
        if (first == 1)
        {
            db.InvitationNotices.Add(new InvitationNotice { SurveyId = invitation.SurveyId, TokenHash = invitation.TokenHash });
        }
    }

    public static async Task<Results<Ok<AnswerSession>, ValidationProblem, ProblemHttpResult>> OpenInvitation(
        AnswerRequest request, ClaimsPrincipal principal, SurveysDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (Submissions.RequestErrors(request, needsToken: true) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (request.Token!.Length > InvitationTokens.MaxTokenLength)
        {
            return Submissions.NoInvitation();
        }

        var hash = InvitationTokens.Hash(request.Token.Trim());
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var invitation = await db.Invitations.AsNoTracking().FirstOrDefaultAsync(i => i.TokenHash == hash, ct);
        if (invitation is null)
        {
            return Submissions.NoInvitation();
        }

        if (invitation.Answered)
        {
            return Submissions.AlreadyAnswered();
        }

        var survey = await db.Surveys.AsNoTracking().SingleAsync(s => s.Id == invitation.SurveyId, ct);
        if (Submissions.Unavailable(survey) is { } unavailable)
        {
            return unavailable;
        }

        if (!Submissions.TryPage(survey.Definition, request.Page, out _))
        {
            return Submissions.Invalid("page", $"The survey has no page '{request.Page}'.");
        }

        await MarkOpenedAsync(db, invitation, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        var draft = await db.AnswerDrafts.AsNoTracking().FirstOrDefaultAsync(d => d.KeyHash == hash, ct);
        var language = Submissions.LanguageFor(survey.Definition, request.Language, invitation.Language);
        return TypedResults.Ok(Submissions.Session(InvitationChannel(principal), survey, language,
            Submissions.Saved(survey.Definition, draft), request.Page, draft?.PageId, null));
    }

    public static async Task<Results<Ok<AnswerSession>, ValidationProblem, ProblemHttpResult>> SaveInvitationDraft(
        AnswerRequest request, ClaimsPrincipal principal, SurveysDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (Submissions.RequestErrors(request, needsToken: true) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (request.Page is null && request.Answers is null)
        {
            return Submissions.Invalid("answers", "Give the answers to save (with the page they are from, or the whole set).");
        }

        if (request.Token!.Length > InvitationTokens.MaxTokenLength)
        {
            return Submissions.NoInvitation();
        }

        var hash = InvitationTokens.Hash(request.Token.Trim());
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Locked so a save cannot slip in after a concurrent submit and leave a draft behind.
        var invitation = await LockInvitationAsync(db, hash, ct);
        if (invitation is null)
        {
            return Submissions.NoInvitation();
        }

        if (invitation.Answered)
        {
            return Submissions.AlreadyAnswered();
        }

        var survey = await db.Surveys.AsNoTracking().SingleAsync(s => s.Id == invitation.SurveyId, ct);
        if (Submissions.Unavailable(survey) is { } unavailable)
        {
            return unavailable;
        }

        if (!Submissions.TryPage(survey.Definition, request.Page, out var page))
        {
            return Submissions.Invalid("page", $"The survey has no page '{request.Page}'.");
        }

        var draft = await db.AnswerDrafts.FirstOrDefaultAsync(d => d.KeyHash == hash, ct);
        var prepared = AnswerSets.Prepare(survey.Definition, draft?.Answers, page, request.Answers ?? new Dictionary<string, JsonElement>(), AnswerCompleteness.Partial);
        if (prepared.Errors.Count > 0)
        {
            return Submissions.Invalid(survey.Definition, prepared.Errors);
        }

        await MarkOpenedAsync(db, invitation, ct);
        Submissions.SaveDraft(db, draft, hash, survey.Id, request.Page, prepared.Answers, time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        var language = Submissions.LanguageFor(survey.Definition, request.Language, invitation.Language);
        return TypedResults.Ok(Submissions.Session(InvitationChannel(principal), survey, language, prepared.Answers, request.Page, request.Page, null));
    }

    public static async Task<Results<Ok<AnswerReceived>, ValidationProblem, ProblemHttpResult>> SubmitInvitation(
        AnswerRequest request, ClaimsPrincipal principal, SurveysDbContext db, InvitationAnswers answering,
        OpenSurveys surveys, TimeProvider time, CancellationToken ct)
    {
        if (Submissions.RequestErrors(request, needsToken: true) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (request.Token!.Length > InvitationTokens.MaxTokenLength)
        {
            return Submissions.NoInvitation();
        }

        var hash = InvitationTokens.Hash(request.Token.Trim());
        // Read without locks and check; the store below re-checks everything it relies on in one statement, and
        // if anything changed meanwhile (answered, closed, revised) it stores nothing and this is done once more
        // on fresh reads, which then tell why.
        for (var attempt = 1; ; attempt++)
        {
            var invitation = await answering.FindAsync(hash);
            if (invitation is null)
            {
                return Submissions.NoInvitation();
            }

            if (invitation.Answered)
            {
                return Submissions.AlreadyAnswered();
            }

            var survey = await surveys.GetAsync(db, invitation.SurveyId, ct);
            if (Submissions.Unavailable(survey) is { } unavailable)
            {
                return unavailable;
            }

            if (!Submissions.TryPage(survey.Definition, request.Page, out var page))
            {
                return Submissions.Invalid("page", $"The survey has no page '{request.Page}'.");
            }

            // The draft counts only when the request gives a page's answers or none; a whole answer set replaces it.
            var draft = page is not null || request.Answers is null
                ? await db.AnswerDrafts.AsNoTracking().FirstOrDefaultAsync(d => d.KeyHash == hash, ct)
                : null;
            var prepared = AnswerSets.Prepare(survey.Definition, draft?.Answers, page, request.Answers, AnswerCompleteness.Complete);
            if (prepared.Errors.Count > 0)
            {
                return Submissions.Invalid(survey.Definition, prepared.Errors);
            }

            if (await answering.StoreAsync(survey, hash, InvitationChannel(principal), prepared.Answers, time))
            {
                return TypedResults.Ok(Submissions.Received(survey, Submissions.LanguageFor(survey.Definition, request.Language, invitation.Language)));
            }

            surveys.Forget(survey.Id);
            if (attempt == 2)
            {
                // Changed twice under this request (a revision and a closing at once): the resident may simply send again.
                return Submissions.Problem(StatusCodes.Status409Conflict, "The survey changed just now.", "Nothing was stored; send the answers again.", "changed");
            }
        }
    }
}
