using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Panel.Contracts;
using Panel.Membership.Data;
using Panel.Messaging;

namespace Panel.Membership.Events;

/// <summary>
/// Surveys stored a chunk of invitations, so their links work now: the invitations are marked acknowledged and their
/// held invitation emails released to the sender, in one statement for the chunk, and the sender is woken when the
/// inbox transaction commits. Only the survey's own invitations not yet acknowledged change, so an acknowledgement
/// delivered twice, naming unknown hashes or another survey's, changes nothing.
/// </summary>
public sealed partial class SurveyInvitationsStoredConsumer(
    MembershipDbContext db, TimeProvider time, ILogger<SurveyInvitationsStoredConsumer> logger)
    : InboxConsumer<SurveyInvitationsStored, MembershipDbContext>(db, time, logger)
{
    private readonly ILogger _log = logger;

    protected override async Task HandleAsync(SurveyInvitationsStored message, CancellationToken ct)
    {
        var hashes = (message.TokenHashes ?? []).Where(h => h is not null).Distinct(StringComparer.Ordinal).ToArray();
        if (hashes.Length == 0)
        {
            return;
        }

        // Released emails of a survey closed meanwhile were deleted by its closing; answered or withdrawn members are
        // checked by the sender when it renders the email, as before.
        var released = await Db.Database.ExecuteSqlRawAsync("""
            WITH acknowledged AS (
                UPDATE invitations SET acknowledged_at = @now
                WHERE survey_id = @survey AND token_hash = ANY(@hashes) AND acknowledged_at IS NULL
                RETURNING id
            )
            UPDATE email_outbox e SET held = false
            FROM acknowledged a
            WHERE e.invitation_id = a.id AND e.held
            """,
            [
                new NpgsqlParameter("now", Time.GetUtcNow()),
                new NpgsqlParameter("survey", message.SurveyId),
                new NpgsqlParameter("hashes", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = hashes },
            ], ct);
        if (released > 0)
        {
            // The interceptor wakes the sender once the inbox transaction has committed.
            Db.EmailsQueued = true;
        }

        LogReleased(_log, released, hashes.Length, message.SurveyId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Surveys acknowledged {Count} invitations of survey {SurveyId}; {Released} emails released")]
    private static partial void LogReleased(ILogger logger, int released, int count, Guid surveyId);
}
