using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Panel.Contracts;
using Panel.Membership.Data;
using Panel.Membership.MyPanel;
using Panel.TestSupport;

namespace Panel.Membership.Tests;

public sealed class MyPanelTests(MembershipHost host) : IClassFixture<MembershipHost>
{
    private static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Helsinki")).DateTime);

    private static object Profile(string municipality = "Tampere", string? phone = "+358 40 123 4567", string language = "fi", string contactChannel = "email") => new
    {
        phone,
        birthYear = Residents.ThisYear - 40,
        municipality,
        gender = "woman",
        language,
        isClient = true,
        contactChannel,
    };

    private async Task<string> StateOf(Guid id) => await host.Database.ScalarAsync<string>("SELECT status FROM members WHERE id = @p0", id);

    [Fact]
    public async Task Me_shows_the_members_own_data()
    {
        var resident = await host.SignedInAsync("en");

        var me = await host.As(resident.Id).GetFromJsonAsync<JsonElement>("/api/membership/me");

        Assert.Equal(resident.Email, me.GetProperty("email").GetString());
        Assert.Equal("+358 40 123 4567", me.GetProperty("phone").GetString());
        Assert.Equal(Residents.ThisYear - 40, me.GetProperty("birthYear").GetInt32());
        Assert.Equal("Tampere", me.GetProperty("municipality").GetString());
        Assert.Equal("en", me.GetProperty("language").GetString());
        Assert.Equal("email", me.GetProperty("contactChannel").GetString());
        Assert.Equal("Active", me.GetProperty("state").GetString());
        Assert.Equal("POSTER-1", me.GetProperty("campaignCode").GetString());
        Assert.Equal("1", me.GetProperty("consentVersion").GetString());
        Assert.False(me.GetProperty("consentRequired").GetBoolean());
        Assert.Equal(JsonValueKind.Null, me.GetProperty("pausedUntil").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, me.GetProperty("verifiedAt").ValueKind);
    }

    [Fact]
    public async Task Changing_the_profile_saves_it_and_raises_MemberProfileChanged_only_when_a_coarse_attribute_changed()
    {
        var resident = await host.SignedInAsync();
        var client = host.As(resident.Id);

        var phoneOnly = await client.PutAsJsonAsync("/api/membership/me", Profile(phone: "040 999 8888", contactChannel: "sms"));
        var eventsAfterPhone = await host.OutboxCountAsync("MemberProfileChanged", resident.Id);
        var moved = await client.PutAsJsonAsync("/api/membership/me", Profile(municipality: "Nokia", phone: "040 999 8888", language: "sv"));

        Assert.Equal(HttpStatusCode.OK, phoneOnly.StatusCode);
        Assert.Equal(0, eventsAfterPhone);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var me = await moved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Nokia", me.GetProperty("municipality").GetString());
        Assert.Equal("sv", me.GetProperty("language").GetString());
        Assert.Equal("040 999 8888", me.GetProperty("phone").GetString());
        Assert.Equal(1, await host.OutboxCountAsync("MemberProfileChanged", resident.Id));
        var changed = await host.OutboxEventAsync("MemberProfileChanged", resident.Id);
        Assert.Equal("Tampere", changed.GetProperty("previous").GetProperty("municipality").GetString());
        Assert.Equal("Nokia", changed.GetProperty("current").GetProperty("municipality").GetString());
        Assert.Equal("sv", changed.GetProperty("current").GetProperty("language").GetString());
        Assert.DoesNotContain("999 8888", changed.GetRawText());
        Assert.DoesNotContain("phone", changed.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Nokia", await host.Database.ScalarAsync<string>("SELECT municipality FROM members WHERE id = @p0", resident.Id));
    }

    public static TheoryData<string, string> BadProfiles()
    {
        var year = DateTime.UtcNow.Year;
        string Body(string overrides) =>
            "{" + $"\"birthYear\":{year - 30},\"municipality\":\"Nokia\",\"language\":\"sv\",\"contactChannel\":\"email\"" + overrides + "}";
        return new TheoryData<string, string>
        {
            { "birthYear", Body($",\"birthYear\":{year - 5}") },
            { "birthYear", Body(",\"birthYear\":null") },
            { "birthYear", Body(",\"birthYear\":\"old\"") },
            { "municipality", Body(",\"municipality\":\"Helsinki\"") },
            { "language", Body(",\"language\":\"de\"") },
            { "gender", Body(",\"gender\":\"robot\"") },
            { "phone", Body(",\"phone\":\"call me\"") },
            { "phone", Body(",\"contactChannel\":\"sms\"") },
            { "contactChannel", Body(",\"contactChannel\":\"pigeon\"") },
            { "contactChannel", Body(",\"contactChannel\":null") },
            { "isClient", Body(",\"isClient\":\"maybe\"") },
        };
    }

    [Theory]
    [MemberData(nameof(BadProfiles))]
    public async Task A_bad_profile_is_a_400_naming_the_field_and_changes_nothing(string field, string json)
    {
        var resident = await host.SignedInAsync();

        var response = await host.As(resident.Id).PutAsync("/api/membership/me", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.True((await Residents.ProblemErrorsAsync(response)).TryGetProperty(field, out var errors), $"errors should name '{field}'");
        Assert.NotEqual(JsonValueKind.Undefined, errors.ValueKind);
        Assert.Equal("Tampere", await host.Database.ScalarAsync<string>("SELECT municipality FROM members WHERE id = @p0", resident.Id));
    }

    [Fact]
    public async Task Pausing_and_resuming_move_the_state_and_raise_events_and_the_wrong_state_is_a_409()
    {
        var resident = await host.SignedInAsync();
        var client = host.As(resident.Id);
        var until = Today.AddDays(30);

        var resumeWhileActive = await client.PostAsync("/api/membership/me/resume", null);
        var pause = await client.PostAsJsonAsync("/api/membership/me/pause", new { until = until.ToString("yyyy-MM-dd") });
        var pauseAgain = await client.PostAsJsonAsync("/api/membership/me/pause", new { until = until.ToString("yyyy-MM-dd") });
        var pausedState = await StateOf(resident.Id);
        var resume = await client.PostAsync("/api/membership/me/resume", null);

        Assert.Equal(HttpStatusCode.Conflict, resumeWhileActive.StatusCode);
        Assert.Equal("application/problem+json", resumeWhileActive.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        Assert.Equal(until.ToString("yyyy-MM-dd"), (await pause.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("pausedUntil").GetString());
        Assert.Equal(HttpStatusCode.Conflict, pauseAgain.StatusCode);
        Assert.Equal("Paused", pausedState);
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        Assert.Equal("Active", await StateOf(resident.Id));
        Assert.Equal(until.ToString("yyyy-MM-dd"), (await host.OutboxEventAsync("MemberPaused", resident.Id)).GetProperty("until").GetString());
        Assert.Equal(1, await host.OutboxCountAsync("MemberPaused", resident.Id));
        Assert.Equal(1, await host.OutboxCountAsync("MemberResumed", resident.Id));
    }

    public static TheoryData<string> BadPauses()
    {
        var today = Today;
        return new TheoryData<string>
        {
            "{}",
            "{\"until\":null}",
            "{\"until\":\"next week\"}",
            $"{{\"until\":\"{today:yyyy-MM-dd}\"}}",
            $"{{\"until\":\"{today.AddDays(-3):yyyy-MM-dd}\"}}",
            $"{{\"until\":\"{today.AddYears(1).AddDays(1):yyyy-MM-dd}\"}}",
        };
    }

    [Theory]
    [MemberData(nameof(BadPauses))]
    public async Task A_pause_must_end_between_tomorrow_and_a_year_ahead(string json)
    {
        var resident = await host.SignedInAsync();

        var response = await host.As(resident.Id).PostAsync("/api/membership/me/pause", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.True((await Residents.ProblemErrorsAsync(response)).TryGetProperty("until", out _));
        Assert.Equal("Active", await StateOf(resident.Id));
    }

    [Fact]
    public async Task A_pause_that_has_ended_is_resumed_automatically_with_MemberResumed()
    {
        var resident = await host.SignedInAsync();
        var pause = await host.As(resident.Id).PostAsJsonAsync("/api/membership/me/pause", new { until = Today.AddDays(1).ToString("yyyy-MM-dd") });
        pause.EnsureSuccessStatusCode();
        var stillPaused = await StateOf(resident.Id);

        // As if the day after the pause's last day had come.
        await host.ExecuteAsync("UPDATE members SET paused_until = current_date - 2 WHERE id = @p0", resident.Id);

        await Eventually.UntilAsync(() => StateOf(resident.Id), s => s == "Active", TimeSpan.FromSeconds(15), "the ended pause to be resumed");
        Assert.Equal("Paused", stillPaused);
        Assert.Equal(1, await host.OutboxCountAsync("MemberResumed", resident.Id));
        var me = await host.As(resident.Id).GetFromJsonAsync<JsonElement>("/api/membership/me");
        Assert.Equal(JsonValueKind.Null, me.GetProperty("pausedUntil").ValueKind);
    }

    [Fact]
    public async Task Withdrawing_raises_MemberWithdrawn_with_the_previous_state_and_a_second_time_is_a_409()
    {
        var resident = await host.SignedInAsync();
        var client = host.As(resident.Id);
        (await client.PostAsJsonAsync("/api/membership/me/pause", new { until = Today.AddDays(10).ToString("yyyy-MM-dd") })).EnsureSuccessStatusCode();

        var withdraw = await client.PostAsync("/api/membership/me/withdraw", null);
        var again = await client.PostAsync("/api/membership/me/withdraw", null);
        var pause = await client.PostAsJsonAsync("/api/membership/me/pause", new { until = Today.AddDays(10).ToString("yyyy-MM-dd") });

        Assert.Equal(HttpStatusCode.OK, withdraw.StatusCode);
        Assert.Equal("Withdrawn", (await withdraw.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, pause.StatusCode);
        Assert.Equal(MemberState.Paused, (MemberState)(await host.OutboxEventAsync("MemberWithdrawn", resident.Id)).GetProperty("previousState").GetInt32());
        Assert.Equal(1, await host.OutboxCountAsync("MemberWithdrawn", resident.Id));
        // A withdrawn member can still sign in, to download or erase their data.
        var link = await host.RequestSignInLinkAsync(resident.Email, expectedMessages: 3);
        Assert.Equal(HttpStatusCode.OK, (await host.StartSessionAsync(SmtpSink.TokenIn(link))).StatusCode);
    }

    [Fact]
    public async Task Accepting_the_current_consent_clears_consent_required_and_another_version_is_a_400()
    {
        var resident = await host.SignedInAsync();
        var client = host.As(resident.Id);
        await host.ExecuteAsync("UPDATE members SET consent_version = '0' WHERE id = @p0", resident.Id);
        var before = await client.GetFromJsonAsync<JsonElement>("/api/membership/me");

        var wrong = await client.PostAsJsonAsync("/api/membership/me/consent", new { version = "0" });
        var missing = await client.PostAsJsonAsync("/api/membership/me/consent", new { });
        var accept = await client.PostAsJsonAsync("/api/membership/me/consent", new { version = "1" });

        Assert.True(before.GetProperty("consentRequired").GetBoolean());
        Assert.True((await Residents.ProblemErrorsAsync(wrong)).TryGetProperty("version", out _));
        Assert.True((await Residents.ProblemErrorsAsync(missing)).TryGetProperty("version", out _));
        Assert.Equal(HttpStatusCode.OK, accept.StatusCode);
        var after = await accept.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(after.GetProperty("consentRequired").GetBoolean());
        Assert.Equal("1", await host.Database.ScalarAsync<string>("SELECT consent_version FROM members WHERE id = @p0", resident.Id));
    }

    [Fact]
    public async Task Consent_required_is_told_at_sign_in_when_the_member_accepted_an_older_version()
    {
        var resident = await host.SignedInAsync();
        await host.ExecuteAsync("UPDATE members SET consent_version = '0' WHERE id = @p0", resident.Id);

        var link = await host.RequestSignInLinkAsync(resident.Email, expectedMessages: 3);
        var session = await (await host.StartSessionAsync(SmtpSink.TokenIn(link))).Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(session.GetProperty("consentRequired").GetBoolean());
    }

    [Fact]
    public async Task The_export_is_a_json_file_with_the_members_data_and_no_token_hashes()
    {
        var resident = await host.SignedInAsync();
        var hashes = await host.Database.ScalarAsync<string>(
            "SELECT string_agg(token_hash, ',') FROM one_time_links WHERE member_id = @p0", resident.Id);

        var response = await host.As(resident.Id).GetAsync("/api/membership/me/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("panel-my-data.json", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var text = await response.Content.ReadAsStringAsync();
        var export = JsonDocument.Parse(text).RootElement;
        Assert.Equal(resident.Email, export.GetProperty("member").GetProperty("email").GetString());
        Assert.Equal("Tampere", export.GetProperty("member").GetProperty("municipality").GetString());
        Assert.Equal("POSTER-1", export.GetProperty("member").GetProperty("campaignCode").GetString());
        Assert.Equal("Active", export.GetProperty("membership").GetProperty("state").GetString());
        Assert.Equal("1", export.GetProperty("consent").GetProperty("acceptedVersion").GetString());
        Assert.Equal(2, export.GetProperty("links").GetArrayLength());
        Assert.Equal(2, export.GetProperty("emails").GetArrayLength());
        Assert.Equal(2, hashes.Split(',').Length);
        Assert.All(hashes.Split(','), h => Assert.DoesNotContain(h, text));
        Assert.DoesNotContain("hash", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("token=", text);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"confirm\":false}")]
    public async Task Erasing_without_confirmation_is_a_400_naming_confirm_and_erases_nothing(string json)
    {
        var resident = await host.SignedInAsync();

        var response = await host.As(resident.Id).PostAsync("/api/membership/me/erase", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.True((await Residents.ProblemErrorsAsync(response)).TryGetProperty("confirm", out _));
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM members WHERE id = @p0", resident.Id));
    }

    [Fact]
    public async Task Erasing_deletes_everything_that_links_to_the_member_and_once_relayed_the_erasure_event_too()
    {
        var resident = await host.SignedInAsync();
        var client = host.As(resident.Id);
        (await client.PutAsJsonAsync("/api/membership/me", Profile(municipality: "Akaa"))).EnsureSuccessStatusCode();
        // An unused sign-in link and its (sent) email are waiting when the member erases.
        var pendingLink = SmtpSink.TokenIn(await host.RequestSignInLinkAsync(resident.Email, expectedMessages: 3));
        await Eventually.UntilAsync(
            () => host.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL"),
            n => n == 0, TimeSpan.FromSeconds(30), "the events to be relayed");
        var before = await host.Database.DumpTextAsync();

        var erase = await client.PostAsJsonAsync("/api/membership/me/erase", new { confirm = true });

        Assert.Contains(resident.Email, before);
        Assert.Contains(resident.Id.ToString(), before);
        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        // As an attacker with the database would: no line of any table names the member or holds their address.
        var dump = await Eventually.UntilAsync(() => host.Database.DumpTextAsync(),
            d => !d.Contains(resident.Id.ToString(), StringComparison.OrdinalIgnoreCase), TimeSpan.FromSeconds(30), "nothing to name the member");
        Assert.DoesNotContain(resident.Email, dump, StringComparison.OrdinalIgnoreCase);
        Assert.True((await Residents.ProblemErrorsAsync(await host.StartSessionAsync(pendingLink))).TryGetProperty("token", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/membership/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/membership/me/erase", new { confirm = true })).StatusCode);
    }

    [Fact]
    public async Task The_erasure_events_give_the_member_without_a_profile_and_the_group_without_the_member()
    {
        var resident = await host.SignedInAsync();
        (await host.As(resident.Id).PutAsJsonAsync("/api/membership/me", Profile(municipality: "Akaa"))).EnsureSuccessStatusCode();

        // Read inside the erasing transaction, before the relay can send (and the maintenance loop delete) them.
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MembershipDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync();
        var member = await db.Members.SingleAsync(m => m.Id == resident.Id);
        await Erasure.EraseAsync(db, member, TimeProvider.System, CancellationToken.None);
        var events = await db.OutboxMessages.AsNoTracking().Where(m => m.SentAt == null)
            .Select(m => new { m.MessageType, m.Body }).ToListAsync();
        await tx.RollbackAsync();

        var data = JsonDocument.Parse(Assert.Single(events, e => e.MessageType == typeof(MemberDataErased).FullName).Body).RootElement;
        Assert.Equal(resident.Id, data.GetProperty("panelistId").GetGuid());
        Assert.Equal(0, data.GetProperty("invitationTokenHashes").GetArrayLength());
        Assert.Equal(["panelistId", "invitationTokenHashes"], data.EnumerateObject().Select(p => p.Name).ToList());
        var group = JsonDocument.Parse(Assert.Single(events, e => e.MessageType == typeof(PanelMemberErased).FullName).Body).RootElement;
        Assert.DoesNotContain(resident.Id.ToString(), group.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Akaa", group.GetProperty("profile").GetProperty("municipality").GetString());
        Assert.Equal(MemberState.Active, (MemberState)group.GetProperty("previousState").GetInt32());
        Assert.DoesNotContain(events, e => e.MessageType == typeof(MemberErased).FullName);
    }

    [Fact]
    public async Task Events_not_yet_relayed_when_a_member_erases_are_relayed_first_and_then_deleted()
    {
        var resident = await host.SignedInAsync();
        // Hold back the member's latest events as if the broker had been down.
        await host.ExecuteAsync("UPDATE outbox_messages SET sent_at = NULL, next_attempt_at = now() + interval '2 seconds' WHERE body->>'panelistId' = @p0", resident.Id.ToString());

        (await host.As(resident.Id).PostAsJsonAsync("/api/membership/me/erase", new { confirm = true })).EnsureSuccessStatusCode();
        var kept = await host.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE body->>'panelistId' = @p0", resident.Id.ToString());

        Assert.Equal(3, kept); // MemberJoined, MemberVerified, MemberDataErased
        // Relayed in order, then deleted: the held events first, then the erasure event itself.
        await Eventually.UntilAsync(
            () => host.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE body->>'panelistId' = @p0", resident.Id.ToString()),
            n => n == 0, TimeSpan.FromSeconds(30), "relayed events of the erased member to be deleted");
    }

    public static TheoryData<string, string, string?> ResidentEndpoints() => new()
    {
        { "GET", "/api/membership/me", null },
        { "PUT", "/api/membership/me", JsonSerializer.Serialize(Profile()) },
        { "POST", "/api/membership/me/pause", $"{{\"until\":\"{Today.AddDays(5):yyyy-MM-dd}\"}}" },
        { "POST", "/api/membership/me/resume", null },
        { "POST", "/api/membership/me/withdraw", null },
        { "POST", "/api/membership/me/consent", "{\"version\":\"1\"}" },
        { "GET", "/api/membership/me/export", null },
        { "POST", "/api/membership/me/erase", "{\"confirm\":true}" },
    };

    private static HttpRequestMessage Request(string method, string path, string? json) => new(new HttpMethod(method), path)
    {
        Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"),
    };

    [Theory]
    [MemberData(nameof(ResidentEndpoints))]
    public async Task Resident_endpoints_refuse_callers_who_are_not_a_signed_in_resident_and_change_nothing(string method, string path, string? json)
    {
        var resident = await host.SignedInAsync();
        var outboxBefore = await host.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages");

        var none = await host.Client().SendAsync(Request(method, path, json));
        var anonymous = await host.Public().SendAsync(Request(method, path, json));
        var staff = await host.Client(TestTokens.Staff(ServiceNames.Membership, "Coordinator", "ItAdmin")).SendAsync(Request(method, path, json));
        var otherService = await host.Client(TestTokens.Resident(ServiceNames.Surveys, resident.Id)).SendAsync(Request(method, path, json));
        var unknown = await host.As(Guid.NewGuid()).SendAsync(Request(method, path, json));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, staff.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, otherService.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(outboxBefore, await host.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));
        Assert.Equal("Active", await StateOf(resident.Id));
    }

    [Fact]
    public async Task A_resident_sees_and_changes_only_their_own_data()
    {
        var alice = await host.SignedInAsync();
        var bob = await host.SignedInAsync();

        var bobsMe = await host.As(bob.Id).GetFromJsonAsync<JsonElement>("/api/membership/me");
        var bobsExport = await host.As(bob.Id).GetStringAsync("/api/membership/me/export");
        (await host.As(bob.Id).PutAsJsonAsync("/api/membership/me", Profile(municipality: "Virrat"))).EnsureSuccessStatusCode();
        (await host.As(bob.Id).PostAsync("/api/membership/me/withdraw", null)).EnsureSuccessStatusCode();

        Assert.Equal(bob.Email, bobsMe.GetProperty("email").GetString());
        Assert.DoesNotContain(alice.Email, bobsExport);
        Assert.Equal("Tampere", await host.Database.ScalarAsync<string>("SELECT municipality FROM members WHERE id = @p0", alice.Id));
        Assert.Equal("Active", await StateOf(alice.Id));
        Assert.Equal("Virrat", await host.Database.ScalarAsync<string>("SELECT municipality FROM members WHERE id = @p0", bob.Id));
    }
}
