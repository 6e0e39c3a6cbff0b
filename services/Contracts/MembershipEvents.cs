namespace Panel.Contracts;

/// <summary>Where a member stands in the panel. Erased members have no state: they are gone.</summary>
public enum MemberState
{
    /// <summary>Joined, email not yet verified; never invited.</summary>
    Pending,
    Active,
    /// <summary>Not invited until a date the member chose.</summary>
    Paused,
    /// <summary>Left the panel; never invited again. Data kept until the member erases it.</summary>
    Withdrawn,
}

// Every event carries the coarse profile only (DESIGN.md section 5, rule 3), never contact details.
// Events that move a member between states or groups carry the state and profile before the change,
// so read models can keep counts by group without storing who is who.

/// <summary>A resident joined the panel (state Pending until the email is verified).</summary>
public sealed record MemberJoined(Guid PanelistId, ProfileSnapshot Profile, DateTimeOffset JoinedAt, string? CampaignCode);

/// <summary>The member confirmed their email: Pending → Active.</summary>
public sealed record MemberVerified(Guid PanelistId, ProfileSnapshot Profile, DateTimeOffset VerifiedAt, string? CampaignCode);

/// <summary>The member changed their profile; <paramref name="State"/> is unchanged by it.</summary>
public sealed record MemberProfileChanged(Guid PanelistId, ProfileSnapshot Previous, ProfileSnapshot Current, MemberState State, DateTimeOffset ChangedAt);

/// <summary>Active → Paused until a date (inclusive).</summary>
public sealed record MemberPaused(Guid PanelistId, ProfileSnapshot Profile, DateOnly Until, DateTimeOffset PausedAt);

/// <summary>Paused → Active (by the member, or when the pause ended).</summary>
public sealed record MemberResumed(Guid PanelistId, ProfileSnapshot Profile, DateTimeOffset ResumedAt);

/// <summary>Any state → Withdrawn.</summary>
public sealed record MemberWithdrawn(Guid PanelistId, ProfileSnapshot Profile, MemberState PreviousState, DateTimeOffset WithdrawnAt);

/// <summary>
/// The member's data was erased at their request. Every service removes what links to
/// <paramref name="PanelistId"/> (DESIGN.md section 5, rule 7); anonymous answers stay.
/// Superseded: Membership publishes <see cref="MemberDataErased"/> and <see cref="PanelMemberErased"/> instead (this one
/// put the profile beside the id in a retained event); consumers still read it for messages in flight.
/// </summary>
public sealed record MemberErased(Guid PanelistId, ProfileSnapshot Profile, MemberState PreviousState, DateTimeOffset ErasedAt);

/// <summary>
/// The member's data was erased at their request: every service removes what links to them (DESIGN.md section 5,
/// rule 7), by <paramref name="PanelistId"/> where it knows the member by it, and Surveys the invitations it holds
/// under <paramref name="InvitationTokenHashes"/> (with their profiles). No profile and no time: nothing a consumer
/// does not need to find what to delete. Anonymous answers stay.
/// </summary>
public sealed record MemberDataErased(Guid PanelistId, IReadOnlyList<string> InvitationTokenHashes);

/// <summary>
/// A member of this group left the panel by erasure on <paramref name="ErasedOn"/> (UTC day): for the panel's counts
/// by group. Names nobody, so the profile never stands beside an id.
/// </summary>
public sealed record PanelMemberErased(ProfileSnapshot Profile, MemberState PreviousState, DateOnly ErasedOn);

/// <summary>Somebody signed in to "my panel" (activity statistics; who is not said).</summary>
public sealed record MemberSignedIn(DateTimeOffset SignedInAt);
