using Panel.Contracts;
using Panel.Messaging;
using Panel.Reporting.Data;
using Panel.Reporting.PanelHealth;

namespace Panel.Reporting.Events;

/// <summary>Moves the member from their previous state to Withdrawn, and counts the withdrawal on its day. The member's id is not kept.</summary>
public sealed class MemberWithdrawnConsumer(ReportingDbContext db, TimeProvider time, ILogger<MemberWithdrawnConsumer> logger)
    : InboxConsumer<MemberWithdrawn, ReportingDbContext>(db, time, logger)
{
    protected override async Task HandleAsync(MemberWithdrawn message, CancellationToken ct)
    {
        await PanelCounts.MoveAsync(Db, MemberGroup.Of(message.PreviousState, message.Profile), MemberGroup.Of(MemberState.Withdrawn, message.Profile), ct);
        await PanelCounts.CountFlowAsync(Db, MemberFlow.Withdrawn, message.WithdrawnAt, null, ct);
    }
}
