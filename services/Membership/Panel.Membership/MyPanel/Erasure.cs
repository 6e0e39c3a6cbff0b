using Microsoft.EntityFrameworkCore;
using Panel.Contracts;
using Panel.Membership.Data;
using Panel.Membership.Members;
using Panel.Messaging;

namespace Panel.Membership.MyPanel;

/// <summary>
/// After an erasure only the MemberErased event may still name the member in this database (other
/// services need it to erase too). Earlier events that name them are deleted once relayed; ones not
/// yet relayed must still go out first, in order, and are deleted by the maintenance loop after.
/// </summary>
public static class Erasure
{
    private static readonly string Erased = typeof(MemberErased).FullName!;

    /// <summary>
    /// Erases a locked member inside the caller's transaction: the member row (links and emails
    /// cascade), relayed events naming them, and the link from audit entries to them (the entries
    /// that staff accessed data stay). Raises MemberErased for the other services.
    /// </summary>
    public static async Task EraseAsync(MembershipDbContext db, Member member, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // Invitations stay as the survey's counts, linked to nobody, and their links die with the member.
        await db.Database.ExecuteSqlAsync(
            $"UPDATE invitations SET member_id = NULL, protected_token = NULL WHERE member_id = {member.Id}", ct);
        db.Members.Remove(member);
        // The group Reporting counts the member in, even if they have aged out of it since: that is where they leave from.
        db.AddEvent(new MemberErased(member.Id, ReportedProfile.Of(member), member.State, now), time);
        await db.SaveChangesAsync(ct);
        await ForgetRelayedEventsAsync(db, member.Id, ct);
        await UnlinkAuditEntriesAsync(db, member.Id, ct);
    }

    public static Task<int> UnlinkAuditEntriesAsync(MembershipDbContext db, Guid panelistId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"UPDATE audit_log SET member_id = NULL WHERE member_id = {panelistId}", ct);

    public static Task<int> ForgetRelayedEventsAsync(MembershipDbContext db, Guid panelistId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            DELETE FROM outbox_messages
            WHERE sent_at IS NOT NULL AND message_type <> {Erased} AND body->>'panelistId' = {panelistId.ToString()}
            """, ct);

    public static Task<int> ForgetRelayedEventsOfErasedMembersAsync(MembershipDbContext db, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            DELETE FROM outbox_messages o
            USING outbox_messages e
            WHERE e.message_type = {Erased}
              AND o.message_type <> {Erased}
              AND o.sent_at IS NOT NULL
              AND o.body->>'panelistId' = e.body->>'panelistId'
            """, ct);
}
