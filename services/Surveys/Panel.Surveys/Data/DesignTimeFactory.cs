using Panel.Messaging;

namespace Panel.Surveys.Data;

internal sealed class DesignTimeFactory : DesignTimeDbContextFactory<SurveysDbContext>;
