using System.Security.Claims;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests.SurveyResults;

/// <summary>The gateway with Reporting (and Surveys, for option labels) pointing at a <see cref="FakeReporting"/>.</summary>
public sealed class ResultsGatewayHost : GatewayHost, IAsyncLifetime
{
    public FakeReporting Fake { get; private set; } = default!;

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings[$"services:{ServiceNames.Reporting}:http:0"] = Fake.Address.GetLeftPart(UriPartial.Authority);
        settings[$"services:{ServiceNames.Surveys}:http:0"] = Fake.Address.GetLeftPart(UriPartial.Authority);
    }

    /// <summary>A browser signed in as a new staff member with <paramref name="roles"/> (and service <paramref name="areas"/>), and the member's id.</summary>
    public async Task<(Browser Browser, string Id, string Email)> StaffAsync(string[] roles, params string[] areas)
    {
        var user = await CreateStaffAsync(roles);
        if (areas.Length > 0)
        {
            await WithUsersAsync(async users => await users.AddClaimsAsync((await users.FindByIdAsync(user.Id))!, [.. areas.Select(a => new Claim(PanelClaims.ServiceArea, a))]));
        }

        return (await SignedInAsync(user.Email!, StaffPassword), user.Id, user.Email!);
    }

    async Task IAsyncLifetime.InitializeAsync()
    {
        Fake = await FakeReporting.StartAsync();
        await InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Fake.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ResultsGatewayCollection : ICollectionFixture<ResultsGatewayHost>
{
    public const string Name = "results-gateway";
}
