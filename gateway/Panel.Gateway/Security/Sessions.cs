using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Security;

/// <summary>
/// The gateway's two sessions: staff (Identity's cookie "panel.staff") and residents (cookie
/// "panel.resident", signed in with an email link). They are separate schemes so that one can never
/// pass for the other: staff pages authenticate only the staff cookie, resident pages only the
/// resident cookie, and everything else (the proxy, public pages) takes the staff session when there
/// is one, else the resident session. Both cookies carry the id of a server-side record (<see cref="SessionStore"/>)
/// that every request checks and signing out deletes.
/// </summary>
public static class Sessions
{
    public const string ResidentScheme = "Resident";
    public const string ResidentCookie = "panel.resident";
    /// <summary>Pages and endpoints of a signed-in resident (/my*): the resident cookie only, challenge → /sign-in.</summary>
    public const string ResidentPolicy = "resident-session";
    /// <summary>The default authenticate scheme: the staff session, else the resident session.</summary>
    public const string EitherScheme = "staff-or-resident";

    public static bool IsStaff(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.FindFirst(ClaimTypes.NameIdentifier) is not null;

    public static bool IsResident(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && !IsStaff(user) && user.FindFirst(PanelClaims.PanelistId) is not null;

    /// <summary>The resident principal: the PanelistId and nothing a staff token could be made of.</summary>
    public static ClaimsPrincipal Resident(Guid panelistId) =>
        new(new ClaimsIdentity([new Claim(PanelClaims.PanelistId, panelistId.ToString())], ResidentScheme));

    public static AuthenticationBuilder AddPanelSessions(this IServiceCollection services)
    {
        services.AddAuthorization(o =>
        {
            // [Authorize] without a policy means staff: only the staff cookie is looked at, so a resident is challenged to /staff/sign-in.
            o.DefaultPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser()
                .Build();
            o.AddPolicy(ResidentPolicy, p => p.AddAuthenticationSchemes(ResidentScheme).RequireAuthenticatedUser().RequireClaim(PanelClaims.PanelistId));
            Accounts.StaffAccess.AddPolicies(o);
        });

        services.AddOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(ResidentScheme)
            .Configure<IOptions<SessionTimeoutOptions>>((o, timeouts) => o.ExpireTimeSpan = timeouts.Value.ResidentIdleTimeout + TimeSpan.FromHours(1));
        return services.AddAuthentication(o => o.DefaultAuthenticateScheme = EitherScheme)
            .AddScheme<AuthenticationSchemeOptions, EitherSessionHandler>(EitherScheme, o =>
            {
                o.ForwardChallenge = IdentityConstants.ApplicationScheme;
                o.ForwardForbid = IdentityConstants.ApplicationScheme;
            })
            .AddCookie(ResidentScheme, o =>
            {
                o.LoginPath = "/sign-in";
                o.AccessDeniedPath = "/sign-in";
                o.Cookie.Name = ResidentCookie;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // The record's idle limit (Sessions:ResidentIdleTimeout) ends the session; the ticket slides too
                // but lasts longer, only a backstop, so that the record's check is the one that runs.
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = ctx => GatewayExtensions.RedirectOrStatus(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => GatewayExtensions.RedirectOrStatus(ctx, StatusCodes.Status403Forbidden);
                SessionStore.Configure(o, SessionKind.Resident);
            });
    }

    /// <summary>Authenticates the staff cookie, else the resident cookie; never both into one principal.</summary>
    private sealed class EitherSessionHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var staff = await Context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
            if (staff.Succeeded)
            {
                return staff;
            }

            var resident = await Context.AuthenticateAsync(ResidentScheme);
            return resident.Succeeded ? resident : AuthenticateResult.NoResult();
        }
    }
}
