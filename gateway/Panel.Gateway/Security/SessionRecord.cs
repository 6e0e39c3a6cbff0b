using Panel.Gateway.Accounts;

namespace Panel.Gateway.Security;

public enum SessionKind
{
    Staff,
    Resident,
}

/// <summary>
/// One open session. The cookie carries a random session id; the record is keyed by the id's SHA-256, so the
/// database alone (which also holds the cookie keys) is not enough to forge a cookie of a live session. It
/// holds no personal data: a resident's record does not even name the panelist.
/// </summary>
public sealed class SessionRecord
{
    /// <summary>SHA-256 of the session id, lowercase hex.</summary>
    public required string Id { get; init; }

    public SessionKind Kind { get; init; }

    /// <summary>The staff account (staff sessions only); the record goes with the account.</summary>
    public string? StaffUserId { get; init; }

    public StaffUser? StaffUser { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>The last request, updated at most once a <see cref="SessionStore.TouchInterval"/>.</summary>
    public DateTimeOffset LastSeenAt { get; set; }
}
