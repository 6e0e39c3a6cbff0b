using System.Net.Mail;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Panel.Contracts;
using Panel.Membership.Consent;
using Panel.Membership.Data;
using Panel.Membership.Email;
using Panel.Messaging;

namespace Panel.Membership.Members;

public sealed record JoinRequest(
    string? Email,
    string? Phone,
    int? BirthYear,
    string? Municipality,
    string? Gender,
    string? Language,
    bool? IsClient,
    bool Consent,
    string? CampaignCode,
    string? ContactChannel = null);

/// <summary>The same answer whether or not the email was already a member, so joining cannot be used to find members.</summary>
public sealed record JoinAccepted(string Status);

public sealed record JoinOptionsResponse(
    IReadOnlyList<string> Municipalities,
    IReadOnlyList<string> Genders,
    IReadOnlyList<string> Languages,
    int MinimumAge,
    string ConsentVersion);

public static class JoinEndpoints
{
    public static readonly IReadOnlyList<string> Genders = ["woman", "man", "other", "unspecified"];
    public static readonly IReadOnlyList<string> Languages = ["fi", "sv", "en"];

    public static IEndpointRouteBuilder MapJoinEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/membership").WithTags("Joining");
        group.MapGet("/join-options", GetJoinOptions)
            .WithName("GetJoinOptions")
            .WithSummary("What the join form offers: the county's municipalities, genders, languages, consent version.");
        group.MapPost("/members", Join)
            .WithName("JoinPanel")
            .WithSummary("A resident joins the panel. The answer is the same whether or not the email is already a member.");
        return app;
    }

    public static async Task<Ok<JoinOptionsResponse>> GetJoinOptions(IOptions<MembershipOptions> options, MembershipDbContext db, CancellationToken ct) =>
        TypedResults.Ok(new JoinOptionsResponse(
            options.Value.Municipalities, Genders, Languages, options.Value.MinimumAge, await CurrentConsent.VersionAsync(db, options.Value, ct)));

    public static async Task<Results<Accepted<JoinAccepted>, ValidationProblem>> Join(
        JoinRequest request,
        MembershipDbContext db,
        IOptions<MembershipOptions> options,
        EmailQueue emails,
        TimeProvider time,
        CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var errors = Validate(request, options.Value, now.Year);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var email = NormalizeEmail(request.Email!);
        var accepted = TypedResults.Accepted((string?)null, new JoinAccepted("received"));
        var existing = await db.Members.Where(m => m.Email == email).Select(m => new { m.Id, m.Status }).FirstOrDefaultAsync(ct);
        if (existing is not null)
        {
            // The answer is the same as for a new member, and so is the work: a transaction that writes a link and its
            // email (a new member's writes the member, its event, a link and its email), so the time does not tell either.
            // The person behind the address hears what happened by email, in their language: somebody who joined but has
            // not verified may have lost the email, which is sent again; anybody else gets a sign-in link and word that
            // the address is already in the panel. Both are rate-limited per address.
            await emails.TryQueueAsync(existing.Id, existing.Status == MemberStatus.Pending ? EmailKind.Verification : EmailKind.AlreadyMember, ct);
            return accepted;
        }

        var member = new Member
        {
            Id = Guid.NewGuid(),
            Email = email,
            Phone = string.IsNullOrWhiteSpace(request.Phone) ? null : request.Phone.Trim(),
            BirthYear = request.BirthYear!.Value,
            ReportedAgeBand = AgeBands.For(request.BirthYear!.Value, now.Year),
            Municipality = request.Municipality!,
            Gender = request.Gender,
            Language = request.Language!,
            IsClient = request.IsClient,
            ContactChannel = request.ContactChannel ?? ContactChannels.Email,
            Status = MemberStatus.Pending,
            JoinedAt = now,
            ConsentVersion = await CurrentConsent.VersionAsync(db, options.Value, ct),
            ConsentAcceptedAt = now,
            CampaignCode = string.IsNullOrWhiteSpace(request.CampaignCode) ? null : request.CampaignCode.Trim().ToUpperInvariant(),
        };
        db.Members.Add(member);
        db.AddEvent(new MemberJoined(member.Id, ReportedProfile.Of(member), now, member.CampaignCode), time);
        emails.AddVerification(member);

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // The same email joined concurrently; that join won, and this one is answered alike.
        }

        return accepted;
    }

    internal static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    internal static Dictionary<string, string[]> Validate(JoinRequest r, MembershipOptions o, int currentYear)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(r.Email))
        {
            errors["email"] = ["Email is required."];
        }
        else if (r.Email.Length > 254 || !MailAddress.TryCreate(r.Email.Trim(), out var parsed) || parsed.Address != r.Email.Trim())
        {
            errors["email"] = ["Email is not a valid address."];
        }

        ProfileValidation.Validate(errors, r.Phone, r.BirthYear, r.Municipality, r.Gender, r.Language, r.ContactChannel ?? ContactChannels.Email, o, currentYear);

        if (!r.Consent)
        {
            errors["consent"] = ["Joining requires consent."];
        }

        if (r.CampaignCode is { Length: > 40 })
        {
            errors["campaignCode"] = ["Campaign code is at most 40 characters."];
        }

        return errors;
    }
}
