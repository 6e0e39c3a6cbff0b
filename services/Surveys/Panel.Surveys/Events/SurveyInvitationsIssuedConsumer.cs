using Microsoft.EntityFrameworkCore;
using Panel.Contracts;
using Panel.Messaging;
using Panel.Surveys.Data;
using Panel.Surveys.Definitions;
using Panel.Surveys.Invitations;

namespace Panel.Surveys.Events;

/// <summary>
/// Stores a chunk of the invitations Membership issued for a survey: token hash, coarse profile, language, and
/// acknowledges it (<see cref="SurveyInvitationsStored"/>, in the same transaction): Membership emails an invitation
/// only once its link works here. A chunk delivered twice is skipped by the inbox, and a hash already held is kept as
/// it is (it may have been opened or answered since), so redelivery never resets an invitation; a chunk published
/// again is acknowledged again in full, so an acknowledgement lost on the way is recovered by republishing the chunk.
/// </summary>
public sealed partial class SurveyInvitationsIssuedConsumer(
    SurveysDbContext db, TimeProvider time, ILogger<SurveyInvitationsIssuedConsumer> logger)
    : InboxConsumer<SurveyInvitationsIssued, SurveysDbContext>(db, time, logger)
{
    /// <summary>Rows per INSERT: a chunk of 1,000 is one statement; a bigger one is split.</summary>
    private const int StatementSize = 1000;

    private readonly ILogger _log = logger;

    protected override async Task HandleAsync(SurveyInvitationsIssued message, CancellationToken ct)
    {
        // FOR SHARE waits for a closing in progress: closing clears the profiles of the survey's invitations, so one
        // stored after it must come without its profile (nothing can be answered any more).
        var state = await Db.Database.SqlQuery<string>(
            $"SELECT state AS \"Value\" FROM surveys WHERE id = {message.SurveyId} FOR SHARE").SingleOrDefaultAsync(ct);
        if (state is null)
        {
            // Surveys told Membership of the survey, so it exists here: this is a fault for the error queue.
            throw new InvalidOperationException($"Invitations were issued for survey {message.SurveyId}, which Surveys does not have.");
        }

        var valid = message.Invitations
            .Where(i => i is not null && InvitationTokens.IsHash(i.TokenHash) && i.Profile is not null && SurveyLanguages.All.Contains(i.Language))
            .DistinctBy(i => i.TokenHash)
            .ToList();
        if (valid.Count < message.Invitations.Count)
        {
            LogSkipped(_log, message.Invitations.Count - valid.Count, message.SurveyId);
        }

        var closed = state is nameof(SurveyState.Closed) or nameof(SurveyState.ResultsPublished);
        var stored = 0;
        var acknowledged = new List<string>(valid.Count);
        foreach (var chunk in valid.Chunk(StatementSize))
        {
            var hashes = chunk.Select(i => i.TokenHash).ToArray();
            var profiles = chunk.Select(i => closed ? null : DefinitionJson.Serialize(i.Profile)).ToArray();
            var languages = chunk.Select(i => i.Language).ToArray();
            stored += await Db.Database.ExecuteSqlAsync($"""
                INSERT INTO invitations (token_hash, survey_id, profile, language, opened, answered)
                SELECT h, {message.SurveyId}, p::jsonb, l, false, false
                FROM unnest({hashes}, {profiles}, {languages}) AS t(h, p, l)
                ON CONFLICT (token_hash) DO NOTHING
                """, ct);
            // What this survey now holds of the chunk, stored now or by an earlier delivery; a hash held for another
            // survey (the conflict above kept it) is not acknowledged, so its email is never sent with a dead link.
            acknowledged.AddRange(await Db.Database
                .SqlQuery<string>($"SELECT token_hash AS \"Value\" FROM invitations WHERE survey_id = {message.SurveyId} AND token_hash = ANY({hashes})")
                .ToListAsync(ct));
        }

        if (acknowledged.Count > 0)
        {
            Db.AddEvent(new SurveyInvitationsStored(message.SurveyId, acknowledged), Time);
        }

        LogStored(_log, stored, acknowledged.Count, message.SurveyId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored {Count} invitations of survey {SurveyId}; acknowledged {Acknowledged}")]
    private static partial void LogStored(ILogger logger, int count, int acknowledged, Guid surveyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped {Count} malformed invitations of survey {SurveyId}")]
    private static partial void LogSkipped(ILogger logger, int count, Guid surveyId);
}
