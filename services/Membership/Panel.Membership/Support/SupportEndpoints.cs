using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Panel.Contracts;
using Panel.Membership.Audit;
using Panel.Membership.Data;
using Panel.Membership.Email;
using Panel.Membership.Members;
using Panel.Membership.MyPanel;

namespace Panel.Membership.Support;

public sealed record SupportLookupRequest(string? Email, string? Reason);

public sealed record SupportLookupResponse(Guid PanelistId, MemberState State, DateTimeOffset JoinedAt, DateTimeOffset? VerifiedAt, DateOnly? PausedUntil);

public sealed record SupportReasonRequest(string? Reason);

public sealed record SupportEraseRequest(string? Reason, bool? Confirm);

public sealed record SupportResendResponse(string Status);

/// <summary>
/// Member support for staff (Coordinator, ItAdmin): find one member by their exact email, resend
/// their verification email, erase them on request. Every access, found or not, is written to the
/// audit log in the same transaction. There is deliberately no listing or searching.
/// </summary>
public static class SupportEndpoints
{
    public const string Policy = "member-support";

    public static IEndpointRouteBuilder MapSupportEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/membership/support").WithTags("Member support").RequireAuthorization(Policy);
        group.MapPost("/lookup", Lookup).WithName("SupportLookupMember")
            .WithSummary("Finds a member by exact email; the access is audited with its reason.");
        group.MapPost("/{panelistId:guid}/resend-verification", ResendVerification).WithName("SupportResendVerification")
            .WithSummary("Queues the verification email again for a Pending member; audited.");
        group.MapPost("/{panelistId:guid}/erase", Erase).WithName("SupportEraseMember")
            .WithSummary("Erases a member on their request, as their own erasure does; audited.");
        return app;
    }

    public static async Task<Results<Ok<SupportLookupResponse>, ValidationProblem, ProblemHttpResult>> Lookup(
        SupportLookupRequest request, ClaimsPrincipal user, MembershipDbContext db, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Email) || request.Email.Trim().Length > 254)
        {
            errors["email"] = ["The member's exact email address is required (at most 254 characters)."];
        }

        ValidateReason(request.Reason, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var email = JoinEndpoints.NormalizeEmail(request.Email!);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var member = await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Email == email, ct);
        AuditLog.Add(db, user, AuditActions.Lookup, member is null ? AuditOutcomes.NotFound : AuditOutcomes.Found,
            request.Reason!.Trim(), member?.Id, time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return member is null
            ? NotFound()
            : TypedResults.Ok(new SupportLookupResponse(member.Id, member.State, member.JoinedAt, member.VerifiedAt, member.PausedUntil));
    }

    public static async Task<Results<Accepted<SupportResendResponse>, ValidationProblem, ProblemHttpResult>> ResendVerification(
        Guid panelistId, SupportReasonRequest request, ClaimsPrincipal user, MembershipDbContext db, EmailQueue emails, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        ValidateReason(request.Reason, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var reason = request.Reason!.Trim();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var member = await LockAsync(db, panelistId, ct);
        ProblemHttpResult? problem = null;
        string outcome;
        if (member is null)
        {
            outcome = AuditOutcomes.NotFound;
            problem = NotFound();
        }
        else if (member.Status != MemberStatus.Pending)
        {
            outcome = AuditOutcomes.WrongState;
            problem = TypedResults.Problem(title: "The member is not waiting for verification.",
                detail: $"Only a Pending member can be sent the verification email again; this one is {member.State}.",
                statusCode: StatusCodes.Status409Conflict);
        }
        else if (await emails.TryQueueAsync(member.Id, EmailKind.Verification, ct))
        {
            outcome = AuditOutcomes.Queued;
        }
        else
        {
            outcome = AuditOutcomes.RateLimited;
            problem = TypedResults.Problem(title: "The email limits for this address say not yet.",
                detail: "A verification email was sent recently or the hourly limit is reached; try again later.",
                statusCode: StatusCodes.Status429TooManyRequests);
        }

        AuditLog.Add(db, user, AuditActions.ResendVerification, outcome, reason, member?.Id, time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return problem is null ? TypedResults.Accepted((string?)null, new SupportResendResponse("queued")) : problem;
    }

    public static async Task<Results<Ok<ErasedResponse>, ValidationProblem, ProblemHttpResult>> Erase(
        Guid panelistId, SupportEraseRequest request, ClaimsPrincipal user, MembershipDbContext db, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        ValidateReason(request.Reason, errors);
        if (request.Confirm is not true)
        {
            errors["confirm"] = ["Erasing must be confirmed with confirm: true."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var member = await LockAsync(db, panelistId, ct);
        AuditLog.Add(db, user, AuditActions.Erase, member is null ? AuditOutcomes.NotFound : AuditOutcomes.Erased,
            request.Reason!.Trim(), member?.Id, time.GetUtcNow());
        if (member is null)
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return NotFound();
        }

        // Saves the audit entry too; the erasure then unlinks it (and earlier ones) from the member.
        await Erasure.EraseAsync(db, member, time, ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(new ErasedResponse("erased"));
    }

    private static void ValidateReason(string? reason, Dictionary<string, string[]> errors)
    {
        var length = reason?.Trim().Length ?? 0;
        if (length is < 5 or > 500)
        {
            errors["reason"] = ["A reason of 5 to 500 characters is required; it is written to the audit log."];
        }
    }

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(title: "No such member.", statusCode: StatusCodes.Status404NotFound);

    private static Task<Member?> LockAsync(MembershipDbContext db, Guid id, CancellationToken ct) =>
        db.Members.FromSql($"SELECT * FROM members WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(ct);
}
