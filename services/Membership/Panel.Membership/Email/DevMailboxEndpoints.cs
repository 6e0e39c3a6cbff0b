using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MimeKit;
using Panel.ServiceDefaults;

namespace Panel.Membership.Email;

public sealed record MailboxMessage(string Id, string To, string Subject, DateTimeOffset SentAt, string Text);

/// <summary>
/// The local run's mailbox, so a developer can follow the links without an SMTP server.
/// Mapped only in Development and only when no SMTP host is configured.
/// </summary>
public static class DevMailboxEndpoints
{
    private const int MaxMessages = 100;

    public static IEndpointRouteBuilder MapDevMailboxEndpoints(this IEndpointRouteBuilder app, IHostEnvironment environment, IOptions<EmailOptions> email)
    {
        // Always in the OpenAPI document the build writes (the same whatever the environment of the build; the gateway's
        // client is made from it), where the email settings are not read; at run time only as said above.
        if (!ServiceApiExtensions.GeneratingDocument && (!environment.IsDevelopment() || email.Value.UsesSmtp))
        {
            return app;
        }

        app.MapGet("/api/membership/dev/mailbox", GetMailbox)
            .WithTags("Development")
            .WithName("GetDevMailbox")
            .WithSummary("Development only: the emails written to the mailbox folder, newest first.")
            .RequireAuthorization(p => p.RequireRole(PanelRoles.Coordinator, PanelRoles.ItAdmin));
        return app;
    }

    public static async Task<Ok<List<MailboxMessage>>> GetMailbox(IOptions<EmailOptions> options, CancellationToken ct)
    {
        var folder = new DirectoryInfo(options.Value.MailboxPath!);
        var messages = new List<MailboxMessage>();
        if (!folder.Exists)
        {
            return TypedResults.Ok(messages);
        }

        foreach (var file in folder.EnumerateFiles("*.eml").OrderByDescending(f => f.Name, StringComparer.Ordinal).Take(MaxMessages))
        {
            using var mime = await MimeMessage.LoadAsync(file.FullName, ct);
            messages.Add(new MailboxMessage(
                Path.GetFileNameWithoutExtension(file.Name),
                string.Join(", ", mime.To.Mailboxes.Select(m => m.Address)),
                mime.Subject ?? "",
                mime.Date == DateTimeOffset.MinValue ? new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero) : mime.Date,
                mime.TextBody ?? ""));
        }

        return TypedResults.Ok(messages);
    }
}
