using Panel.Contracts;
using Panel.Membership.Data;
using Panel.Membership.Invitations;
using Panel.Messaging;

namespace Panel.Membership.Events;

/// <summary>
/// A survey opened: for a panel survey, draw the sample and invite (<see cref="InvitationIssuer"/>). Open-link
/// surveys invite nobody. A redelivered event is skipped by the inbox, and a survey already known issues nothing.
/// </summary>
public sealed partial class SurveyOpenedConsumer(
    MembershipDbContext db, InvitationIssuer issuer, TimeProvider time, ILogger<SurveyOpenedConsumer> logger)
    : InboxConsumer<SurveyOpened, MembershipDbContext>(db, time, logger)
{
    private readonly ILogger _log = logger;

    protected override async Task HandleAsync(SurveyOpened message, CancellationToken ct)
    {
        if (message.TargetGroup is not { Mode: "panel" })
        {
            LogNotPanel(_log, message.SurveyId);
            return;
        }

        await issuer.IssueAsync(Db, message, ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey {SurveyId} opened without a panel target group; nobody is invited")]
    private static partial void LogNotPanel(ILogger logger, Guid surveyId);
}
