using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Panel.Contracts;
using Panel.Messaging;
using Panel.ServiceDefaults;
using Panel.Surveys.Data;
using Panel.Surveys.Definitions;
using Panel.Surveys.Invitations;
using Panel.Surveys.Responses;
using Panel.Surveys.Targeting;

namespace Panel.Surveys.Answering;

/// <summary>
/// Answering, for residents through the gateway (any gateway token: public, signed-in resident or staff):
/// by an invitation's one-time link, or by an open survey's public link. Every call is a POST or PUT whose
/// JSON body carries the token or resume code (<see cref="AnswerRequest"/>), so secrets never appear in a URL.
/// </summary>
public static class AnsweringEndpoints
{
    public const string Prefix = SurveyEndpoints.Prefix + "/answering";

    public static IEndpointRouteBuilder MapAnsweringEndpoints(this IEndpointRouteBuilder app)
    {
        var invitation = app.MapGroup(Prefix + "/invitation").WithTags("Answering").RequireAuthorization(PanelPolicies.Gateway);
        invitation.MapPost("/form", OpenInvitation)
            .WithName("OpenInvitation")
            .WithSummary("The survey of an invitation's token as the resident sees it, with the saved answers and the page to show. The first open tells Membership (InvitationOpened).");
        invitation.MapPut("/draft", SaveInvitationDraft)
            .WithName("SaveInvitationDraft")
            .WithSummary("Saves answers to resume later (a page's answers, or the whole set); checked as far as given.");
        invitation.MapPost("/submit", SubmitInvitation)
            .WithName("SubmitInvitation")
            .WithSummary("Submits the invitation's answers (the draft, a last page's answers merged into it, or a whole set). One answer per invitation.");

        var open = app.MapGroup(Prefix + "/open/{publicId}").WithTags("Answering").RequireAuthorization(PanelPolicies.Gateway);
        open.MapPost("/form", OpenLinkForm)
            .WithName("OpenLinkForm")
            .WithSummary("An open survey as anyone sees it by its public link; with a resume code, the answers saved under it.");
        open.MapPut("/draft", SaveOpenLinkDraft)
            .WithName("SaveOpenLinkDraft")
            .WithSummary("Saves answers to an open survey under a resume code (a new one is returned on the first save).");
        open.MapPost("/submit", SubmitOpenLink)
            .WithName("SubmitOpenLink")
            .WithSummary("Submits an answer to an open survey (channel open-link), within the survey's cap of answers per minute.");
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
        SaveDraft(db, draft, hash, survey.Id, request.Page, prepared.Answers, time.GetUtcNow());
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

    /// <summary>The open survey of a public link; 404 unless its target group is an open link and it has been approved.</summary>
    private static async Task<(Survey? Survey, ProblemHttpResult? Problem)> OpenSurveyAsync(
        SurveysDbContext db, string publicId, bool share, CancellationToken ct)
    {
        var query = share
            ? db.Surveys.FromSql($"SELECT * FROM surveys WHERE public_id = {publicId} FOR KEY SHARE")
            : db.Surveys.Where(s => s.PublicId == publicId);
        var survey = publicId.Length > 32 ? null : await query.AsNoTracking().FirstOrDefaultAsync(ct);
        if (survey is null || survey.TargetGroup?.Mode != TargetGroupMode.OpenLink || survey.State < SurveyState.Approved)
        {
            return (null, Submissions.Problem(StatusCodes.Status404NotFound, "No such survey.", "The link is not valid; check that it was copied whole.", "unknown-survey"));
        }

        return Submissions.Unavailable(survey) is { } unavailable ? (null, unavailable) : (survey, null);
    }

    private static string ResumeKey(string code) => InvitationTokens.Hash("resume:" + code.Trim());

    private static ProblemHttpResult NoDraft() =>
        Submissions.Problem(StatusCodes.Status404NotFound, "No saved answers with this code.", "The code is not valid for this survey, or its answers were submitted.", "unknown-resume-code");

    private static ProblemHttpResult TooMany(OpenLinkLimiter limiter, HttpContext http)
    {
        http.Response.Headers.RetryAfter = limiter.SecondsToNextWindow().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Submissions.Problem(StatusCodes.Status429TooManyRequests, "The survey is taking many answers just now.", "Try again in a minute.", "busy");
    }

    public static async Task<Results<Ok<AnswerSession>, ValidationProblem, ProblemHttpResult>> OpenLinkForm(
        string publicId, AnswerRequest request, SurveysDbContext db, CancellationToken ct)
    {
        if (Submissions.RequestErrors(request, needsToken: false) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (survey, problem) = await OpenSurveyAsync(db, publicId, share: false, ct);
        if (survey is null)
        {
            return problem!;
        }

        if (!Submissions.TryPage(survey.Definition, request.Page, out _))
        {
            return Submissions.Invalid("page", $"The survey has no page '{request.Page}'.");
        }

        AnswerDraft? draft = null;
        if (request.ResumeCode is { } code)
        {
            var key = ResumeKey(code);
            draft = await db.AnswerDrafts.AsNoTracking().FirstOrDefaultAsync(d => d.KeyHash == key && d.SurveyId == survey.Id, ct);
            if (draft is null)
            {
                return NoDraft();
            }
        }

        var language = Submissions.LanguageFor(survey.Definition, request.Language, null);
        return TypedResults.Ok(Submissions.Session(ResponseChannels.OpenLink, survey, language,
            Submissions.Saved(survey.Definition, draft), request.Page, draft?.PageId, draft is null ? null : request.ResumeCode!.Trim()));
    }

    public static async Task<Results<Ok<AnswerSession>, ValidationProblem, ProblemHttpResult>> SaveOpenLinkDraft(
        string publicId, AnswerRequest request, SurveysDbContext db, OpenLinkLimiter limiter, AnswerRandom random,
        TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (Submissions.RequestErrors(request, needsToken: false) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (request.Page is null && request.Answers is null)
        {
            return Submissions.Invalid("answers", "Give the answers to save (with the page they are from, or the whole set).");
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (survey, problem) = await OpenSurveyAsync(db, publicId, share: false, ct);
        if (survey is null)
        {
            return problem!;
        }

        if (!Submissions.TryPage(survey.Definition, request.Page, out var page))
        {
            return Submissions.Invalid("page", $"The survey has no page '{request.Page}'.");
        }

        AnswerDraft? draft = null;
        var code = request.ResumeCode?.Trim();
        if (code is not null)
        {
            var key = ResumeKey(code);
            draft = await LockDraftAsync(db, key, survey.Id, ct);
            if (draft is null)
            {
                return NoDraft();
            }
        }

        var prepared = AnswerSets.Prepare(survey.Definition, draft?.Answers, page, request.Answers ?? new Dictionary<string, JsonElement>(), AnswerCompleteness.Partial);
        if (prepared.Errors.Count > 0)
        {
            return Submissions.Invalid(survey.Definition, prepared.Errors);
        }

        if (draft is null)
        {
            if (!limiter.TryAcquire(survey.Id, OpenLinkLimiter.Drafts))
            {
                return TooMany(limiter, http);
            }

            code = random.NewCode();
        }

        SaveDraft(db, draft, ResumeKey(code!), survey.Id, request.Page, prepared.Answers, time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        var language = Submissions.LanguageFor(survey.Definition, request.Language, null);
        return TypedResults.Ok(Submissions.Session(ResponseChannels.OpenLink, survey, language, prepared.Answers, request.Page, request.Page, code));
    }

    public static async Task<Results<Ok<AnswerReceived>, ValidationProblem, ProblemHttpResult>> SubmitOpenLink(
        string publicId, AnswerRequest request, SurveysDbContext db, OpenLinkLimiter limiter, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (Submissions.RequestErrors(request, needsToken: false) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (survey, problem) = await OpenSurveyAsync(db, publicId, share: true, ct);
        if (survey is null)
        {
            return problem!;
        }

        if (!Submissions.TryPage(survey.Definition, request.Page, out var page))
        {
            return Submissions.Invalid("page", $"The survey has no page '{request.Page}'.");
        }

        AnswerDraft? draft = null;
        if (request.ResumeCode is { } code)
        {
            var key = ResumeKey(code);
            draft = await LockDraftAsync(db, key, survey.Id, ct);
            if (draft is null)
            {
                return NoDraft();
            }
        }

        var prepared = AnswerSets.Prepare(survey.Definition, draft?.Answers, page, request.Answers, AnswerCompleteness.Complete);
        if (prepared.Errors.Count > 0)
        {
            return Submissions.Invalid(survey.Definition, prepared.Errors);
        }

        if (!limiter.TryAcquire(survey.Id, OpenLinkLimiter.Submits))
        {
            return TooMany(limiter, http);
        }

        Submissions.AddPending(db, survey, ResponseChannels.OpenLink, profile: null, prepared.Answers, time.GetUtcNow());
        if (draft is not null)
        {
            db.AnswerDrafts.Remove(draft);
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(Submissions.Received(survey, Submissions.LanguageFor(survey.Definition, request.Language, null)));
    }

    /// <summary>The draft under a key, locked, if it belongs to this survey.</summary>
    private static async Task<AnswerDraft?> LockDraftAsync(SurveysDbContext db, string key, Guid surveyId, CancellationToken ct)
    {
        var drafts = await db.AnswerDrafts.FromSql($"SELECT * FROM answer_drafts WHERE key_hash = {key} FOR UPDATE").ToListAsync(ct);
        return drafts.FirstOrDefault(d => d.SurveyId == surveyId);
    }

    private static void SaveDraft(
        SurveysDbContext db, AnswerDraft? draft, string key, Guid surveyId, string? pageId, IReadOnlyDictionary<string, JsonElement> answers, DateTimeOffset now)
    {
        if (draft is null)
        {
            db.AnswerDrafts.Add(new AnswerDraft { KeyHash = key, SurveyId = surveyId, PageId = pageId, Answers = answers, SavedOn = Submissions.Day(now) });
            return;
        }

        draft.Answers = answers;
        draft.PageId = pageId ?? draft.PageId;
        draft.SavedOn = Submissions.Day(now);
    }
}
