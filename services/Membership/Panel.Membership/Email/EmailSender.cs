using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;
using NpgsqlTypes;
using Panel.Membership.Data;
using Panel.Membership.Invitations;
using Panel.Membership.Members;

namespace Panel.Membership.Email;

/// <summary>
/// Sends the email outbox with <see cref="EmailOptions.Concurrency"/> workers, each keeping its SMTP connection
/// open while there is more to send. Rows are claimed with FOR UPDATE SKIP LOCKED inside a transaction that lasts
/// until they are marked, so two workers (or replicas) never send one row at once. A failed send is retried with
/// exponential backoff; after sending (or giving up) the body, which holds the one-time link, is cleared.
/// Invitation and reminder emails have no stored body: it is rendered here from the invitation's encrypted token,
/// and their delivery is recorded on the invitation. An invitation email is held until Surveys acknowledged its token
/// (<see cref="EmailMessage.Held"/>): its link must work when it arrives. Logs name messages by id only: never an address, token or body.
/// </summary>
public sealed partial class EmailSender(
    IServiceScopeFactory scopes,
    IEmailTransport transport,
    InvitationTokens invitationTokens,
    IOptions<EmailOptions> options,
    IOptions<MembershipOptions> membership,
    TimeProvider time,
    ILogger<EmailSender> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.Concurrency).Select(_ => Task.Run(() => WorkAsync(stoppingToken), stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var failures = 0;
        await using var session = new Session();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var result = await SendBatchAsync(session, stoppingToken);
                if (result.Failed)
                {
                    failures++;
                }
                else
                {
                    failures = 0;
                    if (result.Claimed == o.BatchSize)
                    {
                        continue; // more may be waiting
                    }
                }

                // Idle: the connection is not held open while there is nothing to send.
                await session.CloseAsync();
                await EmailSignal.WaitAsync(o.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database itself failed; nothing was marked. Try again later.
                failures++;
                await session.CloseAsync();
                LogBatchFailed(logger, ex.GetType().Name);
                await Task.Delay(Backoff(failures, o.MaxBackoff), time, stoppingToken)
                    .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public static TimeSpan Backoff(int failures, TimeSpan max) =>
        TimeSpan.FromMilliseconds(Math.Min(max.TotalMilliseconds, 500 * Math.Pow(2, Math.Min(failures, 20))));

    public readonly record struct BatchResult(int Sent, bool Failed, int Claimed = 0);

    /// <summary>Sends one batch on a connection of its own (tests drive the sender by hand with it).</summary>
    public async Task<BatchResult> SendBatchAsync(CancellationToken ct)
    {
        await using var session = new Session();
        return await SendBatchAsync(session, ct);
    }

    private async Task<BatchResult> SendBatchAsync(Session session, CancellationToken ct)
    {
        var o = options.Value;
        var clock = Stopwatch.StartNew();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MembershipDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);

        var now = time.GetUtcNow();
        var batch = await db.EmailMessages
            .FromSql($"""
                SELECT * FROM email_outbox
                WHERE sent_at IS NULL AND failed_at IS NULL AND NOT held AND (next_attempt_at IS NULL OR next_attempt_at <= {now})
                ORDER BY created_at, id
                LIMIT {o.BatchSize}
                FOR UPDATE SKIP LOCKED
                """)
            .AsNoTracking()
            .ToListAsync(ct);
        if (batch.Count == 0)
        {
            return new BatchResult(0, false);
        }

        if (batch.Count == o.BatchSize)
        {
            // A full batch: wake another worker for the next one.
            EmailSignal.Pulse();
        }

        var claimedAt = clock.Elapsed;
        var bodies = await InvitationBodiesAsync(db, batch, ct);
        var renderedAt = clock.Elapsed;
        var sent = 0;
        var failed = false;
        var deliveries = new List<(EmailMessage Message, bool Sent)>();
        var done = new List<EmailMessage>(batch.Count);
        var dropped = new List<Guid>();
        foreach (var message in batch)
        {
            string? body = message.Body;
            if (message.InvitationId is not null)
            {
                if (!bodies.TryGetValue(message.Id, out var content))
                {
                    // The survey closed, the invitation was answered, or the member may no longer be invited: not sent.
                    dropped.Add(message.Id);
                    continue;
                }

                message.Subject = content.Subject;
                body = content.Body;
            }

            try
            {
                var connection = await session.OpenAsync(transport, ct);
                await connection.SendAsync(ToMime(message, body, o), ct);
                message.SentAt = time.GetUtcNow();
                message.Body = null;
                done.Add(message);
                sent++;
                if (message.InvitationId is not null)
                {
                    deliveries.Add((message, true));
                }
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                failed = true;
                message.Attempts++;
                done.Add(message);
                // Exception messages of SMTP servers may quote the address: only the type is logged.
                if (message.Attempts >= o.MaxAttempts)
                {
                    message.FailedAt = time.GetUtcNow();
                    message.Body = null;
                    LogGaveUp(logger, message.Id, message.Attempts, ex.GetType().Name);
                    if (message.InvitationId is not null)
                    {
                        deliveries.Add((message, false));
                    }
                }
                else
                {
                    message.NextAttemptAt = time.GetUtcNow() + Backoff(message.Attempts, o.MaxBackoff);
                    LogSendFailed(logger, message.Id, message.Attempts, ex.GetType().Name);
                }

                // A broken connection is not reused; the rest of the batch waits for the next round.
                await session.CloseAsync();
                break;
            }
        }

        var sentAt = clock.Elapsed;
        await RecordAsync(db, done, dropped, ct);
        await RecordDeliveriesAsync(db, deliveries, ct);
        await tx.CommitAsync(ct);
        if (sent > 0)
        {
            LogSent(logger, sent);
        }

        LogBatchTimings(logger, batch.Count, sent, (long)claimedAt.TotalMilliseconds, (long)(renderedAt - claimedAt).TotalMilliseconds,
            (long)(sentAt - renderedAt).TotalMilliseconds, (long)(clock.Elapsed - sentAt).TotalMilliseconds);

        return new BatchResult(sent, failed, batch.Count);
    }

    /// <summary>
    /// The rendered invitation and reminder emails of the batch, by email id; those that must not be sent now
    /// (survey closed or past its closing time, token cleared, a reminder already answered, the member withdrawn
    /// or paused) are left out.
    /// </summary>
    private async Task<Dictionary<Guid, EmailContent>> InvitationBodiesAsync(MembershipDbContext db, List<EmailMessage> batch, CancellationToken ct)
    {
        var rendered = new Dictionary<Guid, EmailContent>();
        var ids = batch.Where(m => m.InvitationId is not null).Select(m => m.InvitationId!.Value).ToList();
        if (ids.Count == 0)
        {
            return rendered;
        }

        var now = time.GetUtcNow();
        var today = membership.Value.Today(time);
        var zone = membership.Value.Zone;
        var rows = await (
            from i in db.Invitations
            where ids.Contains(i.Id)
            join s in db.InvitationSurveys on i.SurveyId equals s.Id
            join m in db.Members on i.MemberId equals m.Id
            select new { i.Id, i.SurveyId, i.ProtectedToken, i.Answered, s.TokenKey, s.Title, s.Purpose, s.ClosesAt, s.ClosedAt, m.Status, m.PausedUntil })
            .AsNoTracking()
            .ToDictionaryAsync(r => r.Id, ct);
        var baseUrl = options.Value.PublicBaseUrl.TrimEnd('/');
        // One Data Protection call per survey in the batch (its data key), not one per token.
        var keys = new Dictionary<Guid, SurveyTokenKey?>();
        try
        {
            foreach (var message in batch.Where(m => m.InvitationId is not null))
            {
                var reminder = message.Kind == EmailKind.Reminder;
                if (!rows.TryGetValue(message.InvitationId!.Value, out var r)
                    || r.ClosedAt is not null || r.ClosesAt <= now
                    || (reminder && r.Answered)
                    || !(r.Status == MemberStatus.Active || (r.Status == MemberStatus.Paused && r.PausedUntil < today))
                    || invitationTokens.Unprotect(Key(r.SurveyId, r.TokenKey), r.Id, r.ProtectedToken) is not { } token)
                {
                    continue;
                }

                var closes = TimeZoneInfo.ConvertTime(r.ClosesAt, zone).DateTime;
                rendered[message.Id] = EmailTemplates.Invitation(
                    message.Language,
                    InvitationIssuer.Text(r.Title, message.Language),
                    InvitationIssuer.Text(r.Purpose, message.Language),
                    closes,
                    $"{baseUrl}/answer?t={Uri.EscapeDataString(token)}",
                    reminder);
            }
        }
        finally
        {
            foreach (var key in keys.Values)
            {
                key?.Dispose();
            }
        }

        return rendered;

        SurveyTokenKey? Key(Guid surveyId, string? protectedKey)
        {
            if (!keys.TryGetValue(surveyId, out var key))
            {
                keys[surveyId] = key = invitationTokens.OpenSurveyKey(surveyId, protectedKey);
            }

            return key;
        }
    }

    /// <summary>The batch's outcome in the email outbox, set-based (a statement for the batch, not one per email).</summary>
    private static async Task RecordAsync(MembershipDbContext db, List<EmailMessage> done, List<Guid> dropped, CancellationToken ct)
    {
        if (done.Count > 0)
        {
            await db.Database.ExecuteSqlRawAsync("""
                UPDATE email_outbox o SET subject = t.subject, body = t.body, sent_at = t.sent_at, failed_at = t.failed_at,
                    next_attempt_at = t.next_attempt_at, attempts = t.attempts
                FROM unnest(@ids, @subjects, @bodies, @sent, @failed, @next, @attempts) AS t(id, subject, body, sent_at, failed_at, next_attempt_at, attempts)
                WHERE o.id = t.id
                """,
                [
                    new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = done.Select(m => m.Id).ToArray() },
                    new NpgsqlParameter("subjects", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = done.Select(m => m.Subject).ToArray() },
                    new NpgsqlParameter("bodies", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = done.Select(m => (object?)m.Body ?? DBNull.Value).ToArray() },
                    new NpgsqlParameter("sent", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = done.Select(m => (object?)m.SentAt ?? DBNull.Value).ToArray() },
                    new NpgsqlParameter("failed", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = done.Select(m => (object?)m.FailedAt ?? DBNull.Value).ToArray() },
                    new NpgsqlParameter("next", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = done.Select(m => (object?)m.NextAttemptAt ?? DBNull.Value).ToArray() },
                    new NpgsqlParameter("attempts", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = done.Select(m => m.Attempts).ToArray() },
                ], ct);
        }

        if (dropped.Count > 0)
        {
            await db.Database.ExecuteSqlRawAsync("DELETE FROM email_outbox WHERE id = ANY(@ids)",
                [new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = dropped.ToArray() }], ct);
        }
    }

    /// <summary>Delivery status on the invitations, set-based: sent or failed (with attempts), reminders counted.</summary>
    private static async Task RecordDeliveriesAsync(MembershipDbContext db, List<(EmailMessage Message, bool Sent)> deliveries, CancellationToken ct)
    {
        var invitations = deliveries.Where(d => d.Message.Kind == EmailKind.Invitation).ToList();
        if (invitations.Count > 0)
        {
            await db.Database.ExecuteSqlRawAsync("""
                UPDATE invitations i SET sent_at = t.sent_at, failed_at = t.failed_at, attempts = t.attempts
                FROM unnest(@ids, @sent, @failed, @attempts) AS t(id, sent_at, failed_at, attempts)
                WHERE i.id = t.id
                """,
                [
                    new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = invitations.Select(d => d.Message.InvitationId!.Value).ToArray() },
                    new NpgsqlParameter("sent", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = invitations.Select(d => (object?)d.Message.SentAt ?? DBNull.Value).ToArray() },
                    new NpgsqlParameter("failed", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = invitations.Select(d => (object?)d.Message.FailedAt ?? DBNull.Value).ToArray() },
                    new NpgsqlParameter("attempts", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = invitations.Select(d => d.Message.Attempts + (d.Sent ? 1 : 0)).ToArray() },
                ], ct);
        }

        var reminders = deliveries.Where(d => d.Message.Kind == EmailKind.Reminder).ToList();
        if (reminders.Count > 0)
        {
            await db.Database.ExecuteSqlRawAsync("""
                UPDATE invitations i SET reminders_sent = i.reminders_sent + t.sent, reminders_failed = i.reminders_failed + 1 - t.sent
                FROM unnest(@ids, @sent) AS t(id, sent)
                WHERE i.id = t.id
                """,
                [
                    new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = reminders.Select(d => d.Message.InvitationId!.Value).ToArray() },
                    new NpgsqlParameter("sent", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = reminders.Select(d => d.Sent ? 1 : 0).ToArray() },
                ], ct);
        }
    }

    private static MimeMessage ToMime(EmailMessage message, string? body, EmailOptions o)
    {
        var mime = new MimeMessage
        {
            Subject = message.Subject,
            Body = new TextPart("plain") { Text = body ?? "" },
            MessageId = $"{message.Id:N}@panel",
        };
        // A new address object per message (MimeKit subscribes each list to its addresses' changes), from the
        // sender address parsed once.
        var from = FromAddress(o.From);
        mime.From.Add(new MailboxAddress(from.Name, from.Address));
        mime.To.Add(new MailboxAddress("", message.To));
        mime.Headers.Add("Content-Language", message.Language);
        // One-time links must not be acted on by auto-responders.
        mime.Headers.Add("Auto-Submitted", "auto-generated");
        return mime;
    }

    private static ParsedFrom? _from;

    private static (string Name, string Address) FromAddress(string configured)
    {
        var cached = _from;
        if (cached is null || !string.Equals(cached.Configured, configured, StringComparison.Ordinal))
        {
            var parsed = MailboxAddress.Parse(configured);
            _from = cached = new ParsedFrom(configured, parsed.Name ?? "", parsed.Address);
        }

        return (cached.Name, cached.Address);
    }

    private sealed record ParsedFrom(string Configured, string Name, string Address);

    /// <summary>A worker's SMTP connection, opened on first use and reused until it breaks or the worker goes idle.</summary>
    private sealed class Session : IAsyncDisposable
    {
        private IEmailConnection? _connection;

        public async Task<IEmailConnection> OpenAsync(IEmailTransport transport, CancellationToken ct) =>
            _connection ??= await transport.OpenAsync(ct);

        public async Task CloseAsync()
        {
            if (_connection is not null)
            {
                var connection = _connection;
                _connection = null;
                await connection.DisposeAsync();
            }
        }

        public ValueTask DisposeAsync() => new(CloseAsync());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent {Count} emails")]
    private static partial void LogSent(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Email batch of {Claimed} ({Sent} sent): claim {ClaimMs} ms, render {RenderMs} ms, SMTP {SmtpMs} ms, record and commit {SaveMs} ms")]
    private static partial void LogBatchTimings(ILogger logger, int claimed, int sent, long claimMs, long renderMs, long smtpMs, long saveMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending email {EmailId} failed (attempt {Attempt}, {ErrorType}); will retry")]
    private static partial void LogSendFailed(ILogger logger, Guid emailId, int attempt, string errorType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Gave up sending email {EmailId} after {Attempt} attempts ({ErrorType})")]
    private static partial void LogGaveUp(ILogger logger, Guid emailId, int attempt, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The email sender failed ({ErrorType}); will retry")]
    private static partial void LogBatchFailed(ILogger logger, string errorType);
}
