using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Panel.ServiceDefaults;
using Panel.TestSupport;

namespace Panel.Membership.Tests;

/// <summary>Consent texts published by the coordinator as new versions; members accept the newest at their next sign-in.</summary>
public sealed class ConsentVersionTests(MembershipHost host) : IClassFixture<MembershipHost>
{
    private static object Texts(string tag) => new
    {
        texts = new
        {
            fi = $"Suostun asukaspaneelin tietojen käsittelyyn ({tag}).",
            sv = $"Jag samtycker till behandlingen av paneldata ({tag}).",
            en = $"I consent to the resident panel processing my data ({tag}).",
        },
    };

    private HttpClient Coordinator() => host.Client(TestTokens.Staff(ServiceNames.Membership, PanelRoles.Coordinator));

    private async Task<JsonElement> PublishAsync(string tag)
    {
        var response = await Coordinator().PostAsJsonAsync("/api/membership/consents", Texts(tag));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Publishing_makes_the_next_version_current_everywhere_and_members_must_accept_it_at_next_sign_in()
    {
        var resident = await host.SignedInAsync();
        var before = await host.Public().GetFromJsonAsync<JsonElement>("/api/membership/consent");
        var tag = Guid.NewGuid().ToString("N");
        var token = TestTokens.Staff(ServiceNames.Membership, PanelRoles.Coordinator);

        var response = await host.Client(token).PostAsJsonAsync("/api/membership/consents", Texts(tag));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/membership/consents", response.Headers.Location?.OriginalString);
        var published = await response.Content.ReadFromJsonAsync<JsonElement>();
        var version = published.GetProperty("version").GetString()!;
        Assert.Equal(int.Parse(before.GetProperty("version").GetString()!) + 1, int.Parse(version));
        Assert.Contains(tag, published.GetProperty("texts").GetProperty("sv").GetString());
        Assert.StartsWith("staff-", published.GetProperty("publishedBy").GetString());
        var current = await host.Public().GetFromJsonAsync<JsonElement>("/api/membership/consent");
        Assert.Equal(version, current.GetProperty("version").GetString());
        Assert.Contains(tag, current.GetProperty("texts").GetProperty("fi").GetString());
        Assert.Contains(tag, current.GetProperty("texts").GetProperty("en").GetString());
        Assert.Equal(version, (await host.Public().GetFromJsonAsync<JsonElement>("/api/membership/join-options")).GetProperty("consentVersion").GetString());

        // The member accepted the older version: asked at sign-in and on /me, until they accept the new one.
        var link = await host.RequestSignInLinkAsync(resident.Email, expectedMessages: 3);
        var session = await (await host.StartSessionAsync(SmtpSink.TokenIn(link))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(session.GetProperty("consentRequired").GetBoolean());
        var client = host.As(resident.Id);
        Assert.True((await client.GetFromJsonAsync<JsonElement>("/api/membership/me")).GetProperty("consentRequired").GetBoolean());
        var old = await client.PostAsJsonAsync("/api/membership/me/consent", new { version = before.GetProperty("version").GetString() });
        Assert.True((await Residents.ProblemErrorsAsync(old)).TryGetProperty("version", out _));
        var accept = await client.PostAsJsonAsync("/api/membership/me/consent", new { version });
        Assert.Equal(HttpStatusCode.OK, accept.StatusCode);
        Assert.False((await accept.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("consentRequired").GetBoolean());
        Assert.Equal(version, await host.Database.ScalarAsync<string>("SELECT consent_version FROM members WHERE id = @p0", resident.Id));
        // Past the hourly email limit of the address.
        await host.ExecuteAsync("UPDATE email_outbox SET created_at = created_at - interval '2 hours' WHERE member_id = @p0", resident.Id);
        var again = await host.RequestSignInLinkAsync(resident.Email, expectedMessages: 4);
        var second = await (await host.StartSessionAsync(SmtpSink.TokenIn(again))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(second.GetProperty("consentRequired").GetBoolean());

        // A member joining now accepts the new version.
        var newcomer = await host.SignedInAsync();
        Assert.Equal(version, await host.Database.ScalarAsync<string>("SELECT consent_version FROM members WHERE id = @p0", newcomer.Id));
        using var me = await host.As(newcomer.Id).GetAsync("/api/membership/me");
        Assert.False((await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("consentRequired").GetBoolean());
        // A member's own data is never kept by a browser or proxy cache.
        Assert.True(me.Headers.CacheControl?.NoStore, $"Cache-Control: {me.Headers.CacheControl}");
    }

    [Fact]
    public async Task The_history_lists_every_published_version_newest_first_for_coordinators_and_it_admins()
    {
        var first = await PublishAsync("first-" + Guid.NewGuid().ToString("N"));
        var second = await PublishAsync("second-" + Guid.NewGuid().ToString("N"));

        var history = await host.Client(TestTokens.Staff(ServiceNames.Membership, PanelRoles.ItAdmin)).GetFromJsonAsync<JsonElement>("/api/membership/consents");
        var byCoordinator = await Coordinator().GetAsync("/api/membership/consents");

        Assert.Equal(HttpStatusCode.OK, byCoordinator.StatusCode);
        var versions = history.EnumerateArray().Select(v => v.GetProperty("version").GetString()).ToList();
        Assert.Equal(int.Parse(first.GetProperty("version").GetString()!) + 1, int.Parse(second.GetProperty("version").GetString()!));
        Assert.True(versions.IndexOf(second.GetProperty("version").GetString()) < versions.IndexOf(first.GetProperty("version").GetString()));
        Assert.Equal(versions.Count, await host.Database.ScalarAsync<long>("SELECT count(*) FROM consent_versions"));
        var entry = history.EnumerateArray().Single(v => v.GetProperty("version").GetString() == first.GetProperty("version").GetString());
        Assert.Equal(first.GetProperty("texts").GetProperty("fi").GetString(), entry.GetProperty("texts").GetProperty("fi").GetString());
        Assert.NotEqual(JsonValueKind.Null, entry.GetProperty("publishedAt").ValueKind);
    }

    public static TheoryData<string, string> BadTexts()
    {
        var ok = new string('x', 20);
        var sb = new string('x', 20001);
        return new TheoryData<string, string>
        {
            { "texts.fi", "{}" },
            { "texts.fi", "{\"texts\":{\"sv\":\"" + ok + "\",\"en\":\"" + ok + "\"}}" },
            { "texts.sv", "{\"texts\":{\"fi\":\"" + ok + "\",\"en\":\"" + ok + "\"}}" },
            { "texts.en", "{\"texts\":{\"fi\":\"" + ok + "\",\"sv\":\"" + ok + "\",\"en\":\"   too short          \"}}" },
            { "texts.sv", "{\"texts\":{\"fi\":\"" + ok + "\",\"sv\":\"" + sb + "\",\"en\":\"" + ok + "\"}}" },
        };
    }

    [Theory]
    [MemberData(nameof(BadTexts))]
    public async Task Bad_texts_are_a_400_naming_the_field_and_publish_nothing(string field, string json)
    {
        var before = await host.Database.ScalarAsync<long>("SELECT count(*) FROM consent_versions");

        var response = await Coordinator().PostAsync("/api/membership/consents", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.True((await Residents.ProblemErrorsAsync(response)).TryGetProperty(field, out _));
        Assert.Equal(before, await host.Database.ScalarAsync<long>("SELECT count(*) FROM consent_versions"));
    }

    [Fact]
    public async Task Only_coordinators_publish_and_only_coordinators_and_it_admins_see_the_history()
    {
        var resident = await host.SignedInAsync();
        var before = await host.Database.ScalarAsync<long>("SELECT count(*) FROM consent_versions");
        StringContent Body() => new(JsonSerializer.Serialize(Texts("refused")), Encoding.UTF8, "application/json");
        var itAdmin = host.Client(TestTokens.Staff(ServiceNames.Membership, PanelRoles.ItAdmin));
        var other = host.Client(TestTokens.Staff(ServiceNames.Membership, PanelRoles.ReportReader, PanelRoles.SurveyAuthor, PanelRoles.Communications, PanelRoles.DomainContact));

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client().PostAsync("/api/membership/consents", Body())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Public().PostAsync("/api/membership/consents", Body())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.As(resident.Id).PostAsync("/api/membership/consents", Body())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await itAdmin.PostAsync("/api/membership/consents", Body())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsync("/api/membership/consents", Body())).StatusCode);
        Assert.Equal(before, await host.Database.ScalarAsync<long>("SELECT count(*) FROM consent_versions"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client().GetAsync("/api/membership/consents")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Public().GetAsync("/api/membership/consents")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.As(resident.Id).GetAsync("/api/membership/consents")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/membership/consents")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Public().GetAsync("/api/membership/consent")).StatusCode);
    }

    [Fact]
    public async Task Concurrent_publications_get_distinct_consecutive_versions()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => Coordinator().PostAsJsonAsync("/api/membership/consents", Texts("concurrent-" + i))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var versions = new List<int>();
        foreach (var r in responses)
        {
            versions.Add(int.Parse((await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetString()!));
        }

        versions.Sort();
        Assert.Equal(Enumerable.Range(versions[0], 5), versions);
    }
}
