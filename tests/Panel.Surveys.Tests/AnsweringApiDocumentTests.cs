using System.Net;
using System.Text.Json;
using Panel.ServiceDefaults;
using Panel.TestSupport;

namespace Panel.Surveys.Tests;

/// <summary>The answering routes are described in the service's OpenAPI document, which the gateway's reference page shows.</summary>
public sealed class AnsweringApiDocumentTests(SurveysHost host) : IClassFixture<SurveysHost>
{
    [Fact]
    public async Task The_OpenAPI_document_lists_the_answering_target_group_and_assisted_routes_with_no_token_in_a_path()
    {
        var response = await host.Client(TestTokens.Public(ServiceNames.Surveys)).GetAsync("/api/surveys/openapi/v1.json");

        var paths = (await response.BodyAsync(HttpStatusCode.OK)).GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/surveys/answering/invitation/form", paths);
        Assert.Contains("/api/surveys/answering/invitation/draft", paths);
        Assert.Contains("/api/surveys/answering/invitation/submit", paths);
        Assert.Contains("/api/surveys/answering/open/{publicId}/submit", paths);
        Assert.Contains("/api/surveys/{id}/target-group", paths);
        Assert.Contains("/api/surveys/{id}/assisted-responses", paths);
        Assert.Contains("/api/surveys/assisted-profile-values", paths);
        Assert.DoesNotContain(paths, p => p.Contains("token", StringComparison.OrdinalIgnoreCase) || p.Contains("resume", StringComparison.OrdinalIgnoreCase));
    }
}
