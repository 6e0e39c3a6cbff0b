using Panel.Contracts;
using Panel.Messaging;
using Panel.Reporting.Data;
using Panel.Reporting.PanelHealth;

namespace Panel.Reporting.Events;

/// <summary>
/// Removes the member from their previous state's count, and counts the erasure on its day. The member's id is not
/// kept. Reads the superseded MemberErased for messages still in flight; Membership now sends PanelMemberErased.
/// </summary>
public sealed class MemberErasedConsumer(ReportingDbContext db, TimeProvider time, ILogger<MemberErasedConsumer> logger)
    : InboxConsumer<MemberErased, ReportingDbContext>(db, time, logger)
{
    protected override async Task HandleAsync(MemberErased message, CancellationToken ct)
    {
        await PanelCounts.MoveAsync(Db, MemberGroup.Of(message.PreviousState, message.Profile), null, ct);
        await PanelCounts.CountFlowAsync(Db, MemberFlow.Erased, message.ErasedAt, null, ct);
    }
}

/// <summary>A member of a group was erased: the same counts as <see cref="MemberErasedConsumer"/>, from an event that names nobody.</summary>
public sealed class PanelMemberErasedConsumer(ReportingDbContext db, TimeProvider time, ILogger<PanelMemberErasedConsumer> logger)
    : InboxConsumer<PanelMemberErased, ReportingDbContext>(db, time, logger)
{
    protected override async Task HandleAsync(PanelMemberErased message, CancellationToken ct)
    {
        await PanelCounts.MoveAsync(Db, MemberGroup.Of(message.PreviousState, message.Profile), null, ct);
        await PanelCounts.CountFlowAsync(Db, MemberFlow.Erased, new DateTimeOffset(message.ErasedOn, TimeOnly.MinValue, TimeSpan.Zero), null, ct);
    }
}
