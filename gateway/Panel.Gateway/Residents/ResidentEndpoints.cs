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
        app.MapGet("/my/export", async (HttpContext context, BackendClient backend) =>
        {
            var response = await backend.GetResponseAsync(ServiceNames.Membership, "/api/membership/me/export", context.User, context.RequestAborted);
            if (!response.IsSuccessStatusCode)
            {
                response.Dispose();
                return Results.LocalRedirect("/my?failed=export");
            }

            context.Response.RegisterForDispose(response);
            context.Response.Headers.CacheControl = "no-store";
            var fileName = response.Content.Headers.ContentDisposition?.FileNameStar
                ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"')
                ?? ExportFileName;
            return Results.Stream(
                await response.Content.ReadAsStreamAsync(context.RequestAborted),
                response.Content.Headers.ContentType?.ToString() ?? "application/json",
                LocalFileName(fileName));
        }).RequireAuthorization(Sessions.ResidentPolicy).ExcludeFromDescription();

        return app;
    }

    // The service names the file; only a plain name of its own is passed on.
    private static string LocalFileName(string name) =>
        name.Length is > 0 and <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && !name.StartsWith('.')
            ? name
            : ExportFileName;
}
