using Panel.TestSupport;

namespace Panel.Membership.Tests;

public sealed class MembershipHost : ServiceHost<Program>
{
    protected override string ServiceName => ServiceNames.Membership;
    protected override string DatabaseConnectionName => ConnectionNames.MembershipDb;
}
