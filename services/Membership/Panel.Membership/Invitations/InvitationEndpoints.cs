using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Panel.Membership.Consent;
using Panel.Membership.Data;
using Panel.Membership.MyPanel;
using Panel.Privacy;
using Panel.ServiceDefaults;

namespace Panel.Membership.Invitations;

/// <summary>
/// How many invitable members match, as the disclosure-control engine shows it (a multiple of 5 within 5 of the truth);
/// null when fewer than <paramref name="MinimumGroupSize"/> (k), zero included.
/// </summary>
public sealed record MatchesResponse(int? Matches, int MinimumGroupSize);

public sealed record ReminderProgress(int? Sent, int? Failed);

/// <summary>A quota the sample could not meet; <paramref name="Invited"/> is rounded like every count here (null below k).</summary>
public sealed record ShortfallProgress(string Attribute, IReadOnlyList<string> Values, int Wanted, int? Invited);

/// <summary>
/// A survey's invitations: issued, emails sent and failed, opened and answered (from Surveys' events), reminders.
/// <paramref name="Waiting"/> counts invitations Surveys has not yet acknowledged storing: their emails are held, so a
/// number that stays up tells an operator that Surveys (or the event bus) is not taking them.
/// <paramref name="SampleSize"/> and <paramref name="Shortfalls"/> tell whether the sample and its quotas were met.
/// Every count is shown as the disclosure-control engine allows (DESIGN.md section 5, rule 4): null below k, zero
/// included, else perturbed by the counted invitations' record keys and rounded to 5 (CellKeyPerturbation), so the
/// counts cannot be subtracted from Reporting's respondents or from the same counts shown at another time to name fewer
/// than k people. <paramref name="NotIssued"/> is "too-few-members" when fewer than k members matched and nobody was invited.
/// </summary>
public sealed record InvitationProgress(
    Guid SurveyId,
    int? Issued,
    int? Waiting,
    int? Sent,
    int? Failed,
    int? Opened,
    int? Answered,
    ReminderProgress Reminders,
    DateTimeOffset? LastSentAt,
    int? SampleSize,
    IReadOnlyList<ShortfallProgress> Shortfalls,
    DateTimeOffset ClosesAt,
    bool Closed,
    string? NotIssued = null,
    int MinimumGroupSize = 5);

/// <summary>One of the signed-in member's open invitations, with its token for the gateway's /answer?t= link.</summary>
public sealed record MyInvitation(Guid SurveyId, string Title, DateTimeOffset ClosesAt, bool Answered, string Token);

public static class InvitationEndpoints
{
    public const string TargetingPolicy = "targeting";
    public const string ProgressPolicy = "invitation-progress";

    public static readonly string[] TargetingRoles = [PanelRoles.SurveyAuthor, PanelRoles.DomainContact, PanelRoles.Coordinator];
    public static readonly string[] ProgressRoles = [PanelRoles.Coordinator, PanelRoles.DomainContact, PanelRoles.ItAdmin];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapInvitationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/membership/targeting/matches", Matches)
            .WithTags("Targeting")
            .RequireAuthorization(TargetingPolicy)
            .WithName("CountTargetMatches")
            .WithSummary("How many invitable members (active, current consent, not paused, not withdrawn) match a target group's criteria; null below the minimum group size.");
        app.MapGet("/api/membership/surveys/{surveyId:guid}/invitations/progress", Progress)
            .WithTags("Invitations")
            .RequireAuthorization(ProgressPolicy)
            .WithName("GetInvitationProgress")
            .WithSummary("A survey's invitations: issued, waiting for Surveys' acknowledgement, sent, failed, opened, answered, reminders (Coordinator, ItAdmin, DomainContact of the survey's area).");
        app.MapGet("/api/membership/me/invitations", Mine)
            .WithTags("My panel")
            .RequireAuthorization(PanelPolicies.Resident)
            .WithName("GetMyInvitations")
            .WithSummary("The signed-in member's invitations to surveys still open (once Surveys has acknowledged them), unanswered first, with the token of each link.");
        return app;
    }

    public static async Task<Results<Ok<MatchesResponse>, ValidationProblem>> Matches(
        MatchesRequest request, MembershipDbContext db, IOptions<MembershipOptions> options, TimeProvider time, CancellationToken ct)
    {
        var o = options.Value;
        if (TargetValidation.Validate(request, o, out var errors) is not { } filter)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var consent = await CurrentConsent.VersionAsync(db, o, ct);
        // Suppressed below k (zero included), perturbed by the members' record keys, rounded to 5, audited (MatchCounting).
        var shown = await MatchCounting.CountAsync(db, filter, o.MinimumGroupSize, o.Today(time), consent, time, ct);
        return TypedResults.Ok(new MatchesResponse((int?)shown, o.MinimumGroupSize));
    }

    public static async Task<Results<Ok<InvitationProgress>, NotFound, ForbidHttpResult>> Progress(
        Guid surveyId, ClaimsPrincipal user, MembershipDbContext db, IOptions<MembershipOptions> options, CancellationToken ct)
    {
        var survey = await db.InvitationSurveys.AsNoTracking().FirstOrDefaultAsync(s => s.Id == surveyId && s.OpenedAt != null, ct);
        if (survey is null)
        {
            return TypedResults.NotFound();
        }

        var seesAll = user.IsInRole(PanelRoles.Coordinator) || user.IsInRole(PanelRoles.ItAdmin);
        var contact = user.IsInRole(PanelRoles.DomainContact)
            && user.FindAll(PanelClaims.ServiceArea).Any(c => c.Value == survey.ServiceArea);
        if (!seesAll && !contact)
        {
            return TypedResults.Forbid();
        }

        var counts = await db.Invitations.AsNoTracking()
            .Where(i => i.SurveyId == surveyId)
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Issued = g.Count(),
                IssuedKeys = g.Sum(i => (long)i.RecordKey),
                Waiting = g.Count(i => i.AcknowledgedAt == null),
                WaitingKeys = g.Sum(i => i.AcknowledgedAt == null ? (long)i.RecordKey : 0L),
                Sent = g.Count(i => i.SentAt != null),
                SentKeys = g.Sum(i => i.SentAt != null ? (long)i.RecordKey : 0L),
                Failed = g.Count(i => i.FailedAt != null),
                FailedKeys = g.Sum(i => i.FailedAt != null ? (long)i.RecordKey : 0L),
                Opened = g.Count(i => i.Opened),
                OpenedKeys = g.Sum(i => i.Opened ? (long)i.RecordKey : 0L),
                Answered = g.Count(i => i.Answered),
                AnsweredKeys = g.Sum(i => i.Answered ? (long)i.RecordKey : 0L),
                RemindersSent = g.Sum(i => i.RemindersSent),
                RemindersSentKeys = g.Sum(i => (long)i.RecordKey * i.RemindersSent),
                RemindersFailed = g.Sum(i => i.RemindersFailed),
                RemindersFailedKeys = g.Sum(i => (long)i.RecordKey * i.RemindersFailed),
                LastSentAt = g.Max(i => i.SentAt),
            })
            .FirstOrDefaultAsync(ct);
        var lastReminder = await db.EmailMessages.AsNoTracking()
            .Where(e => e.Kind == Email.EmailKind.Reminder && e.SentAt != null)
            .Join(db.Invitations.Where(i => i.SurveyId == surveyId), e => e.InvitationId, i => i.Id, (e, _) => e.SentAt)
            .MaxAsync(ct);
        var lastSent = new[] { counts?.LastSentAt, lastReminder }.Max();
        var k = options.Value.MinimumGroupSize;
        int? Shown(int? count, long? keys) => (int?)CellKeyPerturbation.Publish(count ?? 0, keys ?? 0, k);
        var shortfalls = (survey.Shortfall is null ? [] : JsonSerializer.Deserialize<List<QuotaShortfall>>(survey.Shortfall, Json) ?? [])
            .Select(s => new ShortfallProgress(s.Attribute, s.Values, s.Wanted, (int?)CountRounding.Publish(s.Invited, k)))
            .ToList();
        return TypedResults.Ok(new InvitationProgress(
            surveyId,
            Shown(counts?.Issued, counts?.IssuedKeys),
            Shown(counts?.Waiting, counts?.WaitingKeys),
            Shown(counts?.Sent, counts?.SentKeys),
            Shown(counts?.Failed, counts?.FailedKeys),
            Shown(counts?.Opened, counts?.OpenedKeys),
            Shown(counts?.Answered, counts?.AnsweredKeys),
            new ReminderProgress(Shown(counts?.RemindersSent, counts?.RemindersSentKeys), Shown(counts?.RemindersFailed, counts?.RemindersFailedKeys)),
            lastSent,
            survey.SampleSize,
            shortfalls,
            survey.ClosesAt,
            survey.ClosedAt is not null,
            survey.NotIssued,
            k));
    }

    public static async Task<Results<Ok<List<MyInvitation>>, NotFound>> Mine(
        ClaimsPrincipal user, MembershipDbContext db, InvitationTokens tokens, TimeProvider time, CancellationToken ct)
    {
        if (MyPanelEndpoints.ResidentId(user) is not { } id || await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct) is not { } member)
        {
            return TypedResults.NotFound();
        }

        var now = time.GetUtcNow();
        var rows = await (
            from i in db.Invitations
            // Not before Surveys acknowledged the token: the link would not work yet.
            where i.MemberId == id && i.ProtectedToken != null && i.AcknowledgedAt != null
            join s in db.InvitationSurveys on i.SurveyId equals s.Id
            where s.ClosedAt == null && s.ClosesAt > now
            select new { i.Id, i.SurveyId, i.ProtectedToken, i.Answered, i.Language, s.Title, s.Languages, s.ClosesAt, s.TokenKey })
            .AsNoTracking()
            .ToListAsync(ct);
        var mine = rows
            .Select(r =>
            {
                using var key = tokens.OpenSurveyKey(r.SurveyId, r.TokenKey);
                return (r, Token: tokens.Unprotect(key, r.Id, r.ProtectedToken));
            })
            .Where(x => x.Token is not null)
            .Select(x => new MyInvitation(
                x.r.SurveyId,
                InvitationIssuer.Text(x.r.Title, x.r.Languages.Contains(member.Language) ? member.Language : x.r.Language),
                x.r.ClosesAt,
                x.r.Answered,
                x.Token!))
            .OrderBy(i => i.Answered)
            .ThenBy(i => i.ClosesAt)
            .ToList();
        return TypedResults.Ok(mine);
    }
}
