using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Panel.Gateway.Data;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Accounts;

/// <summary>
/// The county's service areas (codes) a DomainContact can be scoped to: the same list as the Surveys service's
/// Surveys:ServiceAreas, configured for the gateway as Staff:ServiceAreas (the default is the list the Surveys
/// service ships with). Their names are UI texts "area.{code}".
/// </summary>
public sealed class ServiceAreas(IReadOnlyList<string> codes)
{
    public const string Section = "Staff:ServiceAreas";

    public static readonly IReadOnlyList<string> Defaults =
    [
        "health-centres", "hospital-care", "emergency-care", "mental-health-and-substance-use", "oral-health", "elderly-services",
        "disability-services", "family-services", "social-work", "rescue-services", "county-wide",
    ];

    public IReadOnlyList<string> Codes { get; } = codes;

    public static ServiceAreas From(IConfiguration configuration) =>
        new(configuration.GetSection(Section).Get<string[]>() is { Length: > 0 } configured ? configured : Defaults);
}

/// <summary>A staff account as the administration pages show it.</summary>
public sealed record StaffAccountInfo(
    string Id, string Email, string? DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<string> Areas, bool Disabled, bool HasPassword);

/// <summary>What an IT administrator changes: name, roles, and the service areas of a DomainContact.</summary>
public sealed record StaffAccountChange(string? DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<string> Areas);

/// <summary>
/// Staff accounts administered by an IT administrator: roles as Identity roles, service areas as <c>area</c>
/// claims (which the gateway's token carries to the services), disabling as a lockout without end. A new
/// account has no password: the administrator gets a one-time link to set it, shown once; nobody ever sees a
/// password. A change of roles, areas or state renews the account's security stamp, so an open session of that
/// person is signed out at its next check and signs in again with what it now may do.
/// </summary>
public sealed class StaffAccounts(UserManager<StaffUser> users, GatewayDbContext db, ServiceAreas areas, TimeProvider time)
{
    public const int DisplayNameLength = 100;

    public async Task<List<StaffAccountInfo>> ListAsync(CancellationToken ct)
    {
        var all = await users.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
        var roleNames = await db.Roles.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.Name ?? "", ct);
        var userRoles = (await db.UserRoles.AsNoTracking().ToListAsync(ct)).ToLookup(r => r.UserId, r => roleNames.GetValueOrDefault(r.RoleId, ""));
        var userAreas = (await db.UserClaims.AsNoTracking().Where(c => c.ClaimType == PanelClaims.ServiceArea).ToListAsync(ct))
            .ToLookup(c => c.UserId, c => c.ClaimValue ?? "");
        var now = time.GetUtcNow();
        return [.. all.Select(u => new StaffAccountInfo(u.Id, u.Email ?? u.UserName ?? u.Id, u.DisplayName,
            [.. PanelRoles.All.Where(r => userRoles[u.Id].Contains(r))], [.. userAreas[u.Id].Order(StringComparer.Ordinal)],
            u.LockoutEnd is { } end && end > now, u.PasswordHash is not null))];
    }

    public async Task<StaffAccountInfo?> FindAsync(string id)
    {
        if (await users.FindByIdAsync(id) is not { } user)
        {
            return null;
        }

        var roles = await users.GetRolesAsync(user);
        var claims = await users.GetClaimsAsync(user);
        return new StaffAccountInfo(user.Id, user.Email ?? user.UserName ?? user.Id, user.DisplayName,
            [.. PanelRoles.All.Where(roles.Contains)], [.. claims.Where(c => c.Type == PanelClaims.ServiceArea).Select(c => c.Value).Order(StringComparer.Ordinal)],
            user.LockoutEnd is { } end && end > time.GetUtcNow(), user.PasswordHash is not null);
    }

    /// <summary>Field errors of a change (keys: Email, DisplayName, Roles, Areas); empty when it may be saved.</summary>
    public Dictionary<string, string> Check(string? email, StaffAccountChange change, bool creating)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (creating && (string.IsNullOrWhiteSpace(email) || !System.Net.Mail.MailAddress.TryCreate(email.Trim(), out var parsed) || parsed.Address != email.Trim()))
        {
            errors["Email"] = "accounts.error.email";
        }

        if (change.DisplayName is { Length: > DisplayNameLength })
        {
            errors["DisplayName"] = "accounts.error.displayName";
        }

        if (change.Roles.Count == 0 || change.Roles.Any(r => !PanelRoles.All.Contains(r)))
        {
            errors["Roles"] = "accounts.error.roles";
        }

        if (change.Areas.Any(a => !areas.Codes.Contains(a)))
        {
            errors["Areas"] = "accounts.error.areaUnknown";
        }
        else if (change.Roles.Contains(PanelRoles.DomainContact) && change.Areas.Count == 0)
        {
            errors["Areas"] = "accounts.error.areasRequired";
        }
        else if (!change.Roles.Contains(PanelRoles.DomainContact) && change.Areas.Count > 0)
        {
            errors["Areas"] = "accounts.error.areasOnlyContact";
        }

        return errors;
    }

    /// <summary>Creates the account without a password; null when the email is taken.</summary>
    public async Task<(StaffUser? User, IdentityResult Result)> CreateAsync(string email, StaffAccountChange change)
    {
        email = email.Trim();
        if (await users.FindByEmailAsync(email) is not null)
        {
            return (null, IdentityResult.Failed(new IdentityError { Code = "DuplicateEmail" }));
        }

        var user = new StaffUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            LockoutEnabled = true,
            DisplayName = string.IsNullOrWhiteSpace(change.DisplayName) ? null : change.DisplayName.Trim(),
        };
        var result = await users.CreateAsync(user);
        if (!result.Succeeded)
        {
            return (null, result);
        }

        await ApplyAsync(user, change);
        return (user, IdentityResult.Success);
    }

    public async Task<bool> UpdateAsync(string id, StaffAccountChange change)
    {
        if (await users.FindByIdAsync(id) is not { } user)
        {
            return false;
        }

        user.DisplayName = string.IsNullOrWhiteSpace(change.DisplayName) ? null : change.DisplayName.Trim();
        Check(await users.UpdateAsync(user));
        await ApplyAsync(user, change);
        return true;
    }

    private async Task ApplyAsync(StaffUser user, StaffAccountChange change)
    {
        var current = await users.GetRolesAsync(user);
        var remove = current.Where(r => !change.Roles.Contains(r)).ToList();
        var add = change.Roles.Where(r => !current.Contains(r)).Distinct().ToList();
        if (remove.Count > 0)
        {
            Check(await users.RemoveFromRolesAsync(user, remove));
        }

        if (add.Count > 0)
        {
            Check(await users.AddToRolesAsync(user, add));
        }

        var claims = (await users.GetClaimsAsync(user)).Where(c => c.Type == PanelClaims.ServiceArea).ToList();
        var removeAreas = claims.Where(c => !change.Areas.Contains(c.Value)).ToList();
        var addAreas = change.Areas.Distinct(StringComparer.Ordinal).Where(a => claims.All(c => c.Value != a))
            .Select(a => new Claim(PanelClaims.ServiceArea, a)).ToList();
        if (removeAreas.Count > 0)
        {
            Check(await users.RemoveClaimsAsync(user, removeAreas));
        }

        if (addAreas.Count > 0)
        {
            Check(await users.AddClaimsAsync(user, addAreas));
        }

        Check(await users.UpdateSecurityStampAsync(user));
    }

    /// <summary>Disables (a lockout without end) or enables the account; an administrator cannot disable themselves.</summary>
    public async Task<bool> SetDisabledAsync(string id, bool disabled)
    {
        if (await users.FindByIdAsync(id) is not { } user)
        {
            return false;
        }

        Check(await users.SetLockoutEnabledAsync(user, true));
        Check(await users.SetLockoutEndDateAsync(user, disabled ? DateTimeOffset.MaxValue : null));
        if (!disabled)
        {
            Check(await users.ResetAccessFailedCountAsync(user));
        }

        Check(await users.UpdateSecurityStampAsync(user));
        return true;
    }

    /// <summary>
    /// A one-time token to set the password (Identity's reset token: it is bound to the security stamp, so it is
    /// spent once a password is set, and expires with the token lifespan). Only the link is shown, once.
    /// </summary>
    public async Task<string?> SetPasswordTokenAsync(string id) =>
        await users.FindByIdAsync(id) is { } user ? await users.GeneratePasswordResetTokenAsync(user) : null;

    public static string SetPasswordLink(HttpRequest request, string userId, string token) =>
        $"{request.Scheme}://{request.Host.Value}/staff/set-password?user={Uri.EscapeDataString(userId)}&token={Uri.EscapeDataString(token)}";

    /// <summary>Writes one change to the audit log (<see cref="StaffAccountEvent"/>).</summary>
    public async Task RecordAsync(string actorId, string action, string accountId, CancellationToken ct)
    {
        var account = await FindAsync(accountId);
        db.StaffAccountEvents.Add(new StaffAccountEvent
        {
            At = time.GetUtcNow(),
            ActorId = actorId,
            Action = action,
            AccountId = accountId,
            Details = account is null ? null
                : $"roles: {string.Join(",", account.Roles)}; areas: {string.Join(",", account.Areas)}; disabled: {(account.Disabled ? "yes" : "no")}",
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The latest changes, newest first (all accounts, or one).</summary>
    public Task<List<StaffAccountEvent>> HistoryAsync(string? accountId, int max, CancellationToken ct) =>
        db.StaffAccountEvents.AsNoTracking().Where(e => accountId == null || e.AccountId == accountId)
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(max).ToListAsync(ct);

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("A staff account change failed: " + string.Join("; ", result.Errors.Select(e => e.Code)));
        }
    }
}
