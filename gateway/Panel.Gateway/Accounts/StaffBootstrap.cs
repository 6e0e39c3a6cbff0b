using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Panel.Gateway.Data;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Accounts;

public sealed class BootstrapOptions
{
    public const string Section = "Bootstrap";

    /// <summary>First administrator, created at start when it does not exist yet.</summary>
    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
}

/// <summary>
/// At start: the roles exist; the first administrator comes from configuration, or, when no staff
/// account exists and none is configured, a one-time setup link is printed.
/// </summary>
public static partial class StaffBootstrap
{
    public static async Task RunAsync(IServiceProvider services, string publicUrlHint)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var roles = sp.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in PanelRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), "create role " + role);
            }
        }

        var users = sp.GetRequiredService<UserManager<StaffUser>>();
        var options = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<BootstrapOptions>>().Value;
        var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Panel.Gateway.Bootstrap");

        if (!string.IsNullOrWhiteSpace(options.AdminEmail) && !string.IsNullOrEmpty(options.AdminPassword))
        {
            if (await users.FindByEmailAsync(options.AdminEmail) is null)
            {
                Check(await CreateAdministratorAsync(users, options.AdminEmail, options.AdminPassword), "create the configured administrator (Bootstrap:AdminEmail)");
                LogAdminCreated(logger);
            }

            return;
        }

        if (!await users.Users.AnyAsync())
        {
            var token = sp.GetRequiredService<SetupToken>().Create();
            // Printed to the console on purpose, not logged: log pipelines must not carry tokens.
            Console.WriteLine($"Panel has no staff accounts. Create the first administrator once at {publicUrlHint.TrimEnd('/')}/setup?token={token}");
        }
    }

    public static async Task<IdentityResult> CreateAdministratorAsync(UserManager<StaffUser> users, string email, string password)
    {
        var user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, LockoutEnabled = true };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            return result;
        }

        return await users.AddToRolesAsync(user, [PanelRoles.ItAdmin, PanelRoles.Coordinator]);
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The configured first administrator was created")]
    private static partial void LogAdminCreated(ILogger logger);
}
