using Microsoft.EntityFrameworkCore;
using Panel.Messaging;
using Panel.Reporting.PanelHealth;
using Panel.Reporting.Representativeness;
using Panel.Reporting.SurveyResults;

namespace Panel.Reporting.Data;

public sealed class ReportingDbContext(DbContextOptions<ReportingDbContext> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<PanelMemberCount> PanelMemberCounts => Set<PanelMemberCount>();
    public DbSet<PanelDailyFlow> PanelDailyFlows => Set<PanelDailyFlow>();
    public DbSet<PanelDailySignIns> PanelDailySignIns => Set<PanelDailySignIns>();
    public DbSet<CurrentPopulationReference> CurrentPopulationReference => Set<CurrentPopulationReference>();
    public DbSet<PopulationGroup> PopulationGroups => Set<PopulationGroup>();
    public DbSet<ResultsSurvey> ResultsSurveys => Set<ResultsSurvey>();
    public DbSet<ResultsSurveyDefinition> ResultsSurveyDefinitions => Set<ResultsSurveyDefinition>();
    public DbSet<SurveyAnswerRollup> SurveyAnswerRollups => Set<SurveyAnswerRollup>();
    public DbSet<SurveyFreeText> SurveyFreeTexts => Set<SurveyFreeText>();
    public DbSet<SurveyFunnelDay> SurveyFunnelDays => Set<SurveyFunnelDay>();
    public DbSet<SurveyReportReader> SurveyReportReaders => Set<SurveyReportReader>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ReportingDbContext).Assembly);
        modelBuilder.AddOutboxAndInbox();
    }
}
