using Panel.ServiceDefaults;
using Panel.TestSupport;

namespace Panel.Surveys.Tests;

/// <summary>Generated hostile requests to every operation of Surveys' API: no 5xx, and nothing refused is stored.</summary>
public sealed class HostileInputTests(SurveysHost host) : IClassFixture<SurveysHost>
{
    [Fact]
    public async Task No_hostile_request_to_any_operation_gets_a_5xx_or_leaves_anything_behind()
    {
        string?[] tokens =
        [
            new Staff("staff-hostile", [.. PanelRoles.All], [SurveysHost.Area]).Token(),
            TestTokens.Resident(ServiceNames.Surveys, Guid.NewGuid()),
            TestTokens.Public(ServiceNames.Surveys),
            null,
        ];

        // Surveys in every state, one of them open to anyone with its link: hostile bodies reach the code behind the lookups.
        var author = Staff.Author();
        var (openLink, publicId) = await host.OpenLinkSurveyAsync();
        var ids = new List<string> { openLink.ToString() };
        foreach (var state in new[] { "draft", "in-review", "open", "closed" })
        {
            ids.Add((await host.SurveyInStateAsync(author, state)).ToString());
        }

        var known = new Dictionary<string, string[]> { ["id"] = [.. ids], ["publicId"] = [publicId] };
        var outcomes = await HostileRequests.CheckAsync(ServiceNames.Surveys, host.Client(null), tokens, host.Database, known);

        HostileRequestsCoverage.Assert(outcomes);
    }
}
