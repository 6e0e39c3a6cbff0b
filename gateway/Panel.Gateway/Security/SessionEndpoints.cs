using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Panel.Gateway.Security;

/// <summary>What the staff session timeout warning (wwwroot/session-timeout.js) asks: how long is left, and "continue".</summary>
public static class SessionEndpoints
{
    public const string ExtendPath = "/staff/session/extend";

    /// <summary>Seconds until the staff session ends for inactivity, and until it ends in any case (0: it has ended).</summary>
    public sealed record SessionStatus(long IdleSeconds, long AbsoluteSeconds);

    public static WebApplication MapSessionEndpoints(this WebApplication app)
    {
        // Open to anyone so that an ended session is an answer (zeros), not a redirect to the sign-in page;
        // asking does not count as activity (SessionStore.StatusPath).
        app.MapGet(SessionStore.StatusPath, async (HttpContext context, SessionStore store) =>
        {
            await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
            context.Response.Headers.CacheControl = "no-store";
            var (idle, absolute) = store.Remaining(SessionStore.Active(context, IdentityConstants.ApplicationScheme));
            return Results.Ok(new SessionStatus(idle, absolute));
        }).ExcludeFromDescription();

        // Taking the form makes the endpoint check the antiforgery token. The script asks for JSON; without
        // scripts the form posts here and comes back to the page.
        app.MapPost(ExtendPath, async (IFormCollection form, HttpContext context, SessionStore store) =>
        {
            var (idle, absolute) = store.Remaining(await store.ExtendAsync(context));
            if (context.Request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true))
            {
                context.Response.Headers.CacheControl = "no-store";
                return Results.Ok(new SessionStatus(idle, absolute));
            }

            return Results.LocalRedirect(LocalUrl.OrHome(form["returnUrl"].ToString()));
        }).RequireAuthorization().ExcludeFromDescription();

        return app;
    }
}
