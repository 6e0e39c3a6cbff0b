using Panel.Contracts;
using Panel.Messaging;
using Panel.Reporting.Data;
using Panel.Reporting.PanelHealth;

namespace Panel.Reporting.Events;

/// <summary>Moves the member from their previous group to their current one, in the same state. The member's id is not kept.</summary>
public sealed class MemberProfileChangedConsumer(ReportingDbContext db, TimeProvider time, ILogger<MemberProfileChangedConsumer> logger)
    : InboxConsumer<MemberProfileChanged, ReportingDbContext>(db, time, logger)
{
    protected override Task HandleAsync(MemberProfileChanged message, CancellationToken ct) =>
        PanelCounts.MoveAsync(Db, MemberGroup.Of(message.State, message.Previous), MemberGroup.Of(message.State, message.Current), ct);
}
