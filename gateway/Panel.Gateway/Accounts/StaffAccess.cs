using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Accounts;

/// <summary>
/// Which staff pages a role opens. The services decide again on every call (defence in depth); these
/// policies send a staff member without the role to the denied page instead of a page that cannot work,
/// and decide which links and forms a page offers.
/// </summary>
public static class StaffAccess
{
    /// <summary>Coordinators and IT administrators: panel health, campaigns, consent texts, member support, representativeness.</summary>
    public const string PanelPolicy = "staff-panel";

    /// <summary>IT administrators: the audit log.</summary>
    public const string ItAdminPolicy = "staff-itadmin";

    /// <summary>Survey staff: authors, domain contacts, coordinators, communications and IT administrators (the Surveys API decides which surveys).</summary>
    public const string SurveysPolicy = "staff-surveys";

    /// <summary>The roles that see survey pages; the same as the Surveys API's readers.</summary>
    public static readonly string[] SurveyRoles =
        [PanelRoles.SurveyAuthor, PanelRoles.DomainContact, PanelRoles.Coordinator, PanelRoles.Communications, PanelRoles.ItAdmin];

    /// <summary>The roles that create and edit drafts and use templates.</summary>
    public static readonly string[] SurveyAuthorRoles = [PanelRoles.SurveyAuthor, PanelRoles.DomainContact, PanelRoles.Coordinator];

    public static void AddPolicies(AuthorizationOptions options)
    {
        options.AddPolicy(SurveysPolicy, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
            .RequireAuthenticatedUser().RequireRole(SurveyRoles));
        // The staff cookie only, as [Authorize] without a policy: a resident's session is no staff session.
        options.AddPolicy(PanelPolicy, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
            .RequireAuthenticatedUser().RequireRole(PanelRoles.Coordinator, PanelRoles.ItAdmin));
        options.AddPolicy(ItAdminPolicy, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
            .RequireAuthenticatedUser().RequireRole(PanelRoles.ItAdmin));
    }

    public static bool IsCoordinator(ClaimsPrincipal user) => Sessions(user) && user.IsInRole(PanelRoles.Coordinator);

    public static bool IsItAdmin(ClaimsPrincipal user) => Sessions(user) && user.IsInRole(PanelRoles.ItAdmin);

    /// <summary>Panel health, campaigns, consent texts, member support and representativeness.</summary>
    public static bool CanManagePanel(ClaimsPrincipal user) => IsCoordinator(user) || IsItAdmin(user);

    public static bool CanUseSurveys(ClaimsPrincipal user) => Sessions(user) && SurveyRoles.Any(user.IsInRole);

    public static bool CanAuthorSurveys(ClaimsPrincipal user) => Sessions(user) && SurveyAuthorRoles.Any(user.IsInRole);

    private static bool Sessions(ClaimsPrincipal user) => Security.Sessions.IsStaff(user);
}
