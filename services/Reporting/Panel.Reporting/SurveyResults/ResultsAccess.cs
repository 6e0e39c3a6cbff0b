using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Panel.Reporting.Data;
using Panel.ServiceDefaults;

namespace Panel.Reporting.SurveyResults;

/// <summary>
/// Who sees a survey's results: Coordinator, ItAdmin and Communications all surveys; a DomainContact those of
/// their service areas (<c>area</c> claims of the gateway's token); anyone else only surveys a coordinator
/// granted them (report readers, by staff id). Roles add up.
/// </summary>
public static class ResultsAccess
{
    public static readonly string[] AllSurveyRoles = [PanelRoles.Coordinator, PanelRoles.ItAdmin, PanelRoles.Communications];

    public static string StaffId(ClaimsPrincipal user) => user.FindFirstValue(PanelClaims.Subject) ?? "";

    public static bool SeesAll(ClaimsPrincipal user) => AllSurveyRoles.Any(user.IsInRole);

    public static IReadOnlySet<string> Areas(ClaimsPrincipal user) =>
        user.IsInRole(PanelRoles.DomainContact)
            ? user.FindAll(PanelClaims.ServiceArea).Select(c => c.Value).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>();

    public static async Task<bool> MaySeeAsync(ReportingDbContext db, ClaimsPrincipal user, ResultsSurvey survey, CancellationToken ct) =>
        SeesAll(user) || Areas(user).Contains(survey.ServiceArea)
        || await db.SurveyReportReaders.AnyAsync(r => r.SurveyId == survey.SurveyId && r.StaffId == StaffId(user), ct);

    /// <summary>The survey if the user may see its results; else 404 (unknown or not yet approved) or 403.</summary>
    public static async Task<(ResultsSurvey? Survey, ProblemHttpResult? Problem)> FindAsync(
        ReportingDbContext db, ClaimsPrincipal user, Guid surveyId, CancellationToken ct)
    {
        var survey = await db.ResultsSurveys.AsNoTracking().SingleOrDefaultAsync(s => s.SurveyId == surveyId && s.Stage > 0, ct);
        if (survey is null)
        {
            return (null, NotFound());
        }

        return await MaySeeAsync(db, user, survey, ct)
            ? (survey, null)
            : (null, TypedResults.Problem(title: "Forbidden.", detail: "The results of this survey are not shared with you.", statusCode: StatusCodes.Status403Forbidden));
    }

    public static ProblemHttpResult NotFound() =>
        TypedResults.Problem(title: "Not found.", detail: "No survey with this id has results here.", statusCode: StatusCodes.Status404NotFound);
}
