using Panel.Contracts;
using Panel.Messaging;
using Panel.Reporting.Data;
using Panel.Reporting.PanelHealth;

namespace Panel.Reporting.Events;

/// <summary>Moves the member from Paused to Active. The member's id is not kept.</summary>
public sealed class MemberResumedConsumer(ReportingDbContext db, TimeProvider time, ILogger<MemberResumedConsumer> logger)
    : InboxConsumer<MemberResumed, ReportingDbContext>(db, time, logger)
{
    protected override Task HandleAsync(MemberResumed message, CancellationToken ct) =>
        PanelCounts.MoveAsync(Db, MemberGroup.Of(MemberState.Paused, message.Profile), MemberGroup.Of(MemberState.Active, message.Profile), ct);
}
