using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Panel.Membership.Data;
using Panel.Membership.Links;
using Panel.Membership.Members;

namespace Panel.Membership.Email;

/// <summary>
/// Puts link emails into the email outbox, in the caller's unit of work: the link and its email
/// are saved together with the change that caused them, or not at all.
/// </summary>
public sealed class EmailQueue(
    MembershipDbContext db,
    OneTimeTokens tokens,
    IOptions<EmailOptions> email,
    IOptions<MembershipOptions> membership,
    TimeProvider time)
{
    public void AddVerification(Member member)
    {
        var lifetime = membership.Value.VerificationLinkLifetime;
        var token = AddLink(member, LinkPurpose.Verification, lifetime);
        var content = EmailTemplates.Verification(member.Language, Url("verify", token), lifetime);
        Add(member, EmailKind.Verification, content);
    }

    public void AddSignIn(Member member)
    {
        var lifetime = membership.Value.SignInLinkLifetime;
        var token = AddLink(member, LinkPurpose.SignIn, lifetime);
        var content = EmailTemplates.SignIn(member.Language, Url("sign-in/link", token), lifetime);
        Add(member, EmailKind.SignIn, content);
    }

    /// <summary>Tells the person that the address they joined with is already in the panel, with a sign-in link.</summary>
    public void AddAlreadyMember(Member member)
    {
        var lifetime = membership.Value.SignInLinkLifetime;
        var token = AddLink(member, LinkPurpose.SignIn, lifetime);
        var content = EmailTemplates.AlreadyMember(member.Language, Url("sign-in/link", token), lifetime);
        Add(member, EmailKind.AlreadyMember, content);
    }

    /// <summary>
    /// Queues the email of <paramref name="kind"/> (the caller chose it: a verification email while Pending, else a
    /// sign-in link or the already-a-member email), unless the per-address limits say no. Silently does nothing then: the caller
    /// answers alike either way. Locks the member's row so concurrent requests count correctly.
    /// </summary>
    public async Task<bool> TryQueueAsync(Guid memberId, EmailKind kind, CancellationToken ct)
    {
        // Joins the caller's transaction when there is one (the caller commits), else has its own.
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var member = await db.Members.FromSql($"SELECT * FROM members WHERE id = {memberId} FOR UPDATE").SingleOrDefaultAsync(ct);
        if (member is null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var o = email.Value;
        var lastHour = await db.EmailMessages.CountAsync(m => m.MemberId == memberId && m.CreatedAt > now.AddHours(-1), ct);
        if (lastHour >= o.MaxPerAddressPerHour)
        {
            return false;
        }

        if (kind == EmailKind.Verification)
        {
            var since = now - o.VerificationResendInterval;
            if (await db.EmailMessages.AnyAsync(m => m.MemberId == memberId && m.Kind == EmailKind.Verification && m.CreatedAt > since, ct))
            {
                return false;
            }

            AddVerification(member);
        }
        else if (kind == EmailKind.AlreadyMember)
        {
            AddAlreadyMember(member);
        }
        else
        {
            AddSignIn(member);
        }

        await db.SaveChangesAsync(ct);
        if (tx is not null)
        {
            await tx.CommitAsync(ct);
        }

        return true;
    }

    private string AddLink(Member member, LinkPurpose purpose, TimeSpan lifetime)
    {
        var now = time.GetUtcNow();
        var token = tokens.NewToken();
        db.OneTimeLinks.Add(new OneTimeLink
        {
            Id = Guid.CreateVersion7(now),
            MemberId = member.Id,
            Purpose = purpose,
            TokenHash = OneTimeTokens.Hash(token),
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        });
        return token;
    }

    private void Add(Member member, EmailKind kind, EmailContent content)
    {
        var now = time.GetUtcNow();
        db.EmailMessages.Add(new EmailMessage
        {
            Id = Guid.CreateVersion7(now),
            MemberId = member.Id,
            Kind = kind,
            To = member.Email,
            Language = member.Language,
            Subject = content.Subject,
            Body = content.Body,
            CreatedAt = now,
        });
        EmailSignal.Pulse();
    }

    private string Url(string path, string token) =>
        $"{email.Value.PublicBaseUrl.TrimEnd('/')}/{path}?token={Uri.EscapeDataString(token)}";
}

/// <summary>Wakes the sender when a request has just queued an email, instead of waiting for its next poll.</summary>
internal static class EmailSignal
{
    private static readonly SemaphoreSlim Signal = new(0, 1);

    public static void Pulse()
    {
        try
        {
            if (Signal.CurrentCount == 0)
            {
                Signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Another writer pulsed at the same moment: the sender is awake either way.
        }
    }

    public static Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => Signal.WaitAsync(timeout, ct);
}

/// <summary>Wakes the email sender after a transaction that queued emails (<see cref="MembershipDbContext.EmailsQueued"/>) commits.</summary>
internal sealed class EmailSignalInterceptor : DbTransactionInterceptor
{
    public static readonly EmailSignalInterceptor Instance = new();

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        Wake(eventData);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Wake(eventData);
        return Task.CompletedTask;
    }

    private static void Wake(TransactionEndEventData eventData)
    {
        if (eventData.Context is MembershipDbContext { EmailsQueued: true } db)
        {
            db.EmailsQueued = false;
            EmailSignal.Pulse();
        }
    }
}
