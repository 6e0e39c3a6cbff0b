using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Panel.Contracts;
using Panel.Membership.Members;
using Panel.Membership.MyPanel;
using Panel.TestSupport;

namespace Panel.Membership.Tests;

/// <summary>
/// Membership whose own maintenance loop runs only at start (the longest interval allowed), so that the
/// tests below decide when the maintenance pass runs, on a clock of their own.
/// </summary>
public sealed class AgeBandHost : MembershipHost
{
    protected override void Configure(IDictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings["Membership:PauseCheckInterval"] = "1.00:00:00";
    }

    /// <summary>The service on a fake clock starting at <paramref name="start"/>.</summary>
    public ClockedMembership At(DateTimeOffset start)
    {
        var clock = new FakeTimeProvider(start);
        return new ClockedMembership(clock, Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock))));
    }
}

public sealed class ClockedMembership(FakeTimeProvider clock, WebApplicationFactory<Program> factory) : IAsyncDisposable
{
    public FakeTimeProvider Clock => clock;

    public HttpClient Client(string token)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient Public() => Client(TestTokens.Public(ServiceNames.Membership));

    public HttpClient As(Guid id) => Client(TestTokens.Resident(ServiceNames.Membership, id));

    public Task MaintainAsync() => factory.Services.GetRequiredService<MembershipMaintenance>().RunOnceAsync(CancellationToken.None);

    public ValueTask DisposeAsync() => factory.DisposeAsync();
}

/// <summary>
/// Reporting keeps its member counts by group from the deltas of Membership's events, so every event that
/// moves a member out of a group must name the group the member was really counted in, even after the
/// member has aged into the next band at a New Year.
/// </summary>
public sealed class AgeBandTests(AgeBandHost host) : IClassFixture<AgeBandHost>
{
    // Born 2006: 24 in 2030 ("15-24"), 25 from New Year 2031 ("25-34").
    private const int BirthYear = 2006;
    private static readonly DateTimeOffset NewYearsEve = new(2030, 12, 31, 20, 0, 0, TimeSpan.Zero);
    // Twelve hours on: less than the maintenance interval, so only the tests run maintenance.
    private static readonly TimeSpan ToNewYearsMorning = TimeSpan.FromHours(12);

    [Fact]
    public async Task A_member_who_joins_on_New_Years_Eve_and_verifies_on_New_Years_Day_is_counted_once_as_Active_in_the_new_band()
    {
        await using var app = host.At(NewYearsEve);
        var (id, token) = await JoinAsync(app);
        app.Clock.Advance(ToNewYearsMorning);

        (await app.Public().PostAsJsonAsync("/api/membership/verifications", new { token })).EnsureSuccessStatusCode();

        var counts = await CountsAsync(id);
        Assert.Equal(new Dictionary<string, int> { ["Active/Tampere/25-34/woman"] = 1 }, counts);
        Assert.Equal("25-34", await host.Database.ScalarAsync<string>("SELECT reported_age_band FROM members WHERE id = @p0", id));
    }

    [Fact]
    public async Task Pausing_and_erasing_after_New_Year_leave_the_counts_consistent()
    {
        await using var app = host.At(NewYearsEve);
        var (id, token) = await JoinAsync(app);
        (await app.Public().PostAsJsonAsync("/api/membership/verifications", new { token })).EnsureSuccessStatusCode();
        app.Clock.Advance(ToNewYearsMorning);

        (await app.As(id).PostAsJsonAsync("/api/membership/me/pause", new { until = "2031-02-01" })).EnsureSuccessStatusCode();
        var events = new Dictionary<Guid, (string, string)>();
        var paused = await CountsAsync(id, events);
        var erasedAt = app.Clock.GetUtcNow();
        (await app.As(id).PostAsJsonAsync("/api/membership/me/erase", new { confirm = true })).EnsureSuccessStatusCode();

        Assert.Equal(new Dictionary<string, int> { ["Paused/Tampere/25-34/woman"] = 1 }, paused);
        Assert.Empty(await CountsAsync(id, events, erasedAt));
    }

    [Fact]
    public async Task Maintenance_reports_members_who_aged_into_a_new_band_once_and_leaves_erased_members_alone()
    {
        await using var app = host.At(NewYearsEve);
        var (aged, agedToken) = await JoinAsync(app);
        (await app.Public().PostAsJsonAsync("/api/membership/verifications", new { token = agedToken })).EnsureSuccessStatusCode();
        var (withdrawn, _) = await JoinAsync(app);
        (await app.As(withdrawn).PostAsJsonAsync("/api/membership/me/withdraw", new { })).EnsureSuccessStatusCode();
        var (sameBand, _) = await JoinAsync(app, birthYear: 2000); // 30 and 31: "25-34" both years
        var (erased, _) = await JoinAsync(app);
        var erasedEvents = new Dictionary<Guid, (string, string)>();
        await CountsAsync(erased, erasedEvents);
        // A minute later than the other test's erasure: the erasure's group event names nobody and is found by its time.
        app.Clock.Advance(ToNewYearsMorning + TimeSpan.FromMinutes(1));
        var erasedAt = app.Clock.GetUtcNow();
        (await app.As(erased).PostAsJsonAsync("/api/membership/me/erase", new { confirm = true })).EnsureSuccessStatusCode();

        await app.MaintainAsync();
        await app.MaintainAsync();

        Assert.Equal(1, await host.OutboxCountAsync(nameof(MemberProfileChanged), aged));
        Assert.Equal(1, await host.OutboxCountAsync(nameof(MemberProfileChanged), withdrawn));
        Assert.Equal(0, await host.OutboxCountAsync(nameof(MemberProfileChanged), sameBand));
        Assert.Equal(0, await host.OutboxCountAsync(nameof(MemberProfileChanged), erased));
        Assert.Equal(new Dictionary<string, int> { ["Active/Tampere/25-34/woman"] = 1 }, await CountsAsync(aged));
        Assert.Equal(new Dictionary<string, int> { ["Withdrawn/Tampere/25-34/woman"] = 1 }, await CountsAsync(withdrawn));
        Assert.Equal(new Dictionary<string, int> { ["Pending/Tampere/25-34/woman"] = 1 }, await CountsAsync(sameBand));
        Assert.Empty(await CountsAsync(erased, erasedEvents, erasedAt));
    }

    [Fact]
    public async Task The_maintenance_query_reckons_age_bands_as_the_code_does()
    {
        var sql = AgeBands.SqlFor("birth_year").Replace("{0}", "2031", StringComparison.Ordinal);
        var fromSql = await host.Database.ScalarAsync<string>(
            $"SELECT string_agg({sql}, ',' ORDER BY birth_year) FROM generate_series(1900, 2031) AS birth_year");

        Assert.Equal(string.Join(',', Enumerable.Range(1900, 132).Select(y => AgeBands.For(y, 2031))), fromSql);
    }

    private async Task<(Guid Id, string VerificationToken)> JoinAsync(ClockedMembership app, int birthYear = BirthYear)
    {
        var email = Residents.NewEmail();
        var response = await app.Public().PostAsJsonAsync("/api/membership/members", new
        {
            email,
            birthYear,
            municipality = "Tampere",
            gender = "woman",
            language = "fi",
            consent = true,
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var message = await host.Smtp.WaitForMessageToAsync(email, Residents.MailTimeout);
        return (await host.IdOfAsync(email), SmtpSink.TokenIn(message));
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Applies the member's events in the outbox as Reporting's consumers do (PanelCounts.MoveAsync in each
    /// services/Reporting/Panel.Reporting/Events consumer) and returns the groups whose count is not zero.
    /// Erasure deletes the member's relayed events, so a test erasing a member passes <paramref name="seen"/> to keep
    /// the events read before (by outbox id) and add them to those read after.
    /// </summary>
    private async Task<Dictionary<string, int>> CountsAsync(Guid id, Dictionary<Guid, (string Type, string Body)>? seen = null, DateTimeOffset? erasedAt = null)
    {
        seen ??= [];
        var counts = new Dictionary<string, int>();
        void Move(MemberState? fromState, ProfileSnapshot? from, MemberState? toState, ProfileSnapshot? to)
        {
            if (from is not null) Add(fromState!.Value, from, -1);
            if (to is not null) Add(toState!.Value, to, 1);
        }

        void Add(MemberState state, ProfileSnapshot p, int delta)
        {
            var key = $"{state}/{p.Municipality}/{p.AgeBand}/{p.Gender ?? "unspecified"}";
            counts[key] = counts.GetValueOrDefault(key) + delta;
        }

        await using var connection = new Npgsql.NpgsqlConnection(host.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            """
            SELECT id, message_type, body::text FROM outbox_messages WHERE body->>'panelistId' = @id
            UNION ALL
            -- PanelMemberErased names nobody: the test finds the member's by the (fake) time of their erasure.
            SELECT id, message_type, body::text FROM outbox_messages
            WHERE message_type = 'Panel.Contracts.PanelMemberErased' AND created_at = @erased_at
            """, connection);
        command.Parameters.AddWithValue("id", id.ToString());
        command.Parameters.Add(new Npgsql.NpgsqlParameter("erased_at", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)erasedAt ?? DBNull.Value });
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                seen[reader.GetGuid(0)] = (reader.GetString(1), reader.GetString(2));
            }
        }

        foreach (var (type, body) in seen.Values)
        {
            switch (type.Replace("Panel.Contracts.", "", StringComparison.Ordinal))
            {
                case nameof(MemberJoined):
                    var joined = JsonSerializer.Deserialize<MemberJoined>(body, Json)!;
                    Move(null, null, MemberState.Pending, joined.Profile);
                    break;
                case nameof(MemberVerified):
                    var verified = JsonSerializer.Deserialize<MemberVerified>(body, Json)!;
                    Move(MemberState.Pending, verified.Profile, MemberState.Active, verified.Profile);
                    break;
                case nameof(MemberProfileChanged):
                    var changed = JsonSerializer.Deserialize<MemberProfileChanged>(body, Json)!;
                    Move(changed.State, changed.Previous, changed.State, changed.Current);
                    break;
                case nameof(MemberPaused):
                    var paused = JsonSerializer.Deserialize<MemberPaused>(body, Json)!;
                    Move(MemberState.Active, paused.Profile, MemberState.Paused, paused.Profile);
                    break;
                case nameof(MemberResumed):
                    var resumed = JsonSerializer.Deserialize<MemberResumed>(body, Json)!;
                    Move(MemberState.Paused, resumed.Profile, MemberState.Active, resumed.Profile);
                    break;
                case nameof(MemberWithdrawn):
                    var withdrawn = JsonSerializer.Deserialize<MemberWithdrawn>(body, Json)!;
                    Move(withdrawn.PreviousState, withdrawn.Profile, MemberState.Withdrawn, withdrawn.Profile);
                    break;
                case nameof(PanelMemberErased):
                    var erased = JsonSerializer.Deserialize<PanelMemberErased>(body, Json)!;
                    Move(erased.PreviousState, erased.Profile, null, null);
                    break;
            }
        }

        return counts.Where(c => c.Value != 0).ToDictionary();
    }
}
