using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Panel.Contracts;
using Panel.Surveys.Access;
using Panel.Surveys.Answering;
using Panel.Surveys.Data;
using Panel.Surveys.Definitions;
using Panel.Surveys.Responses;
using Panel.Surveys.Targeting;

namespace Panel.Surveys.Assisted;

/// <summary>The coarse profile staff may give with an assisted or paper answer (all optional but as a whole).</summary>
public sealed record ProfileInput(string? AgeBand, string? Municipality, string? Gender, string? Language, bool? IsClient);

/// <param name="Channel">"assisted" (entered with the resident: digital support point, home visit, phone) or "paper" (from a paper form).</param>
/// <param name="Profile">The resident's coarse profile if they gave it; without it the answer counts in totals only.</param>
/// <param name="Answers">The whole answer set, shaped as for residents.</param>
public sealed record AssistedAnswerRequest(string? Channel, ProfileInput? Profile, IReadOnlyDictionary<string, JsonElement>? Answers);

/// <summary>The only values an assisted answer's profile fields take: the fixed bands and sets, and the county's municipalities.</summary>
public sealed record AssistedProfileValues(
    IReadOnlyList<string> AgeBands, IReadOnlyList<string> Municipalities, IReadOnlyList<string> Genders, IReadOnlyList<string> Languages);

/// <summary>
/// Answers entered by staff on a resident's behalf or from paper. Recorded with their channel and never with
/// the staff member's id; they take the same pending → mixer path as residents' answers.
/// </summary>
public static class AssistedEndpoints
{
    public static IEndpointRouteBuilder MapAssistedEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(SurveyEndpoints.Prefix + "/{id:guid}/assisted-responses", Submit)
            .WithTags("Answering")
            .RequireAuthorization(SurveyPolicies.Assist)
            .WithName("SubmitAssistedAnswer")
            .WithSummary("Enters an answer given with staff help or on paper to an open survey (coordinator, domain contact of its area). The staff member is not recorded with it.");
        app.MapGet(SurveyEndpoints.Prefix + "/assisted-profile-values", ProfileValuesOf)
            .WithTags("Answering")
            .RequireAuthorization(SurveyPolicies.Assist)
            .WithName("GetAssistedProfileValues")
            .WithSummary("The values an assisted answer's profile fields accept: age bands, the county's municipalities, genders, languages.");
        return app;
    }

    public static Ok<AssistedProfileValues> ProfileValuesOf(IOptions<CountyMunicipalities> county) =>
        TypedResults.Ok(new AssistedProfileValues(ProfileValues.AgeBands, county.Value.Municipalities, ProfileValues.Genders, ProfileValues.Languages));

    public static async Task<Results<Ok<AnswerReceived>, ValidationProblem, ProblemHttpResult>> Submit(
        Guid id, AssistedAnswerRequest request, ClaimsPrincipal principal, SurveysDbContext db, IOptions<CountyMunicipalities> county,
        TimeProvider time, CancellationToken ct)
    {
        var user = StaffUser.From(principal);
        var errors = new Dictionary<string, string[]>();
        if (request.Channel is not (ResponseChannels.Assisted or ResponseChannels.Paper))
        {
            errors["channel"] = ["The channel is \"assisted\" or \"paper\"."];
        }

        var profile = ValidProfile(request.Profile, county.Value, errors);
        if (request.Answers is null)
        {
            errors["answers"] = ["The answers are required."];
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var survey = await db.Surveys.FromSql($"SELECT * FROM surveys WHERE id = {id} FOR KEY SHARE").AsNoTracking().FirstOrDefaultAsync(ct);
        if (survey is null || !user.CanSee(survey))
        {
            return SurveyStore.NotFound();
        }

        if (!user.CanReview(survey))
        {
            return SurveyStore.Forbidden("Answers are entered on a resident's behalf by a coordinator or a domain contact of the survey's service area.");
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (survey.State != SurveyState.Open)
        {
            return SurveyStore.Conflict("Answers are taken while the survey is open.", state: survey.State);
        }

        var prepared = AnswerSets.Prepare(survey.Definition, null, null, request.Answers, AnswerCompleteness.Complete);
        if (prepared.Errors.Count > 0)
        {
            return Submissions.Invalid(survey.Definition, prepared.Errors);
        }

        Submissions.AddPending(db, survey, request.Channel!, profile, prepared.Answers, time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(Submissions.Received(survey, survey.Definition.Languages.FirstOrDefault() ?? "fi"));
    }

    /// <summary>
    /// The profile, if every field holds one of its fixed values: staff choose them from lists, so anything else (a
    /// municipality typed by hand, a name, an identity code) is refused rather than stored beside the answer.
    /// </summary>
    private static ProfileSnapshot? ValidProfile(ProfileInput? input, CountyMunicipalities county, Dictionary<string, string[]> errors)
    {
        if (input is null)
        {
            return null;
        }

        var before = errors.Count;
        if (input.AgeBand is null || !ProfileValues.AgeBands.Contains(input.AgeBand))
        {
            errors["profile.ageBand"] = [$"The age band is one of {string.Join(", ", ProfileValues.AgeBands)}."];
        }

        if (input.Municipality is null || !county.Municipalities.Contains(input.Municipality, StringComparer.Ordinal))
        {
            errors["profile.municipality"] = ["The municipality is one of the county's municipalities (GET /api/surveys/assisted-profile-values)."];
        }

        if (input.Gender is not null && !ProfileValues.Genders.Contains(input.Gender))
        {
            errors["profile.gender"] = [$"The gender is one of {string.Join(", ", ProfileValues.Genders)}, or left out."];
        }

        if (input.Language is null || !ProfileValues.Languages.Contains(input.Language))
        {
            errors["profile.language"] = ["The language is fi, sv or en."];
        }

        return errors.Count > before
            ? null
            : new ProfileSnapshot(input.AgeBand!, input.Municipality!, input.Gender, input.Language!, input.IsClient);
    }
}
