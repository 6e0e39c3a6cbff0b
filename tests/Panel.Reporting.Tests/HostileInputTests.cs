using Panel.ServiceDefaults;
using Panel.TestSupport;

namespace Panel.Reporting.Tests;

/// <summary>Generated hostile requests to every operation of Reporting's API: no 5xx, and nothing refused is stored.</summary>
public sealed class HostileInputTests(ReportingHost host) : IClassFixture<ReportingHost>
{
    [Fact]
    public async Task No_hostile_request_to_any_operation_gets_a_5xx_or_leaves_anything_behind()
    {
        string?[] tokens =
        [
            TestTokens.Staff(ServiceNames.Reporting, [.. PanelRoles.All]),
            TestTokens.Resident(ServiceNames.Reporting, Guid.NewGuid()),
            TestTokens.Public(ServiceNames.Reporting),
            null,
        ];

        var outcomes = await HostileRequests.CheckAsync(ServiceNames.Reporting, host.Client(), tokens, host.Database);

        HostileRequestsCoverage.Assert(outcomes);
    }
}
