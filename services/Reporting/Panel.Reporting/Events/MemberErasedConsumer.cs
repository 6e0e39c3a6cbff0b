using Panel.Contracts;
using Panel.Messaging;
using Panel.Reporting.Data;
using Panel.Reporting.PanelHealth;

namespace Panel.Reporting.Events;

/// <summary>Removes the member from their previous state's count, and counts the erasure on its day. The member's id is not kept.</summary>
public sealed class MemberErasedConsumer(ReportingDbContext db, TimeProvider time, ILogger<MemberErasedConsumer> logger)
    : InboxConsumer<MemberErased, ReportingDbContext>(db, time, logger)
{
    protected override async Task HandleAsync(MemberErased message, CancellationToken ct)
    {
        await PanelCounts.MoveAsync(Db, MemberGroup.Of(message.PreviousState, message.Profile), null, ct);
        await PanelCounts.CountFlowAsync(Db, MemberFlow.Erased, message.ErasedAt, null, ct);
    }
}
