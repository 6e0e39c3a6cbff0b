namespace Panel.ServiceDefaults;

/// <summary>Staff roles of DESIGN.md section 3, and the authorization policies built from them.</summary>
public static class PanelRoles
{
    public const string Coordinator = "Coordinator";
    public const string DomainContact = "DomainContact";
    public const string SurveyAuthor = "SurveyAuthor";
    public const string Communications = "Communications";
    public const string ReportReader = "ReportReader";
    public const string ItAdmin = "ItAdmin";

    public static readonly IReadOnlyList<string> All =
        [Coordinator, DomainContact, SurveyAuthor, Communications, ReportReader, ItAdmin];
}

public static class PanelPolicies
{
    /// <summary>Any request that came through the gateway (public pages included).</summary>
    public const string Gateway = "gateway";
    /// <summary>A signed-in staff member, whatever the role.</summary>
    public const string Staff = "staff";
    public const string Coordinator = "role:" + PanelRoles.Coordinator;
    public const string PanelHealth = "panel-health";
    public const string ItAdmin = "role:" + PanelRoles.ItAdmin;
    /// <summary>A resident signed in with an email link; the token's subject is their PanelistId.</summary>
    public const string Resident = "resident";
}

/// <summary>Claim types of the gateway's token.</summary>
public static class PanelClaims
{
    public const string Role = "role";
    public const string Subject = "sub";
    public const string ActorKind = "act_kind";
    public const string ServiceArea = "area";

    public const string ActorStaff = "staff";
    public const string ActorPublic = "public";
    public const string ActorClient = "client";
    public const string ActorResident = "resident";

    /// <summary>The claim of the gateway's resident session cookie that holds the PanelistId.</summary>
    public const string PanelistId = "panelist_id";
}
