using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Panel.ServiceDefaults;

namespace Microsoft.Extensions.Hosting;

public static class DatabaseIntegration
{
    /// <summary>
    /// Aspire's client integration on a DbContext that the caller registered (AddDbContext, not Aspire's pool, since
    /// Panel's contexts are registered with their interceptors and naming convention): Npgsql's traces and metrics
    /// and the settings under Aspire:Npgsql:EntityFrameworkCore:PostgreSQL (e.g. CommandTimeout). Its health check
    /// is Panel's own "database" check below, the name /health reports and probes read. Its retrying execution
    /// strategy is off: Panel's code opens its own transactions (the outbox is written in the same one), which a
    /// retrying strategy refuses.
    /// </summary>
    public static IHostApplicationBuilder EnrichPanelDbContext<TContext>(this IHostApplicationBuilder builder)
        where TContext : DbContext
    {
        builder.EnrichNpgsqlDbContext<TContext>(settings =>
        {
            settings.DisableRetry = true;
            settings.DisableHealthChecks = true;
        });
        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>("database", HealthStatus.Unhealthy, [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }
}
