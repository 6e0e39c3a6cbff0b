using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Panel.Contracts;
using Panel.ServiceDefaults;
using Panel.TestSupport;

namespace Panel.Reporting.Tests;

/// <summary>
/// Reporting with "now" fixed at 2026-03-10 12:00 UTC and one known panel history, from events:
/// <list type="bullet">
/// <item>2025-03-15/16: 6 join and verify (campaign OLD) — outside the default 12 months</item>
/// <item>2026-01-05/06: 8 join, 6 verify (campaign KINO); 2 of them withdraw (01-20), 1 pauses (01-21)</item>
/// <item>2026-02-10/11: 7 join, 5 verify (no campaign)</item>
/// <item>2026-03-02/03: 3 join (campaign KINO), 1 of them is erased while pending</item>
/// <item>sign-ins: 7 on 2026-01-15, 12 on 2026-03-05</item>
/// </list>
/// So: Pending 6, Active 14, Paused 1, Withdrawn 2; in the panel 21.
/// </summary>
public sealed class PanelHealthHost : ServiceHost<Program>
{
    protected override string ServiceName => ServiceNames.Reporting;
    protected override string DatabaseConnectionName => ConnectionNames.ReportingDb;


    public static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private WebApplicationFactory<Program>? _timed;

    public FakeTimeProvider Clock { get; } = new(Now);

    public HttpClient TimedClient(string? token)
    {
        var client = _timed!.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _timed = Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock)));

        var events = new MemberEvents(Services.GetRequiredService<IBus>());
        static DateTimeOffset At(int year, int month, int day) => new(year, month, day, 9, 0, 0, TimeSpan.Zero);
        var old = await events.JoinAsync(6, MemberEvents.HistoryProfile, At(2025, 3, 15), "OLD");
        await events.VerifyAsync(old, MemberEvents.HistoryProfile, At(2025, 3, 16), "OLD");
        await events.PanelHistoryAsync(At(2026, 1, 1), At(2026, 2, 1), At(2026, 3, 1));
        await events.AppliedAsync(Database);
    }

    public override async Task DisposeAsync()
    {
        if (_timed is not null)
        {
            await _timed.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}

public sealed class PanelHealthTests(PanelHealthHost host) : IClassFixture<PanelHealthHost>
{
    private static readonly string[] Measures = ["joined", "verified", "withdrawn", "erased", "signIns"];

    private async Task<JsonElement> GetAsync(string path, string role = PanelRoles.Coordinator)
    {
        var response = await host.TimedClient(TestTokens.Staff(ServiceNames.Reporting, role)).GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static int? Number(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetInt32();

    private static JsonElement Month(JsonElement health, string month) =>
        health.GetProperty("months").EnumerateArray().Single(m => m.GetProperty("month").GetString() == month);

    /// <summary>Fails when a line shows its total and hides exactly one number: that number is the total minus the rest.</summary>
    private static void AssertNoLoneHiddenNumber(string line, IEnumerable<int?> cells, int? total)
    {
        var hidden = cells.Count(c => c is null);
        Assert.False(total is not null && hidden == 1, $"{line}: one hidden number with its total shown");
    }

    [Fact]
    public async Task Health_shows_monthly_counts_of_k_or_more_and_hides_the_smaller_ones()
    {
        var health = await GetAsync("/api/reporting/panel/health");

        Assert.Equal(5, health.GetProperty("minimumGroupSize").GetInt32());
        var january = Month(health, "2026-01");
        Assert.Equal(5, Number(january.GetProperty("joined"))); // 8, rounded down to 5
        Assert.Equal(5, Number(january.GetProperty("verified"))); // 6
        Assert.Null(Number(january.GetProperty("withdrawn"))); // 2
        Assert.Equal(0, Number(january.GetProperty("erased")));
        Assert.Equal(5, Number(january.GetProperty("signIns"))); // 7
        var february = Month(health, "2026-02");
        Assert.Equal(5, Number(february.GetProperty("joined"))); // 7
        Assert.Equal(5, Number(february.GetProperty("verified")));
        var march = Month(health, "2026-03");
        Assert.Null(Number(march.GetProperty("joined"))); // 3
        Assert.Null(Number(march.GetProperty("erased"))); // 1
        Assert.Equal(10, Number(march.GetProperty("signIns"))); // 12
        Assert.Equal(0, Number(Month(health, "2025-12").GetProperty("joined")));
        Assert.DoesNotContain("\"joined\":3", health.GetRawText());
    }

    [Fact]
    public async Task Joined_minus_verified_does_not_count_the_few_who_never_verified()
    {
        // January: 8 joined, 6 verified; February: 7 joined, 5 verified. Exact flows would give 2 and 2 members who
        // never verified, a count below k, by subtraction (and over the whole history, the pending members).
        var health = await GetAsync("/api/reporting/panel/health");
        foreach (var (month, neverVerified) in new[] { ("2026-01", 2), ("2026-02", 2) })
        {
            var row = Month(health, month);
            var difference = Number(row.GetProperty("joined")) - Number(row.GetProperty("verified"));
            Assert.NotEqual(neverVerified, difference);
            Assert.True(difference is null or 0 or >= 5, $"{month}: joined minus verified shows {difference}");
        }

        Assert.Equal(5, health.GetProperty("roundingBase").GetInt32());
    }

    [Fact]
    public async Task Health_covers_the_last_twelve_months_by_default_and_as_many_as_asked()
    {
        var byDefault = await GetAsync("/api/reporting/panel/health");
        var thirteen = await GetAsync("/api/reporting/panel/health?months=13");
        var one = await GetAsync("/api/reporting/panel/health?months=1");

        var months = byDefault.GetProperty("months").EnumerateArray().Select(m => m.GetProperty("month").GetString()).ToList();
        Assert.Equal(12, months.Count);
        Assert.Equal("2025-04", months[0]);
        Assert.Equal("2026-03", months[^1]);
        Assert.Equal(10, Number(byDefault.GetProperty("totals").GetProperty("verified"))); // the sum of the rounded months
        Assert.Equal(15, Number(byDefault.GetProperty("totals").GetProperty("signIns")));

        Assert.Equal(5, Number(Month(thirteen, "2025-03").GetProperty("joined"))); // 6
        Assert.Equal(15, Number(thirteen.GetProperty("totals").GetProperty("verified")));

        Assert.Equal("2026-03", Assert.Single(one.GetProperty("months").EnumerateArray()).GetProperty("month").GetString());
        Assert.Equal(0, Number(one.GetProperty("totals").GetProperty("verified")));
    }

    [Fact]
    public async Task Health_totals_cannot_reveal_a_hidden_month()
    {
        var health = await GetAsync("/api/reporting/panel/health");

        var months = health.GetProperty("months").EnumerateArray().ToList();
        var totals = health.GetProperty("totals");
        foreach (var measure in Measures)
        {
            AssertNoLoneHiddenNumber(measure, months.Select(m => Number(m.GetProperty(measure))), Number(totals.GetProperty(measure)));
        }

        // January's 2 withdrawals are the only withdrawals: a total of 2 would be them.
        Assert.Null(Number(totals.GetProperty("withdrawn")));
        Assert.Null(Number(totals.GetProperty("joined")));
    }

    [Fact]
    public async Task Totals_of_two_windows_cannot_be_differenced_into_a_hidden_month()
    {
        var windows = new Dictionary<int, JsonElement>();
        for (var n = 1; n <= 15; n++)
        {
            windows[n] = await GetAsync($"/api/reporting/panel/health?months={n}");
        }

        for (var n = 2; n <= 15; n++)
        {
            var oldest = windows[n].GetProperty("months")[0];
            foreach (var measure in Measures)
            {
                var wider = Number(windows[n].GetProperty("totals").GetProperty(measure));
                var narrower = Number(windows[n - 1].GetProperty("totals").GetProperty(measure));
                if (wider is not null && narrower is not null)
                {
                    // The difference is the oldest month of the wider window: it must be a number shown anyway.
                    Assert.Equal(wider - narrower, Number(oldest.GetProperty(measure)));
                }
            }
        }
    }

    [Fact]
    public async Task Members_by_state_count_only_active_and_paused_in_the_panel_and_hide_small_ones_with_a_partner()
    {
        var byState = (await GetAsync("/api/reporting/panel/health")).GetProperty("byState");

        int? State(string name) => Number(byState.GetProperty(name));
        // Active 14 + Paused 1 = 15 in the panel; the 1 paused is hidden and so is its partner, the 14 active.
        Assert.Equal(15, State("inPanel"));
        Assert.Null(State("active"));
        Assert.Null(State("paused"));
        // Pending (6) and Withdrawn (2) stand alone: each shown only if k or more, in no total, rounded down to 5
        // (they are also differences of the monthly flows).
        Assert.Equal(5, State("pending"));
        Assert.Null(State("withdrawn"));
        Assert.False(byState.TryGetProperty("total", out _), "a total with the withdrawn would be composition total + withdrawn");
        AssertNoLoneHiddenNumber("in panel", [State("active"), State("paused")], State("inPanel"));
    }

    [Fact]
    public async Task Composition_health_and_representativeness_agree_on_the_members_in_the_panel()
    {
        var composition = await GetAsync("/api/reporting/panel/composition");
        var health = await GetAsync("/api/reporting/panel/health");
        var representativeness = await GetAsync("/api/reporting/panel/representativeness");

        Assert.Equal(15, Number(composition.GetProperty("total")));
        Assert.Equal(15, Number(health.GetProperty("byState").GetProperty("inPanel")));
        Assert.Equal(15, Number(representativeness.GetProperty("panelMembers")));
    }

    [Fact]
    public async Task Campaigns_show_joins_and_verifications_per_iso_week_with_small_counts_hidden()
    {
        var campaigns = await GetAsync("/api/reporting/panel/campaigns");

        var weeks = campaigns.GetProperty("weeks").EnumerateArray().Select(w => w.GetString()).ToList();
        Assert.Equal(26, weeks.Count);
        Assert.Equal("2025-W38", weeks[0]);
        Assert.Equal("2026-W11", weeks[^1]);
        var kino = Assert.Single(campaigns.GetProperty("campaigns").EnumerateArray()); // OLD is older than 26 weeks
        Assert.Equal("KINO", kino.GetProperty("campaignCode").GetString());
        JsonElement Week(string week) => kino.GetProperty("weeks").EnumerateArray().Single(w => w.GetProperty("week").GetString() == week);
        Assert.Equal(5, Number(Week("2026-W02").GetProperty("joined"))); // 8, rounded down to 5
        Assert.Equal(5, Number(Week("2026-W02").GetProperty("verified"))); // 6
        Assert.Null(Number(Week("2026-W10").GetProperty("joined"))); // 3
        Assert.Equal(0, Number(Week("2026-W10").GetProperty("verified")));
        Assert.Null(Number(kino.GetProperty("totals").GetProperty("joined")));
        Assert.Equal(5, Number(kino.GetProperty("totals").GetProperty("verified")));
        foreach (var measure in new[] { "joined", "verified" })
        {
            AssertNoLoneHiddenNumber(measure, kino.GetProperty("weeks").EnumerateArray().Select(w => Number(w.GetProperty(measure))),
                Number(kino.GetProperty("totals").GetProperty(measure)));
        }
    }

    [Fact]
    public async Task Campaigns_cover_as_many_weeks_as_asked()
    {
        var campaigns = await GetAsync("/api/reporting/panel/campaigns?weeks=60");

        Assert.Equal(60, campaigns.GetProperty("weeks").GetArrayLength());
        var old = campaigns.GetProperty("campaigns").EnumerateArray().Single(c => c.GetProperty("campaignCode").GetString() == "OLD");
        var week = old.GetProperty("weeks").EnumerateArray().Single(w => w.GetProperty("week").GetString() == "2025-W11");
        Assert.Equal(5, Number(week.GetProperty("joined"))); // 6
        Assert.Equal(5, Number(week.GetProperty("verified")));
    }

    [Theory]
    [InlineData("health?months=0", "months")]
    [InlineData("health?months=37", "months")]
    [InlineData("health?months=-1", "months")]
    [InlineData("health?months=twelve", "months")]
    [InlineData("campaigns?weeks=0", "weeks")]
    [InlineData("campaigns?weeks=105", "weeks")]
    [InlineData("campaigns?weeks=1.5", "weeks")]
    public async Task A_window_out_of_range_is_a_problem_naming_the_parameter(string path, string parameter)
    {
        var response = await host.TimedClient(TestTokens.Staff(ServiceNames.Reporting, PanelRoles.Coordinator))
            .GetAsync("/api/reporting/panel/" + path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.GetRawText());
    }

    public static TheoryData<string, string?, HttpStatusCode> Callers()
    {
        var data = new TheoryData<string, string?, HttpStatusCode>();
        foreach (var path in new[] { "health", "campaigns" })
        {
            data.Add(path, null, HttpStatusCode.Unauthorized);
            data.Add(path, "forged", HttpStatusCode.Unauthorized);
            data.Add(path, "public", HttpStatusCode.Forbidden);
            data.Add(path, PanelRoles.ReportReader, HttpStatusCode.Forbidden);
            data.Add(path, PanelRoles.SurveyAuthor, HttpStatusCode.Forbidden);
            data.Add(path, PanelRoles.Coordinator, HttpStatusCode.OK);
            data.Add(path, PanelRoles.ItAdmin, HttpStatusCode.OK);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task Panel_health_is_for_coordinators_and_administrators(string path, string? caller, HttpStatusCode expected)
    {
        var token = caller switch
        {
            null => null,
            "forged" => TestTokens.Forged(ServiceNames.Reporting),
            "public" => TestTokens.Public(ServiceNames.Reporting),
            _ => TestTokens.Staff(ServiceNames.Reporting, caller),
        };

        var response = await host.TimedClient(token).GetAsync("/api/reporting/panel/" + path);

        Assert.Equal(expected, response.StatusCode);
    }
}
