using Panel.Contracts;
using Panel.TestSupport;
using static Panel.Reporting.Tests.SurveyResults.SurveyTestData;

namespace Panel.Reporting.Tests.SurveyResults;

/// <summary>
/// k = 5. 22 answers through invitations and 2 entered by staff (assisted, paper): the results show 24 panel
/// respondents, so a funnel showing 22 answered invitations would tell that 2 answers came in by hand.
/// </summary>
public sealed class HandEnteredHost : SeededResultsHost
{
    public Guid SurveyId { get; } = Guid.NewGuid();

    protected override async Task SeedAsync()
    {
        var responses = Enumerable.Range(0, 22).Select(i => Response(SurveyId, Profile(i < 11 ? "Akaa" : "Urjala"), single: "a"))
            .Append(Response(SurveyId, Profile("Akaa"), "assisted", single: "b"))
            .Append(Response(SurveyId, Profile("Urjala"), "paper", single: "b"))
            .ToList();
        await this.SeedAsync(SurveyId, responses);
        await this.PublishAsync(new SurveyInvitationsIssued(SurveyId,
            Enumerable.Range(0, 40).Select(i => new IssuedInvitation(new string((char)('a' + i % 6), 64), Profile(), "fi")).ToList()));
        for (var i = 0; i < 22; i++) await this.PublishAsync(new InvitationAnswered(SurveyId, new string('f', 64)));
        await Eventually.UntilAsync(() => Database.ScalarAsync<long>(
            "SELECT coalesce(sum(invited + answered), 0)::bigint FROM survey_funnel_days WHERE survey_id = @p0", SurveyId),
            n => n == 62, Wait, "the funnel");
    }
}

public sealed class FunnelSuppressionTests(HandEnteredHost host) : IClassFixture<HandEnteredHost>
{
    private const int K = 5;

    [Fact]
    public async Task Answered_invitations_are_hidden_when_they_differ_from_the_panel_respondents_by_fewer_than_k()
    {
        var coordinator = host.As(Staff.Coordinator());
        var results = await coordinator.GetJsonAsync($"/api/reporting/surveys/{host.SurveyId}/results");
        var respondents = results.Audience().Long("respondents");
        Assert.Equal(24, respondents);
        Assert.Equal(40, results.GetProperty("invitations").Long("invited"));
        Assert.Null(results.GetProperty("invitations").Long("answered"));
        Assert.Null(results.GetProperty("invitations").Double("responseRate"));

        var funnel = await coordinator.GetJsonAsync($"/api/reporting/surveys/{host.SurveyId}/funnel");
        Assert.Null(funnel.GetProperty("totals").Long("answered"));
        var answeredShown = funnel.GetProperty("days").EnumerateArray().Select(d => d.Long("answered")).Where(a => a is not null).ToList();
        Assert.All(answeredShown, a => Assert.True(a == respondents || Math.Abs(a!.Value - respondents!.Value) >= K, $"answered {a} next to {respondents} respondents"));

        // The rule itself: shown when equal to the public number or at least k away from it.
        var published = Panel.Reporting.SurveyResults.Funnel.Series([22], K, [24]);
        Assert.Null(published.Total);
        Assert.Equal(22, Panel.Reporting.SurveyResults.Funnel.Series([22], K, [22]).Total);
        Assert.Equal(22, Panel.Reporting.SurveyResults.Funnel.Series([22], K, [27]).Total);
    }
}
