using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Panel.Membership.Consent;

public sealed record ConsentTexts(string Fi, string Sv, string En);

public sealed record ConsentResponse(string Version, ConsentTexts Texts);

public static class ConsentEndpoints
{
    public static IEndpointRouteBuilder MapConsentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/membership").WithTags("Joining")
            .MapGet("/consent", GetConsent)
            .WithName("GetConsent")
            .WithSummary("The current consent text in Finnish, Swedish and English, and its version.");
        return app;
    }

    public static Ok<ConsentResponse> GetConsent(IOptions<MembershipOptions> options)
    {
        var o = options.Value;
        return TypedResults.Ok(new ConsentResponse(o.ConsentVersion, new ConsentTexts(o.ConsentTexts["fi"], o.ConsentTexts["sv"], o.ConsentTexts["en"])));
    }
}
