using Microsoft.EntityFrameworkCore;
using Panel.Contracts;
using Panel.Membership.Data;

namespace Panel.Membership.MyPanel;

/// <summary>
/// After an erasure only the MemberErased event may still name the member in this database (other
/// services need it to erase too). Earlier events that name them are deleted once relayed; ones not
/// yet relayed must still go out first, in order, and are deleted by the maintenance loop after.
/// </summary>
public static class Erasure
{
    private static readonly string Erased = typeof(MemberErased).FullName!;

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
