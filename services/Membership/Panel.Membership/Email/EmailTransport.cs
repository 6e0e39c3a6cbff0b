using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Panel.Membership.Email;

/// <summary>Delivers one batch of messages: over SMTP, or into a mailbox folder on local runs.</summary>
public interface IEmailTransport
{
    Task<IEmailConnection> OpenAsync(CancellationToken ct);
}

public interface IEmailConnection : IAsyncDisposable
{
    Task SendAsync(MimeMessage message, CancellationToken ct);
}

public sealed class SmtpEmailTransport(IOptions<EmailOptions> options) : IEmailTransport
{
    public async Task<IEmailConnection> OpenAsync(CancellationToken ct)
    {
        var smtp = options.Value.Smtp;
        var client = new SmtpClient { Timeout = 30_000 };
        try
        {
            var security = smtp.Security switch
            {
                SmtpSecurity.None => SecureSocketOptions.None,
                SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.StartTls,
            };
            await client.ConnectAsync(smtp.Host!, smtp.Port, security, ct);
            if (!string.IsNullOrEmpty(smtp.User))
            {
                await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", ct);
            }

            // With SIZE, MailKit serializes every message twice (once to measure it for MAIL FROM's SIZE=); our
            // messages are a few kilobytes, and the relay still enforces its limit when it receives the data.
            client.Capabilities &= ~SmtpCapabilities.Size;

            return new Connection(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private sealed class Connection(SmtpClient client) : IEmailConnection
    {
        public async Task SendAsync(MimeMessage message, CancellationToken ct) => await client.SendAsync(message, ct);

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (client.IsConnected)
                {
                    await client.DisconnectAsync(quit: true);
                }
            }
            catch (Exception ex) when (ex is IOException or MailKit.ProtocolException or MailKit.CommandException or OperationCanceledException)
            {
                // Every message of the batch was already accepted or recorded as failed; a failed QUIT changes nothing.
            }
            finally
            {
                client.Dispose();
            }
        }
    }
}

/// <summary>Writes each message as an .eml file: the local run's mailbox, read by GET /dev/mailbox.</summary>
public sealed class MailboxEmailTransport(IOptions<EmailOptions> options, TimeProvider time) : IEmailTransport
{
    public Task<IEmailConnection> OpenAsync(CancellationToken ct)
    {
        var path = options.Value.MailboxPath!;
        Directory.CreateDirectory(path);
        return Task.FromResult<IEmailConnection>(new Connection(path, time));
    }

    private sealed class Connection(string path, TimeProvider time) : IEmailConnection
    {
        public async Task SendAsync(MimeMessage message, CancellationToken ct)
        {
            var name = $"{time.GetUtcNow():yyyyMMdd'T'HHmmssfff}-{Guid.NewGuid():N}.eml";
            var temporary = Path.Combine(path, name + ".tmp");
            await message.WriteToAsync(temporary, ct);
            // Readers never see a half-written file.
            File.Move(temporary, Path.Combine(path, name));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
