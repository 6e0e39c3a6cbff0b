using MassTransit;
using Microsoft.EntityFrameworkCore;
using Panel.Contracts;
using Panel.Membership.Data;
using Panel.Messaging;

namespace Panel.Membership.Events;

/// <summary>Invitations' links were opened (progress). Only a flag is kept, no time. Applied in batches (one per answer flood).</summary>
public sealed class InvitationOpenedConsumer(MembershipDbContext db, TimeProvider time, ILogger<InvitationOpenedConsumer> logger)
    : BatchInboxConsumer<InvitationOpened, MembershipDbContext>(db, time, logger)
{
    protected override async Task HandleAsync(IReadOnlyList<ConsumeContext<InvitationOpened>> messages, CancellationToken ct)
    {
        await MarkOpenedAsync(Db, messages.Select(m => ((string?)m.Message.TokenHash, m.Message.SurveyId)), ct);
    }

    internal static async Task MarkOpenedAsync(MembershipDbContext db, IEnumerable<(string? Hash, Guid Survey)> keys, CancellationToken ct)
    {
        var (hashes, surveys) = Keys(keys);
        if (hashes.Length == 0)
        {
            return;
        }

        await db.Database.ExecuteSqlAsync($"""
            UPDATE invitations i SET opened = true
            FROM unnest({hashes}, {surveys}) AS m(token_hash, survey_id)
            WHERE i.token_hash = m.token_hash AND i.survey_id = m.survey_id AND NOT i.opened
            """, ct);
    }

    /// <summary>The messages' token hashes and surveys as two arrays, sorted by hash (rows are locked in one order).</summary>
    internal static (string[] Hashes, Guid[] Surveys) Keys(IEnumerable<(string? Hash, Guid Survey)> keys)
    {
        var sorted = keys.Where(k => k.Hash is not null).Distinct().OrderBy(k => k.Hash, StringComparer.Ordinal).ToList();
        return (sorted.Select(k => k.Hash!).ToArray(), sorted.Select(k => k.Survey).ToArray());
    }
}

/// <summary>
/// Invitations were answered: no more reminders, and progress counts them. Only a flag is kept, no time, and never
/// anything of the answer (Membership never learns one). Applied in batches (one per answer flood).
/// </summary>
public sealed class InvitationAnsweredConsumer(MembershipDbContext db, TimeProvider time, ILogger<InvitationAnsweredConsumer> logger)
    : BatchInboxConsumer<InvitationAnswered, MembershipDbContext>(db, time, logger)
{
    protected override async Task HandleAsync(IReadOnlyList<ConsumeContext<InvitationAnswered>> messages, CancellationToken ct)
    {
        await MarkAnsweredAsync(Db, messages.Select(m => ((string?)m.Message.TokenHash, m.Message.SurveyId)), ct);
    }

    /// <summary>Marks the invitations answered (and opened) and drops reminders queued for them.</summary>
    internal static async Task MarkAnsweredAsync(MembershipDbContext db, IEnumerable<(string? Hash, Guid Survey)> keys, CancellationToken ct)
    {
        var (hashes, surveys) = InvitationOpenedConsumer.Keys(keys);
        if (hashes.Length == 0)
        {
            return;
        }

        await db.Database.ExecuteSqlAsync($"""
            UPDATE invitations i SET answered = true, opened = true
            FROM unnest({hashes}, {surveys}) AS m(token_hash, survey_id)
            WHERE i.token_hash = m.token_hash AND i.survey_id = m.survey_id AND NOT i.answered
            """, ct);
        await db.Database.ExecuteSqlAsync($"""
            DELETE FROM email_outbox e USING invitations i, unnest({hashes}, {surveys}) AS m(token_hash, survey_id)
            WHERE e.invitation_id = i.id AND i.token_hash = m.token_hash AND i.survey_id = m.survey_id
              AND e.kind = 'Reminder' AND e.sent_at IS NULL AND e.failed_at IS NULL
            """, ct);
    }
}

/// <summary>
/// Invitations opened and answered, gathered by Surveys (one message per survey and second while it is busy): the
/// same flags as <see cref="InvitationOpenedConsumer"/> and <see cref="InvitationAnsweredConsumer"/>, for every
/// hash in a batch of messages at once.
/// </summary>
public sealed class InvitationsProgressedConsumer(MembershipDbContext db, TimeProvider time, ILogger<InvitationsProgressedConsumer> logger)
    : BatchInboxConsumer<InvitationsProgressed, MembershipDbContext>(db, time, logger)
{
    protected override async Task HandleAsync(IReadOnlyList<ConsumeContext<InvitationsProgressed>> messages, CancellationToken ct)
    {
        await InvitationOpenedConsumer.MarkOpenedAsync(
            Db, messages.SelectMany(m => (m.Message.Opened ?? []).Select(h => ((string?)h, m.Message.SurveyId))), ct);
        await InvitationAnsweredConsumer.MarkAnsweredAsync(
            Db, messages.SelectMany(m => (m.Message.Answered ?? []).Select(h => ((string?)h, m.Message.SurveyId))), ct);
    }
}
