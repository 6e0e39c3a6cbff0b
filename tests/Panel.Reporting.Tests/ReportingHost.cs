using Panel.TestSupport;

namespace Panel.Reporting.Tests;

public sealed class ReportingHost : ServiceHost<Program>
{
    protected override string ServiceName => ServiceNames.Reporting;
    protected override string DatabaseConnectionName => ConnectionNames.ReportingDb;
}
