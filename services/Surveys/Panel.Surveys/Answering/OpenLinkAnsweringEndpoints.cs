using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Panel.ServiceDefaults;
using Panel.Surveys.Data;
using Panel.Surveys.Definitions;
using Panel.Surveys.Invitations;
using Panel.Surveys.Responses;
using Panel.Surveys.Targeting;

namespace Panel.Surveys.Answering;

/// <summary>
/// Answering an open survey by its public link (<c>/answering/open/{publicId}</c>): the form, drafts under a resume
/// code (in the JSON body, never the URL), the submit (channel open-link) within the survey's cap of answers per
/// minute (<see cref="OpenLinkLimiter"/>).
/// </summary>
public static class OpenLinkAnsweringEndpoints
{
    public static IEndpointRouteBuilder MapOpenLinkAnsweringEndpoints(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup(AnsweringEndpoints.Prefix + "/open/{publicId}").WithTags("Answering").RequireAuthorization(PanelPolicies.Gateway);
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

        Submissions.SaveDraft(db, draft, ResumeKey(code!), survey.Id, request.Page, prepared.Answers, time.GetUtcNow());
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
}
