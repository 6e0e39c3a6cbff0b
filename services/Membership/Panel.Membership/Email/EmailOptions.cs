using Panel.ServiceDefaults;
using System.ComponentModel.DataAnnotations;
using MimeKit;

namespace Panel.Membership.Email;

public enum SmtpSecurity
{
    None,
    StartTls,
    SslOnConnect,
}

public sealed class SmtpOptions
{
    /// <summary>The SMTP relay; when empty, messages are written to <see cref="EmailOptions.MailboxPath"/> instead.</summary>
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;
    public string? User { get; set; }
    public string? Password { get; set; }
}

public sealed class EmailOptions
{
    public const string Section = "Email";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The sender, e.g. "Asukaspaneeli &lt;panel@example.fi&gt;".</summary>
    [Required]
    public string From { get; set; } = "";

    /// <summary>The gateway's public URL; links in emails point there.</summary>
    [Required]
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>A folder of .eml files, used when no SMTP host is configured (local runs).</summary>
    public string? MailboxPath { get; set; }

    /// <summary>Run the background sender in this process.</summary>
    public bool SenderEnabled { get; set; } = true;

    [TimeSpanRange("00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of the exponential backoff after a failed send.</summary>
    [TimeSpanRange("00:00:01", "06:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Attempts before a message is given up (its body, holding the link, is then cleared).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 20;

    /// <summary>Emails claimed and sent per transaction by one worker.</summary>
    [Range(1, 500)]
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// Workers sending at once, each over an SMTP connection of its own that it reuses while there is more to send. Each
    /// email costs the connection several round trips (MAIL, RCPT, DATA, the message) and each batch a commit, so more
    /// connections than cores keep the relay busy; relays commonly allow 10-20 connections per client.
    /// </summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 8;

    /// <summary>Link emails one address may receive per hour; beyond it requests are silently dropped.</summary>
    [Range(1, 100)]
    public int MaxPerAddressPerHour { get; set; } = 3;

    /// <summary>A pending member joining again gets the verification email again at most this often.</summary>
    [TimeSpanRange("00:00:00", "1.00:00:00")]
    public TimeSpan VerificationResendInterval { get; set; } = TimeSpan.FromMinutes(5);

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Smtp.Host);

    internal static IEnumerable<string> Problems(EmailOptions o)
    {
        if (!MailboxAddress.TryParse(o.From, out _))
        {
            yield return "Email:From must be an address such as \"Asukaspaneeli <panel@example.fi>\".";
        }

        if (!Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            yield return "Email:PublicBaseUrl must be the gateway's absolute http(s) URL.";
        }

        if (!o.UsesSmtp && string.IsNullOrWhiteSpace(o.MailboxPath))
        {
            yield return "Email needs Email:Smtp:Host or, for local runs, Email:MailboxPath.";
        }

        if (o.UsesSmtp && o.Smtp.Port is < 1 or > 65535)
        {
            yield return "Email:Smtp:Port must be 1-65535.";
        }

        if (o.UsesSmtp && !string.IsNullOrEmpty(o.Smtp.User) && o.Smtp.Security == SmtpSecurity.None)
        {
            yield return "Email:Smtp:User needs Security StartTls or SslOnConnect; a password is never sent in clear text.";
        }
    }
}
