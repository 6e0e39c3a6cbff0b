using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Panel.Membership.Data;

namespace Panel.Membership.Email;

/// <summary>
/// Sends the email outbox. Rows are claimed with FOR UPDATE SKIP LOCKED inside a transaction that
/// lasts until they are marked, so two replicas never send one row at once. A failed send is
/// retried with exponential backoff; after sending (or giving up) the body, which holds the
/// one-time link, is cleared. Logs name messages by id only: never an address, token or body.
/// </summary>
public sealed partial class EmailSender(
    IServiceScopeFactory scopes,
    IEmailTransport transport,
    IOptions<EmailOptions> options,
    TimeProvider time,
    ILogger<EmailSender> logger) : BackgroundService
{
    private int _consecutiveFailures;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var result = await SendBatchAsync(stoppingToken);
                if (result.Failed)
                {
                    _consecutiveFailures++;
                }
                else
                {
                    _consecutiveFailures = 0;
                    if (result.Sent == o.BatchSize)
                    {
                        continue; // more may be waiting
                    }
                }

                await EmailSignal.WaitAsync(o.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database itself failed; nothing was marked. Try again later.
                _consecutiveFailures++;
                LogBatchFailed(logger, ex.GetType().Name);
                await Task.Delay(Backoff(_consecutiveFailures, o.MaxBackoff), time, stoppingToken)
                    .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public static TimeSpan Backoff(int failures, TimeSpan max) =>
        TimeSpan.FromMilliseconds(Math.Min(max.TotalMilliseconds, 500 * Math.Pow(2, Math.Min(failures, 20))));

    public readonly record struct BatchResult(int Sent, bool Failed);

    public async Task<BatchResult> SendBatchAsync(CancellationToken ct)
    {
        var o = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MembershipDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);

        var now = time.GetUtcNow();
        var batch = await db.EmailMessages
            .FromSql($"""
                SELECT * FROM email_outbox
                WHERE sent_at IS NULL AND failed_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= {now})
                ORDER BY created_at, id
                LIMIT {o.BatchSize}
                FOR UPDATE SKIP LOCKED
                """)
            .ToListAsync(ct);
        if (batch.Count == 0)
        {
            return new BatchResult(0, false);
        }

        var sent = 0;
        var failed = false;
        IEmailConnection? connection = null;
        try
        {
            foreach (var message in batch)
            {
                try
                {
                    connection ??= await transport.OpenAsync(ct);
                    await connection.SendAsync(ToMime(message, o), ct);
                    message.SentAt = time.GetUtcNow();
                    message.Body = null;
                    sent++;
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    failed = true;
                    message.Attempts++;
                    // Exception messages of SMTP servers may quote the address: only the type is logged.
                    if (message.Attempts >= o.MaxAttempts)
                    {
                        message.FailedAt = time.GetUtcNow();
                        message.Body = null;
                        LogGaveUp(logger, message.Id, message.Attempts, ex.GetType().Name);
                    }
                    else
                    {
                        message.NextAttemptAt = time.GetUtcNow() + Backoff(message.Attempts, o.MaxBackoff);
                        LogSendFailed(logger, message.Id, message.Attempts, ex.GetType().Name);
                    }

                    // A broken connection is not reused; the rest of the batch waits for the next round.
                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }

                    break;
                }
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (sent > 0)
        {
            LogSent(logger, sent);
        }

        return new BatchResult(sent, failed);
    }

    private static MimeMessage ToMime(EmailMessage message, EmailOptions o)
    {
        var mime = new MimeMessage
        {
            Subject = message.Subject,
            Body = new TextPart("plain") { Text = message.Body ?? "" },
            MessageId = $"{message.Id:N}@panel",
        };
        mime.From.Add(MailboxAddress.Parse(o.From));
        mime.To.Add(new MailboxAddress("", message.To));
        mime.Headers.Add("Content-Language", message.Language);
        // One-time links must not be acted on by auto-responders.
        mime.Headers.Add("Auto-Submitted", "auto-generated");
        return mime;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent {Count} emails")]
    private static partial void LogSent(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending email {EmailId} failed (attempt {Attempt}, {ErrorType}); will retry")]
    private static partial void LogSendFailed(ILogger logger, Guid emailId, int attempt, string errorType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Gave up sending email {EmailId} after {Attempt} attempts ({ErrorType})")]
    private static partial void LogGaveUp(ILogger logger, Guid emailId, int attempt, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The email sender failed ({ErrorType}); will retry")]
    private static partial void LogBatchFailed(ILogger logger, string errorType);
}
