using Microsoft.EntityFrameworkCore;
using Panel.Contracts;
using Panel.Membership.Data;
using Panel.Membership.Members;
using Panel.Messaging;

namespace Panel.Membership.MyPanel;

/// <summary>
/// After an erasure only the MemberDataErased event may still name the member in this database, until it is relayed
/// (other services need it to erase too). Earlier events that name the member or list their invitations' token hashes
/// are deleted once relayed; ones not yet relayed must still go out first, in order, and are deleted by the maintenance
/// loop after, and then the relayed MemberDataErased itself.
/// </summary>
public static class Erasure
{
    private static readonly string Erased = typeof(MemberDataErased).FullName!;

    /// <summary>
    /// Erases a locked member inside the caller's transaction: the member row (links and emails cascade), their
    /// invitations (a token hash leads to the invitation Surveys holds with the member's profile), relayed events naming
    /// them or their invitations, and the link from audit entries to them (the entries that staff accessed data stay).
    /// Raises MemberDataErased (the id and the token hashes, for the services to erase) and PanelMemberErased (the group,
    /// for the panel's counts, with no id): never the profile beside the id.
    /// </summary>
    public static async Task EraseAsync(MembershipDbContext db, Member member, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await db.Database.ExecuteSqlAsync($"DELETE FROM email_outbox WHERE member_id = {member.Id}", ct);
        var hashes = await db.Database
            .SqlQuery<string>($"DELETE FROM invitations WHERE member_id = {member.Id} RETURNING token_hash AS \"Value\"")
            .ToListAsync(ct);
        db.Members.Remove(member);
        db.AddEvent(new MemberDataErased(member.Id, hashes), time);
        // The group Reporting counts the member in, even if they have aged out of it since: that is where they leave from.
        db.AddEvent(new PanelMemberErased(ReportedProfile.Of(member), member.State, DateOnly.FromDateTime(now.UtcDateTime)), time);
        await db.SaveChangesAsync(ct);
        await ForgetRelayedEventsAsync(db, member.Id, ct);
        await ForgetRelayedInvitationEventsAsync(db, hashes, ct);
        await UnlinkAuditEntriesAsync(db, member.Id, ct);
    }

    public static Task<int> UnlinkAuditEntriesAsync(MembershipDbContext db, Guid panelistId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"UPDATE audit_log SET member_id = NULL WHERE member_id = {panelistId}", ct);

    public static Task<int> ForgetRelayedEventsAsync(MembershipDbContext db, Guid panelistId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            DELETE FROM outbox_messages
            WHERE sent_at IS NOT NULL AND message_type <> {Erased} AND body->>'panelistId' = {panelistId.ToString()}
            """, ct);

    /// <summary>Relayed events that list any of the token hashes (the issued chunks, with each invitation's profile).</summary>
    public static async Task<int> ForgetRelayedInvitationEventsAsync(MembershipDbContext db, IReadOnlyList<string> hashes, CancellationToken ct)
    {
        if (hashes.Count == 0)
        {
            return 0;
        }

        // A token hash is 64 hex digits: found as a JSON string anywhere in a body, it is this invitation.
        var patterns = hashes.Select(h => $"%\"{h}\"%").ToArray();
        return await db.Database.ExecuteSqlAsync($"""
            DELETE FROM outbox_messages
            WHERE sent_at IS NOT NULL AND message_type <> {Erased} AND body::text LIKE ANY({patterns})
            """, ct);
    }

    /// <summary>
    /// Relayed events naming an erased member or listing their invitations, then the relayed MemberDataErased events
    /// themselves once nothing about the member waits to be relayed before them.
    /// </summary>
    public static async Task<int> ForgetRelayedEventsOfErasedMembersAsync(MembershipDbContext db, CancellationToken ct)
    {
        var forgotten = await db.Database.ExecuteSqlAsync($"""
            DELETE FROM outbox_messages o
            USING outbox_messages e
            WHERE e.message_type = {Erased}
              AND o.message_type <> {Erased}
              AND o.sent_at IS NOT NULL
              AND (o.body->>'panelistId' = e.body->>'panelistId'
                   OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(e.body->'invitationTokenHashes') h
                              WHERE o.body::text LIKE '%"' || h || '"%'))
            """, ct);
        return forgotten + await db.Database.ExecuteSqlAsync($"""
            DELETE FROM outbox_messages e
            WHERE e.message_type = {Erased} AND e.sent_at IS NOT NULL
              AND NOT EXISTS (
                SELECT 1 FROM outbox_messages o
                WHERE o.sent_at IS NULL AND o.message_type <> {Erased}
                  AND (o.body->>'panelistId' = e.body->>'panelistId'
                       OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(e.body->'invitationTokenHashes') h
                                  WHERE o.body::text LIKE '%"' || h || '"%')))
            """, ct);
    }
}
