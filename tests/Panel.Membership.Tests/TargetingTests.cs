using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Panel.ServiceDefaults;
using Panel.TestSupport;

namespace Panel.Membership.Tests;

/// <summary>POST /api/membership/targeting/matches: how many invitable members a target group reaches, suppressed below k.</summary>
public sealed class TargetingTests(InvitationHost host) : IClassFixture<InvitationHost>
{
    private static object Criteria(string campaign, string[]? ageBands = null) => new { campaignCodes = new[] { campaign }, ageBands = ageBands ?? [] };

    private async Task<int?> MatchesAsync(object body)
    {
        var response = await host.Staff(PanelRoles.SurveyAuthor).MatchesAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(5, json.GetProperty("minimumGroupSize").GetInt32());
        return json.GetProperty("matches").ValueKind == JsonValueKind.Null ? null : json.GetProperty("matches").GetInt32();
    }

    /// <summary>How far a shown count may be from the truth: the cell-key noise and rounding, and k - 1 more where the query audit answered with a near group's number.</summary>
    private static readonly int Bound = Panel.Privacy.CellKeyPerturbation.MaxError() + 4;

    [Fact]
    public async Task Matches_counts_only_active_consented_unpaused_members_who_meet_the_criteria()
    {
        // Groups of ten, so that counting any excluded group would move the number further than the engine's error.
        var campaign = Panelists.NewCampaign();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        for (var i = 0; i < 10; i++)
        {
            await host.AddAsync(campaign, ageBand: "65-74");
            await host.AddAsync(campaign, ageBand: "65-74", status: "Paused", pausedUntil: today.AddDays(-2)); // the pause is over: counts
            await host.AddAsync(campaign, ageBand: "65-74", status: "Paused", pausedUntil: today.AddDays(10));
            await host.AddAsync(campaign, ageBand: "65-74", status: "Pending");
            await host.AddAsync(campaign, ageBand: "65-74", status: "Withdrawn");
            await host.AddAsync(campaign, ageBand: "65-74", consent: "0");
            await host.AddAsync(campaign, ageBand: "25-34", isClient: false);
        }

        Assert.InRange((await MatchesAsync(Criteria(campaign, ["65-74"]))).GetValueOrDefault(), 20 - Bound, 20 + Bound);
        Assert.InRange((await MatchesAsync(Criteria(campaign))).GetValueOrDefault(), 30 - Bound, 30 + Bound);
        Assert.InRange((await MatchesAsync(new { campaignCodes = new[] { campaign }, municipalities = new[] { "Tampere" }, genders = new[] { "woman" }, languages = new[] { "fi" }, isClient = true, ageBands = new[] { "65-74" } })).GetValueOrDefault(),
            20 - Bound, 20 + Bound);
        Assert.InRange((await MatchesAsync(new { campaignCodes = new[] { campaign }, isClient = false })).GetValueOrDefault(), 10 - Bound, 10 + Bound);
        Assert.Null(await MatchesAsync(new { campaignCodes = new[] { campaign }, languages = new[] { "sv" } }));
    }

    [Fact]
    public async Task Fewer_matches_than_k_are_shown_as_null_and_k_itself_as_a_number()
    {
        var small = Panelists.NewCampaign();
        Assert.Null(await MatchesAsync(Criteria(small)));
        await host.AddManyAsync(4, small);
        Assert.Null(await MatchesAsync(Criteria(small)));

        var five = Panelists.NewCampaign();
        await host.AddManyAsync(5, five);
        var shown = await MatchesAsync(Criteria(five));
        Assert.NotNull(shown);
        Assert.True(shown is 5 or 10, $"5 members shown as {shown}");
    }

    [Fact]
    public async Task Unknown_values_are_a_400_naming_each_field()
    {
        var response = await host.Staff(PanelRoles.Coordinator).MatchesAsync(new
        {
            ageBands = new[] { "65-74", "60-70" },
            municipalities = new[] { "Atlantis" },
            genders = new[] { "female" },
            languages = new[] { "de" },
            campaignCodes = new[] { "bad code!" },
            quotas = new object[] { new { attribute = "shoeSize", values = new[] { "42" }, minShare = 0.3 }, new { attribute = "ageBand", values = new[] { "65-74" }, minShare = 1.5 } },
        });
        var errors = await Residents.ProblemErrorsAsync(response);
        foreach (var field in new[] { "ageBands[1]", "municipalities[0]", "genders[0]", "languages[0]", "campaignCodes[0]", "quotas[0].attribute", "quotas[1].minShare" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"the errors name {field}: {errors}");
        }
    }

    [Fact]
    public async Task Matches_is_for_survey_authors_domain_contacts_and_coordinators_only()
    {
        var body = Criteria(Panelists.NewCampaign());
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client().MatchesAsync(body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client(TestTokens.Forged(ServiceNames.Membership)).MatchesAsync(body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Public().MatchesAsync(body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.As(Guid.NewGuid()).MatchesAsync(body)).StatusCode);
        foreach (var role in new[] { PanelRoles.ReportReader, PanelRoles.Communications, PanelRoles.ItAdmin })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await host.Staff(role).MatchesAsync(body)).StatusCode);
        }

        foreach (var role in new[] { PanelRoles.SurveyAuthor, PanelRoles.DomainContact, PanelRoles.Coordinator })
        {
            Assert.Equal(HttpStatusCode.OK, (await host.Staff(role).MatchesAsync(body)).StatusCode);
        }
    }
}
