using Panel.Contracts;
using Panel.Messaging;
using Panel.Reporting.Data;
using Panel.Reporting.PanelHealth;

namespace Panel.Reporting.Events;

/// <summary>Counts a sign-in on its day. No member id is kept.</summary>
public sealed class MemberSignedInConsumer(ReportingDbContext db, TimeProvider time, ILogger<MemberSignedInConsumer> logger)
    : InboxConsumer<MemberSignedIn, ReportingDbContext>(db, time, logger)
{
    protected override Task HandleAsync(MemberSignedIn message, CancellationToken ct) =>
        PanelCounts.CountSignInAsync(Db, message.SignedInAt, ct);
}
