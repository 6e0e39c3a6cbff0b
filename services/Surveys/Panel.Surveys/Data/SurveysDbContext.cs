using Microsoft.EntityFrameworkCore;
using Panel.Messaging;

namespace Panel.Surveys.Data;

public sealed class SurveysDbContext(DbContextOptions<SurveysDbContext> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SurveysDbContext).Assembly);
        modelBuilder.AddOutboxAndInbox();
    }
}
