namespace Panel.Gateway.Accounts;

/// <summary>
/// One change to a staff account made by an IT administrator (created, changed, disabled, enabled, a set-password
/// link issued), kept for good in the gateway's own audit log: who, when, which account, what. The token of a
/// link and any password are never in it.
/// </summary>
public sealed class StaffAccountEvent
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>The administrator's account id.</summary>
    public required string ActorId { get; set; }
    /// <summary>created, changed, disabled, enabled, password-link.</summary>
    public required string Action { get; set; }
    public required string AccountId { get; set; }
    /// <summary>What the account is now: "roles: …; areas: …" (no personal data beyond the staff email already in the account).</summary>
    public string? Details { get; set; }
}
