using Panel.Contracts;
using Panel.Messaging;
using Panel.Reporting.Data;
using Microsoft.EntityFrameworkCore;

namespace Panel.Reporting.Events;

/// <summary>Counts the new member in their municipality and age band. The member's id is not kept.</summary>
public sealed class MemberJoinedConsumer(ReportingDbContext db, TimeProvider time, ILogger<MemberJoinedConsumer> logger)
    : InboxConsumer<MemberJoined, ReportingDbContext>(db, time, logger)
{
    protected override Task HandleAsync(MemberJoined message, CancellationToken ct) =>
        // An atomic upsert: concurrent consumers of different members in one group cannot lose a count.
        Db.Database.ExecuteSqlAsync($"""
            INSERT INTO panel_group_counts (municipality, age_band, members) VALUES ({message.Profile.Municipality}, {message.Profile.AgeBand}, 1)
            ON CONFLICT (municipality, age_band) DO UPDATE SET members = panel_group_counts.members + 1
            """, ct);
}
