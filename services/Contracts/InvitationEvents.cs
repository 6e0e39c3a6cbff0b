namespace Panel.Contracts;

// Invitations cross between Membership (who is invited, by which email) and Surveys (which tokens may
// answer). Only the SHA-256 hash of an invitation's token travels: lowercase hex of
// SHA-256(UTF-8 bytes of the token), 64 characters. Surveys never learns who holds a token.

/// <summary>
/// One invitation Membership issued: the hash of its one-time token, the invited member's coarse profile
/// (carried into the anonymous answer for statistics) and the language the invitation was sent in.
/// </summary>
public sealed record IssuedInvitation(string TokenHash, ProfileSnapshot Profile, string Language);

/// <summary>
/// Membership drew the sample of an opened survey and issued these invitations (Membership → Surveys).
/// Published in chunks (about 1,000 invitations each); a chunk delivered twice changes nothing.
/// </summary>
public sealed record SurveyInvitationsIssued(Guid SurveyId, IReadOnlyList<IssuedInvitation> Invitations);

/// <summary>An invitation's link was opened for the first time (Surveys → Membership, for progress).</summary>
public sealed record InvitationOpened(Guid SurveyId, string TokenHash);

/// <summary>
/// An invitation was answered (Surveys → Membership: no more reminders; progress). Says nothing of the
/// answer, which reaches Reporting later and unlinked as <see cref="ResponseSubmitted"/>.
/// </summary>
public sealed record InvitationAnswered(Guid SurveyId, string TokenHash);

/// <summary>
/// Invitations' links were opened for the first time, or answered (Surveys → Membership: no more reminders; progress;
/// → Reporting: the response funnel). Surveys gathers these for about a second and sends one message per survey
/// (at most <see cref="MaxHashes"/> hashes), so a busy survey costs one message per second rather than one or two per
/// answer; it also means no message tells when one invitation was answered. An answer to a link not opened before is
/// in both lists. Says nothing of the answers. Replaces <see cref="InvitationOpened"/> and
/// <see cref="InvitationAnswered"/>, which are still consumed (messages sent before an upgrade).
/// </summary>
public sealed record InvitationsProgressed(Guid SurveyId, IReadOnlyList<string> Opened, IReadOnlyList<string> Answered)
{
    /// <summary>Most token hashes (opened and answered together) in one message.</summary>
    public const int MaxHashes = 1000;
}

/// <summary>
/// Surveys stored these invitations of a chunk and will accept their links from now on (Surveys → Membership:
/// only then is an invitation emailed, so no link reaches a resident before it can be answered). Names the token
/// hashes themselves rather than a chunk: Membership needs no record of its chunks, an invitation Surveys skipped as
/// malformed is never acknowledged (so never emailed), and the acknowledgement holds nothing Membership did not send.
/// Written in the transaction that stores a chunk, naming every hash of the chunk Surveys holds for the survey (stored
/// now or before), so a chunk published again is acknowledged again (the same message redelivered is skipped by
/// Surveys' inbox, but its acknowledgement was committed with the first delivery). Applying one twice changes nothing.
/// </summary>
public sealed record SurveyInvitationsStored(Guid SurveyId, IReadOnlyList<string> TokenHashes);
