using Panel.Messaging;

namespace Panel.Reporting.Data;

internal sealed class DesignTimeFactory : DesignTimeDbContextFactory<ReportingDbContext>;
