using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Panel.Contracts;
using Panel.Membership.Data;
using Panel.Membership.Links;
using Panel.Membership.Members;
using Panel.Messaging;

namespace Panel.Membership.Verification;

public sealed record VerificationRequest(string? Token);

public sealed record VerificationResponse(string Status, string Language);

public static class VerificationEndpoints
{
    public static IEndpointRouteBuilder MapVerificationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/membership").WithTags("Joining")
            .MapPost("/verifications", Verify)
            .WithName("VerifyEmail")
            .WithSummary("Confirms a member's email with the one-time token of the verification link: Pending → Active.");
        return app;
    }

    public static async Task<Results<Ok<VerificationResponse>, ValidationProblem>> Verify(
        VerificationRequest request, MembershipDbContext db, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (check, link) = await OneTimeLinkStore.ConsumeAsync(db, request.Token, LinkPurpose.Verification, now, ct);
        if (check != LinkCheck.Valid)
        {
            return TypedResults.ValidationProblem(OneTimeLinkStore.Error(check));
        }

        var member = await db.Members.FromSql($"SELECT * FROM members WHERE id = {link!.MemberId} FOR UPDATE").SingleAsync(ct);
        if (member.Status == MemberStatus.Pending)
        {
            var profile = ReportedProfile.CatchUp(db, member, time);
            member.Status = MemberStatus.Active;
            member.VerifiedAt = now;
            db.AddEvent(new MemberVerified(member.Id, profile, now, member.CampaignCode), time);
        }

        // Other verification links sent to the member (resends) have done their job too.
        await db.OneTimeLinks
            .Where(l => l.MemberId == member.Id && l.Purpose == LinkPurpose.Verification && l.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(new VerificationResponse("verified", member.Language));
    }
}
