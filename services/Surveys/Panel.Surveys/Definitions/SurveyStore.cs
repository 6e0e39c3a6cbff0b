using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Panel.Surveys.Access;
using Panel.Surveys.Data;

namespace Panel.Surveys.Definitions;

/// <summary>Loading surveys for a request, and the problem answers shared by the survey endpoints.</summary>
public static class SurveyStore
{
    /// <summary>The survey, locked for the rest of the transaction, so two changes never interleave.</summary>
    public static Task<Survey?> LockAsync(SurveysDbContext db, Guid id, CancellationToken ct) =>
        db.Surveys.FromSql($"SELECT * FROM surveys WHERE id = {id} FOR UPDATE").FirstOrDefaultAsync(ct);

    /// <summary>The survey if the user may see it; otherwise null, answered as 404 so its existence is not told.</summary>
    public static async Task<Survey?> VisibleAsync(SurveysDbContext db, Guid id, StaffUser user, CancellationToken ct)
    {
        var survey = await db.Surveys.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        return survey is not null && user.CanSee(survey) ? survey : null;
    }

    public static ProblemHttpResult NotFound() =>
        TypedResults.Problem(title: "No such survey.", statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult Forbidden(string reason) =>
        TypedResults.Problem(title: "Not allowed.", detail: reason, statusCode: StatusCodes.Status403Forbidden);

    /// <summary>409: the survey's state does not allow this; <paramref name="reasons"/> lists every reason where there are several.</summary>
    public static ProblemHttpResult Conflict(string reason, IReadOnlyList<string>? reasons = null, SurveyState? state = null)
    {
        var extensions = new Dictionary<string, object?>();
        if (reasons is not null)
        {
            extensions["reasons"] = reasons;
        }

        if (state is { } s)
        {
            extensions["state"] = StateName(s);
        }

        return TypedResults.Problem(title: "Not possible now.", detail: reason, statusCode: StatusCodes.Status409Conflict, extensions: extensions);
    }

    public static string StateName(SurveyState state) => JsonNamingPolicy.KebabCaseLower.ConvertName(state.ToString());

    public static bool TryParseState(string value, out SurveyState state)
    {
        foreach (var s in Enum.GetValues<SurveyState>())
        {
            if (StateName(s) == value)
            {
                state = s;
                return true;
            }
        }

        state = default;
        return false;
    }

    public static string ETag(Survey survey) => $"\"{survey.DefinitionVersion}\"";
}
