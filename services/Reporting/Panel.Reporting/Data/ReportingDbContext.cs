using Microsoft.EntityFrameworkCore;
using Panel.Messaging;
using Panel.Reporting.PanelComposition;

namespace Panel.Reporting.Data;

public sealed class ReportingDbContext(DbContextOptions<ReportingDbContext> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<PanelGroupCount> PanelGroupCounts => Set<PanelGroupCount>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ReportingDbContext).Assembly);
        modelBuilder.AddOutboxAndInbox();
    }
}
