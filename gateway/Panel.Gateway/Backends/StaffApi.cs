namespace Panel.Gateway.Backends;

/// <summary>Paths and shapes of the Membership API the staff pages call (see the services' OpenAPI documents).</summary>
public static class StaffApi
{
    public const string Campaigns = "/api/membership/campaigns";
    public const string Consent = "/api/membership/consent";
    public const string Consents = "/api/membership/consents";
    public const string SupportLookup = "/api/membership/support/lookup";
    public const string Audit = "/api/membership/audit";
    public const string PopulationReference = "/api/membership/population-reference";

    public static string SupportResend(Guid panelistId) => $"/api/membership/support/{panelistId}/resend-verification";

    public static string SupportErase(Guid panelistId) => $"/api/membership/support/{panelistId}/erase";

    /// <summary>The campaign channels Membership accepts, in the order the form offers them.</summary>
    public static readonly IReadOnlyList<string> CampaignChannels = ["poster", "cinema", "mall-screen", "social-media", "event", "other"];
}

public sealed record CampaignInfo(string Code, string Name, string Channel, DateOnly StartsOn, DateOnly? EndsOn, DateTimeOffset CreatedAt);

public sealed record ConsentTexts(string? Fi, string? Sv, string? En)
{
    public string? In(string language) => language switch { "fi" => Fi, "sv" => Sv, "en" => En, _ => null };
}

public sealed record CurrentConsent(string Version, ConsentTexts Texts);

public sealed record ConsentVersionInfo(string Version, ConsentTexts Texts, DateTimeOffset PublishedAt, string? PublishedBy);

public sealed record SupportMember(Guid PanelistId, string? State, DateTimeOffset JoinedAt, DateTimeOffset? VerifiedAt, DateOnly? PausedUntil)
{
    /// <summary>pending, active, paused or withdrawn.</summary>
    public string StateName => State?.ToLowerInvariant() ?? "unknown";
}

public sealed record AuditEntry(DateTimeOffset At, string StaffSubject, List<string> StaffRoles, string Action, string Outcome, string Reason, Guid? MemberId);

public sealed record AuditLog(List<AuditEntry> Entries, bool Truncated);

public sealed record PopulationReferencePublished(int Version, DateTimeOffset PublishedAt, int Groups, long Total);
