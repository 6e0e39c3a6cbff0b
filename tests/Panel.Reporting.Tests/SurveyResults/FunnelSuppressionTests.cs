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
        // The funnel shows days that have ended: the day counted becomes yesterday.
        await Database.ScalarAsync<long>(
            "WITH moved AS (UPDATE survey_funnel_days SET day = day - 1 WHERE survey_id = @p0 RETURNING 1) SELECT count(*) FROM moved", SurveyId);
    }
}

public sealed class FunnelSuppressionTests(HandEnteredHost host) : IClassFixture<HandEnteredHost>
{
    private const int K = 5;

    [Fact]
    public async Task Answered_invitations_are_rounded_down_to_five_so_the_hand_entered_answers_cannot_be_counted_exactly()
    {
        // Today's answers are read back by today's date: the day must not end while the test runs.
        await UtcMidnight.AvoidAsync(TimeSpan.FromMinutes(3));
        var coordinator = host.As(Staff.Coordinator());
        var results = await coordinator.GetJsonAsync($"/api/reporting/surveys/{host.SurveyId}/results");
        var respondents = results.Audience().Long("respondents");
        Assert.Equal(24, respondents);
        Assert.Equal(40, results.GetProperty("invitations").Long("invited"));
        // 22 answered invitations are shown as 20: the 24 respondents less 20 leaves 0 to 4 answered by hand, not an exact 2.
        Assert.Equal(20, results.GetProperty("invitations").Long("answered"));
        Assert.Equal(0.5, results.GetProperty("invitations").Double("responseRate"));

        var funnel = await coordinator.GetJsonAsync($"/api/reporting/surveys/{host.SurveyId}/funnel");
        Assert.Equal(20, funnel.GetProperty("totals").Long("answered"));
        Assert.All(funnel.GetProperty("days").EnumerateArray().SelectMany(d => new[] { d.Long("invited"), d.Long("opened"), d.Long("answered") }),
            n => Assert.True(n is null || n % 5 == 0, $"{n} is not a multiple of 5"));

        // Answers counted today do not show until the day has ended: watching the funnel never catches the moment a count
        // reaches a multiple of 5 (which would give its exact value then).
        for (var i = 0; i < 5; i++) await host.PublishAsync(new InvitationAnswered(host.SurveyId, new string('e', 64)));
        await Eventually.UntilAsync(() => host.Database.ScalarAsync<long>(
            "SELECT coalesce(sum(answered), 0)::bigint FROM survey_funnel_days WHERE survey_id = @p0 AND day = @p1", host.SurveyId, DateOnly.FromDateTime(DateTime.UtcNow)),
            n => n == 5, Wait, "today's answers");
        var later = await coordinator.GetJsonAsync($"/api/reporting/surveys/{host.SurveyId}/funnel");
        Assert.Equal(20, later.GetProperty("totals").Long("answered"));
        Assert.DoesNotContain(later.GetProperty("days").EnumerateArray(), d => d.GetProperty("day").GetString() == DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Totals_and_the_response_rate_come_from_the_rounded_numbers()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var days = new[]
        {
            new Panel.Reporting.SurveyResults.SurveyFunnelDay { SurveyId = Guid.Empty, Day = today.AddDays(-1), Invited = 40, Opened = 12, Answered = 11 },
        };

        var shown = Panel.Reporting.SurveyResults.Funnel.Compute(Guid.Empty, K, days);

        Assert.Equal((long?)40, shown.Totals.Invited);
        Assert.Equal((long?)10, shown.Totals.Opened);
        Assert.Equal((long?)10, shown.Totals.Answered);
        Assert.Equal(0.25, shown.Totals.ResponseRate); // 10 of 40 shown, not the exact 11 of 40
    }

    [Fact]
    public void A_survey_that_invited_no_one_shows_zeros_and_one_with_a_few_invited_or_invited_only_today_hides_them()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var none = Panel.Reporting.SurveyResults.Funnel.Compute(Guid.Empty, K, [], invitedAtAll: false);
        var onlyToday = Panel.Reporting.SurveyResults.Funnel.Compute(Guid.Empty, K, [], invitedAtAll: true);
        var few = Panel.Reporting.SurveyResults.Funnel.Compute(Guid.Empty, K,
            [new Panel.Reporting.SurveyResults.SurveyFunnelDay { SurveyId = Guid.Empty, Day = today.AddDays(-1), Invited = 3, Opened = 0, Answered = 0 }]);

        Assert.Equal(new Panel.Reporting.SurveyResults.FunnelTotals(0, 0, 0, null), none.Totals);
        Assert.Empty(none.Days);
        Assert.Equal(new Panel.Reporting.SurveyResults.FunnelTotals(null, null, null, null), few.Totals);
        // Invitations issued today are not in the ended days shown, and not "no invitations" either.
        Assert.Equal(new Panel.Reporting.SurveyResults.FunnelTotals(null, null, null, null), onlyToday.Totals);
    }
}
