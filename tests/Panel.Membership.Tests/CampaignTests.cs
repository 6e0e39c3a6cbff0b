using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Panel.ServiceDefaults;
using Panel.TestSupport;

namespace Panel.Membership.Tests;

/// <summary>Recruitment campaigns created by the coordinator; joins carry their code in upper case.</summary>
public sealed class CampaignTests(MembershipHost host) : IClassFixture<MembershipHost>
{
    private HttpClient Coordinator() => host.Client(TestTokens.Staff(ServiceNames.Membership, PanelRoles.Coordinator));

    private static string NewCode() => "C-" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();

    private Task<long> CampaignCount() => host.Database.ScalarAsync<long>("SELECT count(*) FROM campaigns");

    [Fact]
    public async Task Creating_a_campaign_stores_it_with_a_location_and_lists_it()
    {
        var code = NewCode();

        var response = await Coordinator().PostAsJsonAsync("/api/membership/campaigns", new
        {
            code = code.ToLowerInvariant(), name = "Tampere bus stops, spring", channel = "mall-screen", startsOn = "2026-03-01", endsOn = "2026-03-31",
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/membership/campaigns/{code}", response.Headers.Location?.OriginalString);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, created.GetProperty("code").GetString());
        Assert.Equal("mall-screen", created.GetProperty("channel").GetString());
        Assert.Equal("2026-03-31", created.GetProperty("endsOn").GetString());
        var one = await Coordinator().GetFromJsonAsync<JsonElement>(response.Headers.Location!.OriginalString);
        Assert.Equal("Tampere bus stops, spring", one.GetProperty("name").GetString());
        var list = await host.Client(TestTokens.Staff(ServiceNames.Membership, PanelRoles.ItAdmin)).GetFromJsonAsync<JsonElement>("/api/membership/campaigns");
        var listed = list.EnumerateArray().Single(c => c.GetProperty("code").GetString() == code);
        Assert.Equal("2026-03-01", listed.GetProperty("startsOn").GetString());
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM campaigns WHERE code = @p0", code));
        Assert.Equal(HttpStatusCode.NotFound, (await Coordinator().GetAsync("/api/membership/campaigns/NO-SUCH-" + Guid.NewGuid().ToString("N")[..8])).StatusCode);
    }

    [Fact]
    public async Task An_open_ended_campaign_has_no_end_date()
    {
        var code = NewCode();

        var response = await Coordinator().PostAsJsonAsync("/api/membership/campaigns", new { code, name = "Website", channel = "other", startsOn = "2026-01-01" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("endsOn").ValueKind);
    }

    [Fact]
    public async Task A_duplicate_code_is_a_409_also_in_another_case()
    {
        var code = NewCode();
        (await Coordinator().PostAsJsonAsync("/api/membership/campaigns", new { code, name = "First", channel = "poster", startsOn = "2026-01-01" })).EnsureSuccessStatusCode();

        var duplicate = await Coordinator().PostAsJsonAsync("/api/membership/campaigns", new { code = code.ToLowerInvariant(), name = "Second", channel = "cinema", startsOn = "2026-02-01" });

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal("application/problem+json", duplicate.Content.Headers.ContentType?.MediaType);
        Assert.Equal("First", await host.Database.ScalarAsync<string>("SELECT name FROM campaigns WHERE code = @p0", code));
    }

    public static TheoryData<string, string> BadCampaigns() => new()
    {
        { "code", "{\"name\":\"N\",\"channel\":\"poster\",\"startsOn\":\"2026-01-01\"}" },
        { "code", "{\"code\":\"A\",\"name\":\"N\",\"channel\":\"poster\",\"startsOn\":\"2026-01-01\"}" },
        { "code", "{\"code\":\"BAD CODE\",\"name\":\"N\",\"channel\":\"poster\",\"startsOn\":\"2026-01-01\"}" },
        { "code", "{\"code\":\"ÄÄNI-1\",\"name\":\"N\",\"channel\":\"poster\",\"startsOn\":\"2026-01-01\"}" },
        { "code", "{\"code\":\"" + new string('A', 41) + "\",\"name\":\"N\",\"channel\":\"poster\",\"startsOn\":\"2026-01-01\"}" },
        { "name", "{\"code\":\"OK-1\",\"channel\":\"poster\",\"startsOn\":\"2026-01-01\"}" },
        { "name", "{\"code\":\"OK-1\",\"name\":\"  \",\"channel\":\"poster\",\"startsOn\":\"2026-01-01\"}" },
        { "name", "{\"code\":\"OK-1\",\"name\":\"" + new string('n', 201) + "\",\"channel\":\"poster\",\"startsOn\":\"2026-01-01\"}" },
        { "channel", "{\"code\":\"OK-1\",\"name\":\"N\",\"startsOn\":\"2026-01-01\"}" },
        { "channel", "{\"code\":\"OK-1\",\"name\":\"N\",\"channel\":\"radio\",\"startsOn\":\"2026-01-01\"}" },
        { "channel", "{\"code\":\"OK-1\",\"name\":\"N\",\"channel\":\"Poster\",\"startsOn\":\"2026-01-01\"}" },
        { "startsOn", "{\"code\":\"OK-1\",\"name\":\"N\",\"channel\":\"poster\"}" },
        { "endsOn", "{\"code\":\"OK-1\",\"name\":\"N\",\"channel\":\"poster\",\"startsOn\":\"2026-02-01\",\"endsOn\":\"2026-01-31\"}" },
    };

    [Theory]
    [MemberData(nameof(BadCampaigns))]
    public async Task A_bad_campaign_is_a_400_naming_the_field_and_stores_nothing(string field, string json)
    {
        var before = await CampaignCount();

        var response = await Coordinator().PostAsync("/api/membership/campaigns", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.True((await Residents.ProblemErrorsAsync(response)).TryGetProperty(field, out _));
        Assert.Equal(before, await CampaignCount());
    }

    [Theory]
    [InlineData("{\"code\":\"OK-1\",\"name\":\"N\",\"channel\":\"poster\",\"startsOn\":\"first of May\"}")]
    [InlineData("{\"code\":\"OK-1\",\"name\":\"N\",\"channel\":\"poster\",\"startsOn\":\"2026-01-01\",\"endsOn\":\"2026-02-30\"}")]
    public async Task A_malformed_date_is_a_400_and_stores_nothing(string json)
    {
        var before = await CampaignCount();

        var response = await Coordinator().PostAsync("/api/membership/campaigns", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await CampaignCount());
    }

    [Fact]
    public async Task Only_coordinators_create_and_only_coordinators_and_it_admins_list()
    {
        var resident = await host.SignedInAsync();
        var before = await CampaignCount();
        StringContent Body() => new(JsonSerializer.Serialize(new { code = NewCode(), name = "N", channel = "event", startsOn = "2026-01-01" }), Encoding.UTF8, "application/json");
        var itAdmin = host.Client(TestTokens.Staff(ServiceNames.Membership, PanelRoles.ItAdmin));
        var other = host.Client(TestTokens.Staff(ServiceNames.Membership, PanelRoles.ReportReader, PanelRoles.SurveyAuthor, PanelRoles.Communications, PanelRoles.DomainContact));

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client().PostAsync("/api/membership/campaigns", Body())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Public().PostAsync("/api/membership/campaigns", Body())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.As(resident.Id).PostAsync("/api/membership/campaigns", Body())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await itAdmin.PostAsync("/api/membership/campaigns", Body())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsync("/api/membership/campaigns", Body())).StatusCode);
        Assert.Equal(before, await CampaignCount());
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client().GetAsync("/api/membership/campaigns")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Public().GetAsync("/api/membership/campaigns")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.As(resident.Id).GetAsync("/api/membership/campaigns")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/membership/campaigns")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await itAdmin.GetAsync("/api/membership/campaigns")).StatusCode);
    }

    [Fact]
    public async Task A_join_stores_and_announces_the_campaign_code_in_upper_case()
    {
        var email = Residents.NewEmail();
        var join = new Dictionary<string, object?>
        {
            ["email"] = email, ["birthYear"] = Residents.ThisYear - 30, ["municipality"] = "Tampere", ["language"] = "fi",
            ["consent"] = true, ["campaignCode"] = "  kino-syksy-26 ",
        };

        var response = await host.Public().PostAsJsonAsync("/api/membership/members", join);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = await host.IdOfAsync(email);
        Assert.Equal("KINO-SYKSY-26", await host.Database.ScalarAsync<string>("SELECT campaign_code FROM members WHERE id = @p0", id));
        Assert.Contains("KINO-SYKSY-26", (await host.OutboxEventAsync("MemberJoined", id)).GetRawText());
    }
}
