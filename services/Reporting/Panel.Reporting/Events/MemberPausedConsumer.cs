using Panel.Contracts;
using Panel.Messaging;
using Panel.Reporting.Data;
using Panel.Reporting.PanelHealth;

namespace Panel.Reporting.Events;

/// <summary>Moves the member from Active to Paused. The member's id is not kept.</summary>
public sealed class MemberPausedConsumer(ReportingDbContext db, TimeProvider time, ILogger<MemberPausedConsumer> logger)
    : InboxConsumer<MemberPaused, ReportingDbContext>(db, time, logger)
{
    protected override Task HandleAsync(MemberPaused message, CancellationToken ct) =>
        PanelCounts.MoveAsync(Db, MemberGroup.Of(MemberState.Active, message.Profile), MemberGroup.Of(MemberState.Paused, message.Profile), ct);
}
