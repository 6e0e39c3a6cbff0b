using Panel.ServiceDefaults;
using Panel.TestSupport;

namespace Panel.Membership.Tests;

/// <summary>Generated hostile requests to every operation of Membership's API: no 5xx, and nothing refused is stored.</summary>
public sealed class HostileInputTests(MembershipHost host) : IClassFixture<MembershipHost>
{
    [Fact]
    public async Task No_hostile_request_to_any_operation_gets_a_5xx_or_leaves_anything_behind()
    {
        string?[] tokens =
        [
            TestTokens.Staff(ServiceNames.Membership, [.. PanelRoles.All]),
            TestTokens.Resident(ServiceNames.Membership, Guid.NewGuid()),
            TestTokens.Public(ServiceNames.Membership),
            null,
        ];

        var outcomes = await HostileRequests.CheckAsync(ServiceNames.Membership, host.Client(), tokens, host.Database);

        HostileRequestsCoverage.Assert(outcomes);
    }
}
