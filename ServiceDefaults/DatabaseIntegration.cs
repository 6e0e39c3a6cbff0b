using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Panel.ServiceDefaults;

namespace Microsoft.Extensions.Hosting;

public static class DatabaseIntegration
{
    /// <summary>
    /// Aspire's client integration on a DbContext that the caller registered (AddDbContext, not Aspire's pool, since
    /// Panel's contexts are registered with their interceptors and naming convention): Npgsql's traces and metrics
    /// and the settings under Aspire:Npgsql:EntityFrameworkCore:PostgreSQL (e.g. CommandTimeout). Its health check
    /// is Panel's own "database" check below, the name /health reports and probes read. Its retrying execution
    /// strategy is replaced by <see cref="PanelExecutionStrategy"/>: Panel's code opens its own transactions (the
    /// outbox is written in the same one), which Npgsql's own strategy refuses; that one retries what runs outside
    /// them and leaves the transactions to <see cref="TransientFailureRetry"/>.
    /// </summary>
    public static IHostApplicationBuilder EnrichPanelDbContext<TContext>(this IHostApplicationBuilder builder)
        where TContext : DbContext
    {
        builder.EnrichNpgsqlDbContext<TContext>(settings =>
        {
            settings.DisableRetry = true;
            settings.DisableHealthChecks = true;
        });
        builder.Services.ConfigureDbContext<TContext>(o => o
            .UseNpgsql(npgsql => npgsql.ExecutionStrategy(dependencies => new PanelExecutionStrategy(dependencies)))
            .AddInterceptors(DatabaseWorkInterceptor.Instance));
        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>("database", HealthStatus.Unhealthy, [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }

    /// <summary>
    /// Applies a process's EF Core migrations. With <c>--migrate</c> on the command line it applies them and reports
    /// that the process should exit (deployment jobs); otherwise it applies them at start when
    /// <c>Database:MigrateOnStart</c> is true (the AppHost's runs).
    /// </summary>
    public static async Task<bool> MigrateAsync<TContext>(this WebApplication app, string[] args)
        where TContext : DbContext
    {
        var migrateOnly = args.Contains("--migrate");
        if (!migrateOnly && !app.Configuration.GetValue("Database:MigrateOnStart", false))
        {
            return false;
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TContext>().Database.MigrateAsync();
        }

        if (migrateOnly)
        {
            app.Logger.LogInformation("Migrations of {Context} applied; exiting (--migrate)", typeof(TContext).Name);
        }

        return migrateOnly;
    }
}
