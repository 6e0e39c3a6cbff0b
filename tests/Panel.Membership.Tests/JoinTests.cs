using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Panel.TestSupport;

namespace Panel.Membership.Tests;

public sealed class JoinTests(MembershipHost host) : IClassFixture<MembershipHost>
{
    private static int ThisYear => DateTime.UtcNow.Year;

    private HttpClient Public() => host.Client(TestTokens.Public(ServiceNames.Membership));

    private static object ValidJoin(string email) => new
    {
        email,
        phone = "+358 40 123 4567",
        birthYear = ThisYear - 40,
        municipality = "Tampere",
        gender = "woman",
        language = "fi",
        isClient = true,
        consent = true,
        campaignCode = "POSTER-1",
    };

    private static string NewEmail() => $"resident-{Guid.NewGuid():N}@example.fi";

    private Task<long> MembersWith(string email) =>
        host.Database.ScalarAsync<long>("SELECT count(*) FROM members WHERE email = @p0", email.ToLowerInvariant());

    [Fact]
    public async Task A_join_right_after_the_database_closed_every_connection_is_stored()
    {
        // The service keeps the connection of this join in its pool; a database restart would close it.
        Assert.Equal(HttpStatusCode.Accepted, (await Public().PostAsJsonAsync("/api/membership/members", ValidJoin(NewEmail()))).StatusCode);
        Assert.True(await host.Database.TerminateConnectionsAsync() > 0, "The service held no connection to close.");
        var email = NewEmail();

        var response = await Public().PostAsJsonAsync("/api/membership/members", ValidJoin(email));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, await MembersWith(email));
    }

    [Fact]
    public async Task Join_stores_the_member_and_a_MemberJoined_event_without_contact_details_in_one_transaction()
    {
        var email = NewEmail();
        var response = await Public().PostAsJsonAsync("/api/membership/members", ValidJoin(email));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, await MembersWith(email));
        var id = await host.Database.ScalarAsync<string>("SELECT id::text FROM members WHERE email = @p0", email);
        var body = await host.Database.ScalarAsync<string>(
            "SELECT body::text FROM outbox_messages WHERE message_type = 'Panel.Contracts.MemberJoined' AND body->>'panelistId' = @p0", id);
        using var json = JsonDocument.Parse(body);
        var profile = json.RootElement.GetProperty("profile");
        Assert.Equal("35-44", profile.GetProperty("ageBand").GetString());
        Assert.Equal("Tampere", profile.GetProperty("municipality").GetString());
        Assert.Equal("woman", profile.GetProperty("gender").GetString());
        Assert.DoesNotContain(email, body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("358", body);
        Assert.DoesNotContain("birthYear", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_relay_publishes_the_event_and_marks_it_sent()
    {
        var email = NewEmail();
        await Public().PostAsJsonAsync("/api/membership/members", ValidJoin(email));
        var id = await host.Database.ScalarAsync<string>("SELECT id::text FROM members WHERE email = @p0", email);

        var sent = await Eventually.UntilAsync(
            () => host.Database.ScalarAsync<long>(
                "SELECT count(*) FROM outbox_messages WHERE body->>'panelistId' = @p0 AND sent_at IS NOT NULL", id),
            n => n == 1, TimeSpan.FromSeconds(30), "the MemberJoined event to be relayed");
        Assert.Equal(1, sent);
    }

    [Fact]
    public async Task Joining_again_with_the_same_email_answers_alike_and_keeps_one_member()
    {
        var email = NewEmail();
        var first = await Public().PostAsJsonAsync("/api/membership/members", ValidJoin(email));
        var second = await Public().PostAsJsonAsync("/api/membership/members", ValidJoin(email.ToUpperInvariant()));

        Assert.Equal(first.StatusCode, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(1, await MembersWith(email));
    }

    [Fact]
    public async Task Concurrent_joins_with_one_email_create_one_member_and_one_event()
    {
        var email = NewEmail();
        var client = Public();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => client.PostAsJsonAsync("/api/membership/members", ValidJoin(email))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Equal(1, await MembersWith(email));
        var id = await host.Database.ScalarAsync<string>("SELECT id::text FROM members WHERE email = @p0", email);
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE body->>'panelistId' = @p0", id));
    }

    public static TheoryData<string, string> BadJoins()
    {
        var year = DateTime.UtcNow.Year;
        string Body(string email, string overrides) =>
            "{" + $"\"email\":\"{email}\",\"birthYear\":{year - 30},\"municipality\":\"Nokia\",\"language\":\"sv\",\"consent\":true" + overrides + "}";
        return new TheoryData<string, string>
        {
            { "email", "{\"birthYear\":1980,\"municipality\":\"Nokia\",\"language\":\"fi\",\"consent\":true}" },
            { "email", Body("not-an-email", "") },
            { "email", Body("a@b@c", "") },
            { "birthYear", Body("{EMAIL}", $",\"birthYear\":{year + 1}") },
            { "birthYear", Body("{EMAIL}", $",\"birthYear\":{year - 10}") },
            { "birthYear", Body("{EMAIL}", ",\"birthYear\":1850") },
            { "birthYear", Body("{EMAIL}", ",\"birthYear\":\"nineteen-eighty\"") },
            { "birthYear", Body("{EMAIL}", ",\"birthYear\":null") },
            { "municipality", Body("{EMAIL}", ",\"municipality\":\"Helsinki\"") },
            { "municipality", Body("{EMAIL}", ",\"municipality\":\"\"") },
            { "gender", Body("{EMAIL}", ",\"gender\":\"robot\"") },
            { "language", Body("{EMAIL}", ",\"language\":\"de\"") },
            { "consent", Body("{EMAIL}", ",\"consent\":false") },
            { "phone", Body("{EMAIL}", ",\"phone\":\"call me maybe\"") },
            { "isClient", Body("{EMAIL}", ",\"isClient\":\"sometimes\"") },
        };
    }

    [Theory]
    [MemberData(nameof(BadJoins))]
    public async Task Bad_input_is_a_400_naming_the_field_and_stores_nothing(string field, string json)
    {
        var email = NewEmail();
        var outboxBefore = await host.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages");
        // JSON keys repeat the overridden field; the last one wins, as in System.Text.Json.
        var content = new StringContent(json.Replace("{EMAIL}", email), Encoding.UTF8, "application/json");

        var response = await Public().PostAsync("/api/membership/members", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"errors should name '{field}': {errors}");
        Assert.Equal(0, await MembersWith(email));
        Assert.Equal(outboxBefore, await host.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        var response = await Public().PostAsync("/api/membership/members",
            new StringContent("{\"email\": ", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_a_problem_and_stores_nothing()
    {
        var before = await host.Database.ScalarAsync<long>("SELECT count(*) FROM members");
        var huge = "{\"email\":\"" + new string('a', 10 * 1024 * 1024) + "@example.fi\"}";

        var response = await Public().PostAsync("/api/membership/members", new StringContent(huge, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await host.Database.ScalarAsync<long>("SELECT count(*) FROM members"));
    }

    [Fact]
    public async Task Join_options_list_the_configured_municipalities()
    {
        var options = await Public().GetFromJsonAsync<JsonElement>("/api/membership/join-options");

        var municipalities = options.GetProperty("municipalities").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("Tampere", municipalities);
        Assert.Contains("Mänttä-Vilppula", municipalities);
        Assert.Equal(["woman", "man", "other", "unspecified"], options.GetProperty("genders").EnumerateArray().Select(e => e.GetString()));
    }
}
