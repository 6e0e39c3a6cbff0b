using Microsoft.EntityFrameworkCore;
using Panel.Messaging;
using Panel.Reporting.PanelHealth;
using Panel.Reporting.Representativeness;

namespace Panel.Reporting.Data;

public sealed class ReportingDbContext(DbContextOptions<ReportingDbContext> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<PanelMemberCount> PanelMemberCounts => Set<PanelMemberCount>();
    public DbSet<PanelDailyFlow> PanelDailyFlows => Set<PanelDailyFlow>();
    public DbSet<PanelDailySignIns> PanelDailySignIns => Set<PanelDailySignIns>();
    public DbSet<CurrentPopulationReference> CurrentPopulationReference => Set<CurrentPopulationReference>();
    public DbSet<PopulationGroup> PopulationGroups => Set<PopulationGroup>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ReportingDbContext).Assembly);
        modelBuilder.AddOutboxAndInbox();
    }
}
