using Panel.Contracts;
using Panel.Messaging;
using Panel.Reporting.Data;
using Panel.Reporting.PanelHealth;

namespace Panel.Reporting.Events;

/// <summary>Counts the new member as Pending in their group, and the join on its day and campaign. The member's id is not kept.</summary>
public sealed class MemberJoinedConsumer(ReportingDbContext db, TimeProvider time, ILogger<MemberJoinedConsumer> logger)
    : InboxConsumer<MemberJoined, ReportingDbContext>(db, time, logger)
{
    protected override async Task HandleAsync(MemberJoined message, CancellationToken ct)
    {
        await PanelCounts.MoveAsync(Db, null, MemberGroup.Of(MemberState.Pending, message.Profile), ct);
        await PanelCounts.CountFlowAsync(Db, MemberFlow.Joined, message.JoinedAt, message.CampaignCode, ct);
    }
}
