using System.Security.Claims;
using Panel.ServiceDefaults;
using Panel.Surveys.Definitions;

namespace Panel.Surveys.Access;

/// <summary>Role policies of the Surveys API; object-level rules are in <see cref="StaffUser"/>.</summary>
public static class SurveyPolicies
{
    /// <summary>Sees surveys (which ones: <see cref="StaffUser.CanSee"/>). Report readers get nothing here.</summary>
    public const string Read = "surveys-read";
    /// <summary>Creates and edits drafts, submits them, uses templates.</summary>
    public const string Author = "surveys-author";
    /// <summary>Reviews with comments and returns to draft.</summary>
    public const string Review = "surveys-review";
    /// <summary>Publishes results of closed surveys.</summary>
    public const string Publish = "surveys-publish";
    /// <summary>Enters assisted and paper answers (which surveys: <see cref="StaffUser.CanReview"/>).</summary>
    public const string Assist = "surveys-assist";

    public static readonly string[] ReadRoles =
        [PanelRoles.SurveyAuthor, PanelRoles.DomainContact, PanelRoles.Coordinator, PanelRoles.Communications, PanelRoles.ItAdmin];
    public static readonly string[] AuthorRoles = [PanelRoles.SurveyAuthor, PanelRoles.DomainContact, PanelRoles.Coordinator];
    public static readonly string[] ReviewRoles = [PanelRoles.DomainContact, PanelRoles.Coordinator];
    public static readonly string[] PublishRoles = [PanelRoles.Communications, PanelRoles.Coordinator];
    public static readonly string[] AssistRoles = [PanelRoles.DomainContact, PanelRoles.Coordinator];
}

/// <summary>
/// The staff member of the gateway's token: id (subject), roles, and the service areas (<c>area</c>
/// claims) a DomainContact is scoped to. Roles add up: a user with several sees what each role sees.
/// </summary>
public sealed class StaffUser
{
    private StaffUser(string id, IReadOnlySet<string> roles, IReadOnlySet<string> areas)
    {
        Id = id;
        Roles = roles;
        Areas = areas;
    }

    public string Id { get; }
    public IReadOnlySet<string> Roles { get; }
    public IReadOnlySet<string> Areas { get; }

    public bool IsCoordinator => Roles.Contains(PanelRoles.Coordinator);

    public static StaffUser From(ClaimsPrincipal user) => new(
        user.FindFirstValue(PanelClaims.Subject) ?? "",
        user.FindAll(PanelClaims.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
        user.FindAll(PanelClaims.ServiceArea).Select(c => c.Value).ToHashSet(StringComparer.Ordinal));

    public bool Has(string role) => Roles.Contains(role);

    public bool IsOwner(Survey survey) => Has(PanelRoles.SurveyAuthor) && survey.CreatedBy == Id;

    public bool IsContactFor(string serviceArea) => Has(PanelRoles.DomainContact) && Areas.Contains(serviceArea);

    /// <summary>
    /// SurveyAuthor: their own; DomainContact: their areas'; Coordinator and ItAdmin: all;
    /// Communications: those approved or later (they announce and publish); ReportReader: none.
    /// </summary>
    public bool CanSee(Survey survey) =>
        Has(PanelRoles.Coordinator) || Has(PanelRoles.ItAdmin) || IsOwner(survey) || IsContactFor(survey.ServiceArea)
        || (Has(PanelRoles.Communications) && survey.State >= SurveyState.Approved);

    /// <summary>Edits a draft and submits it: its author, a contact of its area, a coordinator.</summary>
    public bool CanEditDraft(Survey survey) => IsCoordinator || IsOwner(survey) || IsContactFor(survey.ServiceArea);

    /// <summary>Reviews: a contact of its area or a coordinator.</summary>
    public bool CanReview(Survey survey) => IsCoordinator || IsContactFor(survey.ServiceArea);

    /// <summary>May a survey be given this service area by this user (a DomainContact only their own areas).</summary>
    public bool MayUseArea(string serviceArea) =>
        IsCoordinator || Has(PanelRoles.SurveyAuthor) || IsContactFor(serviceArea);

    /// <summary>The role a review is recorded under.</summary>
    public string ReviewRole(Survey survey) => IsCoordinator ? PanelRoles.Coordinator : PanelRoles.DomainContact;
}
