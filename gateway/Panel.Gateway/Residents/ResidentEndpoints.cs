using Microsoft.AspNetCore.Authentication;
using Panel.Gateway.Backends;
using Panel.Gateway.Security;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Residents;

/// <summary>The resident session's endpoints that are not pages: sign-out and the data download.</summary>
public static class ResidentEndpoints
{
    public const string ExportFileName = "panel-my-data.json";

    public static WebApplication MapResidentEndpoints(this WebApplication app)
    {
        // Taking the form makes the endpoint check the antiforgery token; the policy makes the token's
        // user the resident whose /my page rendered it, even when a staff session is open too.
        app.MapPost("/sign-out", async (IFormCollection form, HttpContext context) =>
        {
            await context.SignOutAsync(Sessions.ResidentScheme);
            return Results.LocalRedirect("/");
        }).RequireAuthorization(Sessions.ResidentPolicy).ExcludeFromDescription();

        // The member's own data as a file, streamed from Membership without being held here.
        app.MapGet("/my/export", async (HttpContext context, Backends.Membership.IMembershipClient membership) =>
        {
            Backends.Membership.FileResponse file;
            try
            {
                file = await membership.ExportMyDataAsync(context.RequestAborted);
            }
            catch (Backends.ServiceException)
            {
                return Results.LocalRedirect("/my?failed=export");
            }

            context.Response.RegisterForDispose(file);
            context.Response.Headers.CacheControl = "no-store";
            var disposition = file.Headers.TryGetValue("Content-Disposition", out var values)
                && System.Net.Http.Headers.ContentDispositionHeaderValue.TryParse(values.FirstOrDefault(), out var parsed) ? parsed : null;
            var fileName = disposition?.FileNameStar ?? disposition?.FileName?.Trim('"') ?? ExportFileName;
            var contentType = file.Headers.TryGetValue("Content-Type", out var types) ? types.FirstOrDefault() : null;
            return Results.Stream(file.Stream, contentType ?? "application/json", LocalFileName(fileName));
        }).RequireAuthorization(Sessions.ResidentPolicy).ExcludeFromDescription();

        return app;
    }

    // The service names the file; only a plain name of its own is passed on.
    private static string LocalFileName(string name) =>
        name.Length is > 0 and <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && !name.StartsWith('.')
            ? name
            : ExportFileName;
}
