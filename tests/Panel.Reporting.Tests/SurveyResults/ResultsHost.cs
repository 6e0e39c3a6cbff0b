using Panel.TestSupport;

namespace Panel.Reporting.Tests.SurveyResults;

/// <summary>Reporting on its own database and virtual host, with data a test class seeds once.</summary>
public abstract class SeededResultsHost : ServiceHost<Program>
{
    protected override string ServiceName => ServiceNames.Reporting;
    protected override string DatabaseConnectionName => ConnectionNames.ReportingDb;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await SeedAsync();
    }

    protected abstract Task SeedAsync();
}
