using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Panel.Membership.Data;
using Panel.ServiceDefaults;

namespace Panel.Membership.Consent;

public sealed record ConsentTexts(string Fi, string Sv, string En);

public sealed record ConsentResponse(string Version, ConsentTexts Texts);

public sealed record ConsentTextsRequest(string? Fi, string? Sv, string? En);

public sealed record PublishConsentRequest(ConsentTextsRequest? Texts);

public sealed record ConsentVersionResponse(string Version, ConsentTexts Texts, DateTimeOffset PublishedAt, string PublishedBy);

public static class ConsentEndpoints
{
    public const string ReadPolicy = "consent-history";

    public static IEndpointRouteBuilder MapConsentEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/membership");
        group.MapGet("/consent", GetConsent)
            .WithTags("Joining")
            .WithName("GetConsent")
            .WithSummary("The current consent text in Finnish, Swedish and English, and its version.");
        group.MapPost("/consents", Publish)
            .WithTags("Consent texts")
            .RequireAuthorization(PanelPolicies.Coordinator)
            .WithName("PublishConsent")
            .WithSummary("Publishes new consent texts (fi, sv, en) as the next version; members are asked to accept it at their next sign-in.");
        group.MapGet("/consents", History)
            .WithTags("Consent texts")
            .RequireAuthorization(ReadPolicy)
            .WithName("GetConsentHistory")
            .WithSummary("Every published consent version, newest first.");
        return app;
    }

    public static async Task<Ok<ConsentResponse>> GetConsent(MembershipDbContext db, IOptions<MembershipOptions> options, CancellationToken ct) =>
        TypedResults.Ok(await CurrentConsent.GetAsync(db, options.Value, ct));

    public static async Task<Results<Created<ConsentVersionResponse>, ValidationProblem>> Publish(
        PublishConsentRequest request, ClaimsPrincipal user, MembershipDbContext db, IOptions<MembershipOptions> options, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var fi = Text(request.Texts?.Fi, "texts.fi", errors);
        var sv = Text(request.Texts?.Sv, "texts.sv", errors);
        var en = Text(request.Texts?.En, "texts.en", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // One publisher at a time, so each gets its own next number.
        await db.Database.ExecuteSqlRawAsync("LOCK TABLE consent_versions IN EXCLUSIVE MODE", ct);
        var published = await db.ConsentVersions.MaxAsync(c => (int?)c.Version, ct) ?? 0;
        // Above the configured version too, so members who accepted that one are asked again.
        var configured = int.TryParse(options.Value.ConsentVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0;
        var version = new ConsentVersion
        {
            Version = Math.Max(published, configured) + 1,
            TextFi = fi!,
            TextSv = sv!,
            TextEn = en!,
            PublishedAt = time.GetUtcNow(),
            PublishedBy = user.FindFirstValue(PanelClaims.Subject) ?? "unknown",
        };
        db.ConsentVersions.Add(version);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Created("/api/membership/consents", ToResponse(version));
    }

    public static async Task<Ok<List<ConsentVersionResponse>>> History(MembershipDbContext db, CancellationToken ct)
    {
        var versions = await db.ConsentVersions.AsNoTracking().OrderByDescending(c => c.Version).ToListAsync(ct);
        return TypedResults.Ok(versions.Select(ToResponse).ToList());
    }

    private static ConsentVersionResponse ToResponse(ConsentVersion c) =>
        new(c.Version.ToString(CultureInfo.InvariantCulture), new ConsentTexts(c.TextFi, c.TextSv, c.TextEn), c.PublishedAt, c.PublishedBy);

    private static string? Text(string? value, string field, Dictionary<string, string[]> errors)
    {
        var text = value?.Trim();
        if (text is null || text.Length is < 20 or > 20000)
        {
            errors[field] = ["The consent text is required in this language, 20 to 20000 characters."];
            return null;
        }

        return text;
    }
}
