using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Panel.Contracts;
using Panel.Membership.Consent;
using Panel.Membership.Data;
using Panel.Membership.Members;
using Panel.Messaging;
using Panel.ServiceDefaults;

namespace Panel.Membership.MyPanel;

public sealed record MeResponse(
    string Email,
    string? Phone,
    int BirthYear,
    string Municipality,
    string? Gender,
    string Language,
    bool? IsClient,
    string ContactChannel,
    MemberState State,
    DateOnly? PausedUntil,
    DateTimeOffset JoinedAt,
    DateTimeOffset? VerifiedAt,
    string ConsentVersion,
    bool ConsentRequired,
    string? CampaignCode);

public sealed record ProfileUpdate(
    string? Phone,
    int? BirthYear,
    string? Municipality,
    string? Gender,
    string? Language,
    bool? IsClient,
    string? ContactChannel);

public sealed record PauseRequest(DateOnly? Until);

public sealed record ConsentAcceptance(string? Version);

public sealed record EraseRequest(bool? Confirm);

public sealed record ErasedResponse(string Status);

/// <summary>"My panel": a signed-in resident sees and manages their own membership, and only their own.</summary>
public static class MyPanelEndpoints
{
    internal static readonly JsonSerializerOptions ExportJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static IEndpointRouteBuilder MapMyPanelEndpoints(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/membership/me").WithTags("My panel").RequireAuthorization(PanelPolicies.Resident);
        me.MapGet("", GetMe).WithName("GetMe").WithSummary("The signed-in member's own data.");
        me.MapPut("", UpdateProfile).WithName("UpdateMyProfile").WithSummary("Changes the member's profile.");
        me.MapPost("/pause", Pause).WithName("PauseMembership").WithSummary("Pauses invitations until a date (tomorrow to one year ahead); only when Active.");
        me.MapPost("/resume", Resume).WithName("ResumeMembership").WithSummary("Ends a pause now; only when Paused.");
        me.MapPost("/withdraw", Withdraw).WithName("WithdrawMembership").WithSummary("Leaves the panel; the data stays until the member erases it.");
        me.MapPost("/consent", AcceptConsent).WithName("AcceptConsent").WithSummary("Accepts the current consent version.");
        me.MapGet("/export", Export).WithName("ExportMyData")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // A file to save (Content-Disposition names it), not a document to read: binary for generated clients.
                operation.Responses ??= [];
                operation.Responses["200"] = new OpenApiResponse
                {
                    Description = "The member's data as a JSON file.",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                    },
                };
                return Task.CompletedTask;
            }).WithSummary("Everything Membership holds about the member, as a JSON file.");
        me.MapPost("/erase", Erase).WithName("EraseMyData").WithSummary("Deletes the member, their links and emails; other services are told to erase too.");
        return app;
    }

    public static async Task<Results<Ok<MeResponse>, NotFound>> GetMe(
        ClaimsPrincipal user, MembershipDbContext db, IOptions<MembershipOptions> options, CancellationToken ct)
    {
        var member = ResidentId(user) is { } id ? await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct) : null;
        return member is null ? TypedResults.NotFound() : TypedResults.Ok(await ToResponseAsync(member, db, options.Value, ct));
    }

    public static async Task<Results<Ok<MeResponse>, ValidationProblem, NotFound>> UpdateProfile(
        ProfileUpdate request, ClaimsPrincipal user, MembershipDbContext db, IOptions<MembershipOptions> options, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        ProfileValidation.Validate(errors, request.Phone, request.BirthYear, request.Municipality, request.Gender, request.Language,
            request.ContactChannel, options.Value, now.Year);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var member = await LockAsync(db, user, ct);
        if (member is null)
        {
            return TypedResults.NotFound();
        }

        // From the group Reporting counts the member in; aging into a new band is reported here too.
        var previous = ReportedProfile.Of(member);
        member.Phone = string.IsNullOrWhiteSpace(request.Phone) ? null : request.Phone.Trim();
        member.BirthYear = request.BirthYear!.Value;
        member.Municipality = request.Municipality!;
        member.Gender = request.Gender;
        member.Language = request.Language!;
        member.IsClient = request.IsClient;
        member.ContactChannel = request.ContactChannel!;
        member.ProfileChangedAt = now;
        member.ReportedAgeBand = ReportedProfile.CurrentBand(member, time);
        var current = ReportedProfile.Of(member);
        if (current != previous)
        {
            db.AddEvent(new MemberProfileChanged(member.Id, previous, current, member.State, now), time);
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(await ToResponseAsync(member, db, options.Value, ct));
    }

    public static async Task<Results<Ok<MeResponse>, ValidationProblem, NotFound, ProblemHttpResult>> Pause(
        PauseRequest request, ClaimsPrincipal user, MembershipDbContext db, IOptions<MembershipOptions> options, TimeProvider time, CancellationToken ct)
    {
        var today = options.Value.Today(time);
        if (request.Until is not { } until)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["until"] = ["The last day of the pause is required (YYYY-MM-DD)."] });
        }

        if (until <= today || until > today.AddYears(1))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["until"] = ["A pause ends between tomorrow and one year from today."] });
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var member = await LockAsync(db, user, ct);
        if (member is null)
        {
            return TypedResults.NotFound();
        }

        if (member.Status != MemberStatus.Active)
        {
            return WrongState($"Only an active membership can be paused; this one is {member.State}.");
        }

        var now = time.GetUtcNow();
        var profile = ReportedProfile.CatchUp(db, member, time);
        member.Status = MemberStatus.Paused;
        member.PausedUntil = until;
        member.PausedAt = now;
        db.AddEvent(new MemberPaused(member.Id, profile, until, now), time);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(await ToResponseAsync(member, db, options.Value, ct));
    }

    public static async Task<Results<Ok<MeResponse>, NotFound, ProblemHttpResult>> Resume(
        ClaimsPrincipal user, MembershipDbContext db, IOptions<MembershipOptions> options, TimeProvider time, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var member = await LockAsync(db, user, ct);
        if (member is null)
        {
            return TypedResults.NotFound();
        }

        if (member.Status != MemberStatus.Paused)
        {
            return WrongState($"Only a paused membership can be resumed; this one is {member.State}.");
        }

        ResumeNow(db, member, time);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(await ToResponseAsync(member, db, options.Value, ct));
    }

    internal static void ResumeNow(MembershipDbContext db, Member member, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var profile = ReportedProfile.CatchUp(db, member, time);
        member.Status = MemberStatus.Active;
        member.PausedUntil = null;
        member.PausedAt = null;
        db.AddEvent(new MemberResumed(member.Id, profile, now), time);
    }

    public static async Task<Results<Ok<MeResponse>, NotFound, ProblemHttpResult>> Withdraw(
        ClaimsPrincipal user, MembershipDbContext db, IOptions<MembershipOptions> options, TimeProvider time, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var member = await LockAsync(db, user, ct);
        if (member is null)
        {
            return TypedResults.NotFound();
        }

        if (member.Status == MemberStatus.Withdrawn)
        {
            return WrongState("The membership is already withdrawn.");
        }

        var now = time.GetUtcNow();
        var previous = member.State;
        var profile = ReportedProfile.CatchUp(db, member, time);
        member.Status = MemberStatus.Withdrawn;
        member.WithdrawnAt = now;
        member.PausedUntil = null;
        member.PausedAt = null;
        db.AddEvent(new MemberWithdrawn(member.Id, profile, previous, now), time);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(await ToResponseAsync(member, db, options.Value, ct));
    }

    public static async Task<Results<Ok<MeResponse>, ValidationProblem, NotFound>> AcceptConsent(
        ConsentAcceptance request, ClaimsPrincipal user, MembershipDbContext db, IOptions<MembershipOptions> options, TimeProvider time, CancellationToken ct)
    {
        var current = await CurrentConsent.VersionAsync(db, options.Value, ct);
        if (request.Version != current)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["version"] = ["Only the current consent version can be accepted."] });
        }

        var member = ResidentId(user) is { } id ? await db.Members.FirstOrDefaultAsync(m => m.Id == id, ct) : null;
        if (member is null)
        {
            return TypedResults.NotFound();
        }

        member.ConsentVersion = current;
        member.ConsentAcceptedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await ToResponseAsync(member, db, options.Value, ct));
    }

    public static async Task<Results<FileContentHttpResult, NotFound>> Export(
        ClaimsPrincipal user, MembershipDbContext db, IOptions<MembershipOptions> options, TimeProvider time, CancellationToken ct)
    {
        var member = ResidentId(user) is { } id ? await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct) : null;
        if (member is null)
        {
            return TypedResults.NotFound();
        }

        // Metadata only: token hashes and email bodies (which hold links) are not the member's data but keys to it.
        var links = await db.OneTimeLinks.AsNoTracking().Where(l => l.MemberId == member.Id).OrderBy(l => l.CreatedAt)
            .Select(l => new { l.Purpose, l.CreatedAt, l.ExpiresAt, l.UsedAt }).ToListAsync(ct);
        var emails = await db.EmailMessages.AsNoTracking().Where(e => e.MemberId == member.Id).OrderBy(e => e.CreatedAt)
            .Select(e => new { e.Kind, To = e.To, e.Subject, e.Language, e.CreatedAt, e.SentAt, e.Attempts, e.FailedAt }).ToListAsync(ct);
        var export = new
        {
            ExportedAt = time.GetUtcNow(),
            Controller = "Panel – the wellbeing services county's resident panel (Membership service)",
            Member = new
            {
                PanelistId = member.Id,
                member.Email,
                member.Phone,
                member.BirthYear,
                member.Municipality,
                member.Gender,
                member.Language,
                member.IsClient,
                member.ContactChannel,
                member.CampaignCode,
            },
            Membership = new
            {
                member.State,
                member.JoinedAt,
                member.VerifiedAt,
                member.PausedAt,
                member.PausedUntil,
                member.WithdrawnAt,
                member.ProfileChangedAt,
                member.LastSignedInAt,
            },
            Consent = new
            {
                AcceptedVersion = member.ConsentVersion,
                member.ConsentAcceptedAt,
                CurrentVersion = await CurrentConsent.VersionAsync(db, options.Value, ct),
            },
            Links = links,
            Emails = emails,
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(export, ExportJson);
        return TypedResults.File(bytes, "application/json", "panel-my-data.json");
    }

    public static async Task<Results<Ok<ErasedResponse>, ValidationProblem, NotFound>> Erase(
        EraseRequest request, ClaimsPrincipal user, MembershipDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (request.Confirm is not true)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["confirm"] = ["Erasing must be confirmed with confirm: true."] });
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var member = await LockAsync(db, user, ct);
        if (member is null)
        {
            return TypedResults.NotFound();
        }

        // Links and emails go with the member (foreign keys cascade).
        await Erasure.EraseAsync(db, member, time, ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(new ErasedResponse("erased"));
    }

    private static ProblemHttpResult WrongState(string detail) =>
        TypedResults.Problem(title: "The membership is not in a state that allows this.", detail: detail, statusCode: StatusCodes.Status409Conflict);

    internal static Guid? ResidentId(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(PanelClaims.Subject), out var id) ? id : null;

    private static async Task<Member?> LockAsync(MembershipDbContext db, ClaimsPrincipal user, CancellationToken ct) =>
        ResidentId(user) is { } id
            ? await db.Members.FromSql($"SELECT * FROM members WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(ct)
            : null;

    private static async Task<MeResponse> ToResponseAsync(Member m, MembershipDbContext db, MembershipOptions o, CancellationToken ct)
    {
        var current = await CurrentConsent.VersionAsync(db, o, ct);
        return new(
            m.Email, m.Phone, m.BirthYear, m.Municipality, m.Gender, m.Language, m.IsClient, m.ContactChannel, m.State,
            m.PausedUntil, m.JoinedAt, m.VerifiedAt, m.ConsentVersion, m.ConsentVersion != current, m.CampaignCode);
    }
}
