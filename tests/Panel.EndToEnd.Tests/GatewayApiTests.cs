using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Panel.EndToEnd.Tests;

/// <summary>The REST API as integrating systems reach it: through the gateway, and only through it.</summary>
[Collection(PanelCollection.Name)]
public sealed class GatewayApiTests(PanelSystem system)
{
    private static int ThisYear => DateTime.UtcNow.Year;

    private Task<long> MembersWith(string email) =>
        system.MembershipDatabase.ScalarAsync<long>("SELECT count(*) FROM members WHERE email = @p0", email.ToLowerInvariant());

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    // Tampere in the shared band: another small group, which only gives suppression more partners (see Residents).
    private static string JoinJson(string email, int birthYear, string extra = "") =>
        $$"""{"email":"{{email}}","birthYear":{{birthYear}},"municipality":"Tampere","language":"fi","consent":true{{extra}}}""";

    [Fact]
    public async Task A_valid_join_through_the_gateway_is_accepted_and_stored()
    {
        var email = Residents.NewEmail("api");

        var response = await system.Gateway().PostAsync("/api/membership/members", Json(JoinJson(email, Residents.BirthYear)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, await MembersWith(email));
    }

    [Fact]
    public async Task A_birth_year_in_the_future_is_a_400_problem_naming_birthYear_and_stores_nothing()
    {
        var email = Residents.NewEmail("future");

        var response = await system.Gateway().PostAsync("/api/membership/members", Json(JoinJson(email, ThisYear + 1)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("birthYear", out _), problem.RootElement.ToString());
        Assert.Equal(0, await MembersWith(email));
    }

    [Fact]
    public async Task A_10_MB_body_is_refused_with_413_problem_and_stores_nothing()
    {
        var email = Residents.NewEmail("huge");
        // Valid apart from its size: the unknown property would be ignored if the body were read.
        var json = JoinJson(email, ThisYear - 40, $",\"padding\":\"{new string('a', 10 * 1024 * 1024)}\"");

        var response = await system.Gateway().PostAsync("/api/membership/members", Json(json));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await MembersWith(email));
    }

    [Fact]
    public async Task Malformed_json_through_the_gateway_is_a_400_problem()
    {
        var response = await system.Gateway().PostAsync("/api/membership/members", Json("{\"email\": "));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public static TheoryData<string, string> ServicePaths() => new()
    {
        { ServiceNames.Membership, "/api/membership/join-options" },
        { ServiceNames.Surveys, "/api/surveys/openapi/v1.json" },
        { ServiceNames.Feedback, "/api/feedback/openapi/v1.json" },
        { ServiceNames.Reporting, "/api/reporting/panel/composition" },
    };

    [Theory]
    [MemberData(nameof(ServicePaths))]
    public async Task A_service_called_on_its_own_port_without_the_gateway_token_answers_401(string service, string path)
    {
        var direct = await system.Direct(service).GetAsync(path);
        var health = await system.Direct(service).GetAsync("/health");

        Assert.Equal(HttpStatusCode.Unauthorized, direct.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode); // the port is right: the service is up and refusing
    }

    [Fact]
    public async Task A_join_posted_to_membership_directly_is_401_and_stores_nothing()
    {
        var email = Residents.NewEmail("around");

        var response = await system.Direct(ServiceNames.Membership).PostAsync("/api/membership/members", Json(JoinJson(email, ThisYear - 40)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await MembersWith(email));
    }

    [Fact]
    public async Task The_panel_composition_is_forbidden_to_anonymous_callers_of_the_gateway()
    {
        var client = system.Gateway();

        var anonymous = await client.GetAsync("/api/reporting/panel/composition");
        var joinOptions = await client.GetAsync("/api/membership/join-options");

        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, joinOptions.StatusCode); // the same caller reaches public endpoints
    }

    [Fact]
    public async Task A_bearer_token_from_the_caller_does_not_pass_the_gateway()
    {
        var client = system.Gateway();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/reporting/panel/composition");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Panel.TestSupport.TestTokens.Staff(ServiceNames.Reporting, "Coordinator"));

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task The_API_reference_is_served_at_scalar()
    {
        // Scalar moves /scalar to /scalar/; a browser follows, and so does this client.
        using var client = new HttpClient { BaseAddress = system.GatewayUrl };

        var response = await client.GetAsync("/scalar");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Panel API", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(ServiceNames.Membership)]
    [InlineData(ServiceNames.Surveys)]
    [InlineData(ServiceNames.Feedback)]
    [InlineData(ServiceNames.Reporting)]
    public async Task Each_service_OpenAPI_document_is_served_through_the_gateway(string service)
    {
        var response = await system.Gateway().GetAsync($"/api/{service}/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("3.", document.RootElement.GetProperty("openapi").GetString());
        Assert.Equal($"Panel {service} API", document.RootElement.GetProperty("info").GetProperty("title").GetString());
    }
}
