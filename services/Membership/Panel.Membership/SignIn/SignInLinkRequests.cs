using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Panel.Membership.Data;
using Panel.Membership.Email;
using Panel.Membership.Members;

namespace Panel.Membership.SignIn;

/// <summary>
/// Sign-in link requests handled in the background. The request only checks the address and leaves it here, so
/// neither its answer nor its time depends on whether the address is a member's: looking the member up, locking
/// their row, counting the rate limits and writing the link and its email (work only a member's address causes)
/// all happen here, after the answer. The queue is in memory and bounded: a request lost in a restart, or dropped
/// when the queue is full, is like one the rate limits drop: no email comes, and the person asks again.
/// </summary>
public sealed partial class SignInLinkRequests(IServiceScopeFactory scopes, ILogger<SignInLinkRequests> logger) : BackgroundService
{
    public const int Capacity = 10_000;

    private readonly Channel<string> _queue = Channel.CreateBounded<string>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private int _pending;

    /// <summary>Requests taken but not yet handled (tests wait for none before counting emails).</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Leaves a normalised address for the background; false (and nothing else) when the queue is full.</summary>
    public bool TryAdd(string email)
    {
        Interlocked.Increment(ref _pending);
        if (_queue.Writer.TryWrite(email))
        {
            return true;
        }

        Interlocked.Decrement(ref _pending);
        LogQueueFull(logger, Capacity);
        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var email in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await HandleAsync(email, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The database failed for this one; the person asks again. Only the type: never the address.
                    LogFailed(logger, ex.GetType().Name);
                }
                finally
                {
                    Interlocked.Decrement(ref _pending);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is still queued is dropped.
        }
    }

    private async Task HandleAsync(string email, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MembershipDbContext>();
        var member = await db.Members.Where(m => m.Email == email).Select(m => new { m.Id, m.Status }).FirstOrDefaultAsync(ct);
        if (member is not null)
        {
            // A member who never verified cannot sign in yet; the verification email is what they need.
            var emails = scope.ServiceProvider.GetRequiredService<EmailQueue>();
            await emails.TryQueueAsync(member.Id, member.Status == MemberStatus.Pending ? EmailKind.Verification : EmailKind.SignIn, ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sign-in link queue is full ({Capacity}); a request was dropped")]
    private static partial void LogQueueFull(ILogger logger, int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A sign-in link request failed ({ErrorType}); it was dropped")]
    private static partial void LogFailed(ILogger logger, string errorType);
}
