using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Panel.Membership.Data;
using Panel.ServiceDefaults;

namespace Panel.Membership.Campaigns;

public sealed record CreateCampaignRequest(string? Code, string? Name, string? Channel, DateOnly? StartsOn, DateOnly? EndsOn);

public sealed record CampaignResponse(string Code, string Name, string Channel, DateOnly StartsOn, DateOnly? EndsOn, DateTimeOffset CreatedAt);

public static partial class CampaignEndpoints
{
    public const string ReadPolicy = "campaigns-read";

    [GeneratedRegex("^[A-Z0-9-]{2,40}$")]
    private static partial Regex CodePattern();

    public static IEndpointRouteBuilder MapCampaignEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/membership/campaigns").WithTags("Campaigns");
        group.MapPost("", Create).RequireAuthorization(PanelPolicies.Coordinator)
            .WithName("CreateCampaign")
            .WithSummary("Creates a recruitment campaign; its code is what joins from the campaign carry.");
        group.MapGet("", List).RequireAuthorization(ReadPolicy)
            .WithName("ListCampaigns")
            .WithSummary("All campaigns, newest start first.");
        group.MapGet("/{code}", Get).RequireAuthorization(ReadPolicy)
            .WithName("GetCampaign")
            .WithSummary("One campaign by its code.");
        return app;
    }

    public static async Task<Results<Created<CampaignResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateCampaignRequest request, MembershipDbContext db, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var code = request.Code?.Trim().ToUpperInvariant();
        if (code is null || !CodePattern().IsMatch(code))
        {
            errors["code"] = ["The code is 2 to 40 characters: letters A-Z, digits and '-'."];
        }

        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            errors["name"] = ["The name is required, at most 200 characters."];
        }

        if (request.Channel is null || !CampaignChannels.All.Contains(request.Channel))
        {
            errors["channel"] = [$"The channel is one of: {string.Join(", ", CampaignChannels.All)}."];
        }

        if (request.StartsOn is null)
        {
            errors["startsOn"] = ["The start date is required (YYYY-MM-DD)."];
        }
        else if (request.EndsOn is { } end && end < request.StartsOn)
        {
            errors["endsOn"] = ["The end date cannot be before the start date."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var campaign = new Campaign
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            Code = code!,
            Name = name!,
            Channel = request.Channel!,
            StartsOn = request.StartsOn!.Value,
            EndsOn = request.EndsOn,
            CreatedAt = time.GetUtcNow(),
        };
        db.Campaigns.Add(campaign);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return TypedResults.Problem(title: "A campaign with this code exists already.", detail: $"Choose another code than {code}.",
                statusCode: StatusCodes.Status409Conflict);
        }

        return TypedResults.Created($"/api/membership/campaigns/{campaign.Code}", ToResponse(campaign));
    }

    public static async Task<Ok<List<CampaignResponse>>> List(MembershipDbContext db, CancellationToken ct)
    {
        var campaigns = await db.Campaigns.AsNoTracking().OrderByDescending(c => c.StartsOn).ThenBy(c => c.Code).ToListAsync(ct);
        return TypedResults.Ok(campaigns.Select(ToResponse).ToList());
    }

    public static async Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> Get(string code, MembershipDbContext db, CancellationToken ct)
    {
        var normalized = code.Trim().ToUpperInvariant();
        var campaign = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Code == normalized, ct);
        return campaign is null
            ? TypedResults.Problem(title: "No such campaign.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(ToResponse(campaign));
    }

    private static CampaignResponse ToResponse(Campaign c) => new(c.Code, c.Name, c.Channel, c.StartsOn, c.EndsOn, c.CreatedAt);
}
