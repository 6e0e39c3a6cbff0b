using System.Net.Mail;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Panel.Contracts;
using Panel.Membership.Consent;
using Panel.Membership.Data;
using Panel.Membership.Links;
using Panel.Membership.Members;
using Panel.Messaging;

namespace Panel.Membership.SignIn;

public sealed record SignInLinkRequest(string? Email);

/// <summary>The same answer for members and strangers, so the form cannot be used to find members.</summary>
public sealed record SignInLinkAccepted(string Status);

public sealed record SessionRequest(string? Token);

public sealed record SessionResponse(Guid PanelistId, string Language, bool ConsentRequired);

public static class SignInEndpoints
{
    public static IEndpointRouteBuilder MapSignInEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/membership").WithTags("Signing in");
        group.MapPost("/sign-in-links", RequestLink)
            .WithName("RequestSignInLink")
            .WithSummary("Emails a one-time sign-in link to a member. The answer is the same whether or not the email is a member.");
        group.MapPost("/sessions", StartSession)
            .WithName("StartSession")
            .WithSummary("Consumes a sign-in token and tells the gateway whom to sign in.");
        return app;
    }

    public static Results<Accepted<SignInLinkAccepted>, ValidationProblem> RequestLink(SignInLinkRequest request, SignInLinkRequests requests)
    {
        if (string.IsNullOrWhiteSpace(request.Email) || request.Email.Length > 254
            || !MailAddress.TryCreate(request.Email.Trim(), out var parsed) || parsed.Address != request.Email.Trim())
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["email"] = ["Email is not a valid address."] });
        }

        // Whether the address is a member's is found out in the background, after this answer (SignInLinkRequests).
        requests.TryAdd(JoinEndpoints.NormalizeEmail(request.Email));
        return TypedResults.Accepted((string?)null, new SignInLinkAccepted("received"));
    }

    public static async Task<Results<Ok<SessionResponse>, ValidationProblem>> StartSession(
        SessionRequest request, MembershipDbContext db, IOptions<MembershipOptions> options, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (check, link) = await OneTimeLinkStore.ConsumeAsync(db, request.Token, LinkPurpose.SignIn, now, ct);
        if (check != LinkCheck.Valid)
        {
            return TypedResults.ValidationProblem(OneTimeLinkStore.Error(check));
        }

        var member = await db.Members.SingleAsync(m => m.Id == link!.MemberId, ct);
        member.LastSignedInAt = now;
        db.AddEvent(new MemberSignedIn(now), time);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var current = await CurrentConsent.VersionAsync(db, options.Value, ct);
        return TypedResults.Ok(new SessionResponse(member.Id, member.Language, member.ConsentVersion != current));
    }
}
