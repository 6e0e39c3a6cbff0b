using System.Security.Claims;
using Panel.Gateway.Security;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Components.Pages.Staff.Assisted;

/// <summary>
/// Who enters assisted and paper answers: Surveys' assist roles (a coordinator, a domain contact of the survey's
/// service area). The gateway checks the role; Surveys decides again, with the survey's area, on every answer.
/// </summary>
public static class AssistedAccess
{
    /// <summary>For <c>[Authorize(Roles = …)]</c>, on top of the staff survey policy (the staff cookie).</summary>
    public const string Roles = PanelRoles.Coordinator + "," + PanelRoles.DomainContact;

    public static readonly IReadOnlyList<string> Channels = ["assisted", "paper"];

    public static bool CanAssist(ClaimsPrincipal user) =>
        Sessions.IsStaff(user) && (user.IsInRole(PanelRoles.Coordinator) || user.IsInRole(PanelRoles.DomainContact));

    public static string Path(Guid surveyId) => $"/staff/surveys/{surveyId}/assisted";
}
