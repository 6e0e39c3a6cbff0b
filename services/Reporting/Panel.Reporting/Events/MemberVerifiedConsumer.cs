using Panel.Contracts;
using Panel.Messaging;
using Panel.Reporting.Data;
using Panel.Reporting.PanelHealth;

namespace Panel.Reporting.Events;

/// <summary>Moves the member from Pending to Active, and counts the verification on its day and campaign. The member's id is not kept.</summary>
public sealed class MemberVerifiedConsumer(ReportingDbContext db, TimeProvider time, ILogger<MemberVerifiedConsumer> logger)
    : InboxConsumer<MemberVerified, ReportingDbContext>(db, time, logger)
{
    protected override async Task HandleAsync(MemberVerified message, CancellationToken ct)
    {
        await PanelCounts.MoveAsync(Db, MemberGroup.Of(MemberState.Pending, message.Profile), MemberGroup.Of(MemberState.Active, message.Profile), ct);
        await PanelCounts.CountFlowAsync(Db, MemberFlow.Verified, message.VerifiedAt, message.CampaignCode, ct);
    }
}
