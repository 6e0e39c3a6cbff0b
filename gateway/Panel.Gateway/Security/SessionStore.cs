using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Panel.Gateway.Data;

namespace Panel.Gateway.Security;

/// <summary>A session validated in this request: its id and when it ends unless used again.</summary>
public sealed record ActiveSession(string Id, DateTimeOffset IdleEndsAt, DateTimeOffset? EndsAt);

/// <summary>
/// The server side of the staff and resident cookies. Signing in creates a record whose id the cookie carries;
/// every request checks it (and, for staff, that the account's security stamp is unchanged: a disabled account
/// or a changed role ends the session at once); signing out deletes it, so a copy of the cookie is worthless
/// afterwards while the person's other sessions go on.
/// </summary>
public sealed class SessionStore(GatewayDbContext db, IOptions<SessionTimeoutOptions> options, IOptions<IdentityOptions> identity, TimeProvider time)
{
    public const string SessionIdClaim = "panel_sid";

    /// <summary>The page's question "how long is left" must not itself keep the session alive.</summary>
    public const string StatusPath = "/staff/session";

    /// <summary>Last-seen is written at most this often, not on every request.</summary>
    public static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    private static string ItemKey(string scheme) => "panel.session:" + scheme;

    /// <summary>The session of <paramref name="scheme"/> validated in this request, if any.</summary>
    public static ActiveSession? Active(HttpContext context, string scheme) =>
        context.Items.TryGetValue(ItemKey(scheme), out var value) ? value as ActiveSession : null;

    public static void Configure(CookieAuthenticationOptions o, SessionKind kind)
    {
        o.Events.OnSigningIn = ctx => Store(ctx.HttpContext).SigningInAsync(ctx, kind);
        o.Events.OnValidatePrincipal = ctx => Store(ctx.HttpContext).ValidateAsync(ctx, kind);
        o.Events.OnSigningOut = ctx => Store(ctx.HttpContext).SigningOutAsync(ctx.HttpContext, ctx.Scheme.Name);
    }

    private static SessionStore Store(HttpContext context) => context.RequestServices.GetRequiredService<SessionStore>();

    private async Task SigningInAsync(CookieSigningInContext ctx, SessionKind kind)
    {
        // Signing in again in the same browser replaces the session that browser had.
        await SigningOutAsync(ctx.HttpContext, ctx.Scheme.Name);
        var id = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        db.Sessions.Add(new SessionRecord
        {
            Id = Key(id),
            Kind = kind,
            StaffUserId = kind == SessionKind.Staff ? ctx.Principal!.FindFirstValue(ClaimTypes.NameIdentifier) : null,
            StartedAt = now,
            LastSeenAt = now,
        });
        await db.SaveChangesAsync(ctx.HttpContext.RequestAborted);
        ((ClaimsIdentity)ctx.Principal!.Identity!).AddClaim(new Claim(SessionIdClaim, id));
    }

    private async Task ValidateAsync(CookieValidatePrincipalContext ctx, SessionKind kind)
    {
        var id = ctx.Principal?.FindFirstValue(SessionIdClaim);
        var now = time.GetUtcNow();
        var active = id is null ? null : await CheckAsync(id, kind, ctx.Principal!, now, ctx.HttpContext);
        if (active is null)
        {
            if (id is not null)
            {
                await EndAsync(id);
            }

            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(ctx.Scheme.Name);
            return;
        }

        ctx.HttpContext.Items[ItemKey(ctx.Scheme.Name)] = active;
    }

    private async Task<ActiveSession?> CheckAsync(string id, SessionKind kind, ClaimsPrincipal principal, DateTimeOffset now, HttpContext context)
    {
        var key = Key(id);
        var row = await db.Sessions.AsNoTracking().Where(s => s.Id == key)
            .Select(s => new { s.Kind, s.StaffUserId, s.StartedAt, s.LastSeenAt, Stamp = s.StaffUser == null ? null : s.StaffUser.SecurityStamp })
            .SingleOrDefaultAsync(context.RequestAborted);
        if (row is null || row.Kind != kind)
        {
            return null;
        }

        var o = options.Value;
        DateTimeOffset? endsAt = null;
        var idle = o.ResidentIdleTimeout;
        if (kind == SessionKind.Staff)
        {
            // Disabling an account or changing its roles renews the stamp (StaffAccounts): this request is refused.
            var stamp = principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
            if (row.StaffUserId != principal.FindFirstValue(ClaimTypes.NameIdentifier) || row.Stamp is null || row.Stamp != stamp)
            {
                return null;
            }

            idle = o.StaffIdleTimeout;
            endsAt = row.StartedAt + o.StaffAbsoluteTimeout;
        }

        var lastSeen = row.LastSeenAt;
        if (now >= lastSeen + idle || now >= endsAt)
        {
            return null;
        }

        if (now - lastSeen >= TouchInterval && !context.Request.Path.Equals(StatusPath, StringComparison.OrdinalIgnoreCase))
        {
            lastSeen = now;
            await db.Sessions.Where(s => s.Id == key).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), context.RequestAborted);
        }

        return new ActiveSession(id, lastSeen + idle, endsAt);
    }

    /// <summary>Marks the staff session of this request used now (the "Continue" of the timeout warning).</summary>
    public async Task<ActiveSession?> ExtendAsync(HttpContext context)
    {
        var active = Active(context, IdentityConstants.ApplicationScheme);
        if (active is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var key = Key(active.Id);
        await db.Sessions.Where(s => s.Id == key).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), context.RequestAborted);
        var extended = active with { IdleEndsAt = now + options.Value.StaffIdleTimeout };
        context.Items[ItemKey(IdentityConstants.ApplicationScheme)] = extended;
        return extended;
    }

    /// <summary>Seconds left of the session: until it ends for inactivity, and until it ends in any case.</summary>
    public (long Idle, long Absolute) Remaining(ActiveSession? session)
    {
        if (session is null)
        {
            return (0, 0);
        }

        var now = time.GetUtcNow();
        // Rounded up: PostgreSQL keeps microseconds, so a full half hour read back may be a tick short of it.
        static long Seconds(TimeSpan left) => Math.Max(0, (long)Math.Ceiling(left.TotalSeconds));
        var idle = Seconds(session.IdleEndsAt - now);
        return (idle, session.EndsAt is { } end ? Seconds(end - now) : idle);
    }

    private async Task SigningOutAsync(HttpContext context, string scheme)
    {
        if (Active(context, scheme) is { } active)
        {
            context.Items.Remove(ItemKey(scheme));
            await EndAsync(active.Id);
        }
    }

    private Task EndAsync(string id)
    {
        var key = Key(id);
        return db.Sessions.Where(s => s.Id == key).ExecuteDeleteAsync();
    }

    /// <summary>Deletes the records of sessions that have ended; returns how many.</summary>
    public Task<int> DeleteEndedAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var staffIdle = now - o.StaffIdleTimeout;
        var staffStarted = now - o.StaffAbsoluteTimeout;
        var residentIdle = now - o.ResidentIdleTimeout;
        return db.Sessions
            .Where(s => s.Kind == SessionKind.Staff
                ? s.LastSeenAt <= staffIdle || s.StartedAt <= staffStarted
                : s.LastSeenAt <= residentIdle)
            .ExecuteDeleteAsync(ct);
    }

    private static string Key(string id) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(id)));

    private static string Base64Url(byte[] bytes) => Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(bytes);
}
