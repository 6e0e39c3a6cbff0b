using Microsoft.Extensions.DependencyInjection;
using Panel.Contracts;
using Panel.TestSupport;
using static Panel.Reporting.Tests.SurveyResults.SurveyTestData;

namespace Panel.Reporting.Tests.SurveyResults;

public sealed class SurveyResultsConsumerTests(ReportingHost host) : IClassFixture<ReportingHost>
{
    private ServiceHost<Program> Host => host;

    private Task<long> CubeAsync(Guid survey, string question, string item, string value) =>
        host.Database.ScalarAsync<long>(
            "SELECT coalesce(sum(respondents), 0)::bigint FROM survey_answer_rollups WHERE survey_id = @p0 AND attribute = 'channel' AND question_id = @p1 AND item = @p2 AND value = @p3",
            survey, question, item, value);

    [Fact]
    public async Task An_answer_set_delivered_twice_is_counted_once()
    {
        var survey = Guid.NewGuid();
        var id = Guid.NewGuid();
        var message = Response(survey, Profile(), single: "a");
        await Host.PublishAsync(message, id);
        await Host.PublishAsync(message, id);
        await Host.PublishAsync(Response(survey, Profile(), single: "b"));
        await Eventually.UntilAsync(() => CubeAsync(survey, "single", "", "b"), n => n == 1, Wait, "the marker");
        await Host.Deliveries.UntilDoneAsync(id, times: 2);
        Assert.Equal(1, await CubeAsync(survey, "single", "", "a"));
        Assert.Equal(2, await Host.AnswerSetsAsync(survey));
    }

    [Fact]
    public async Task Each_question_type_is_added_to_the_cube_under_each_profile_attribute()
    {
        var survey = Guid.NewGuid();
        await Host.PublishAsync(Response(survey, Profile("Akaa", "25-34", null, "sv", false), "assisted",
            single: "a", multi: ["x", "y"], likert: 4, nps: 9, number: 12.50m, rank: ["r3", "r1"],
            matrix: new() { ["m1"] = "s2" }, budget: new() { ["p1"] = 7, ["p2"] = 3, ["p3"] = 0 }));
        await Eventually.UntilAsync(() => Host.AnswerSetsAsync(survey), n => n == 1, Wait, "the answer set");
        Assert.Equal(1, await CubeAsync(survey, "multi", "", "y"));
        Assert.Equal(1, await CubeAsync(survey, "likert", "", "4"));
        Assert.Equal(1, await CubeAsync(survey, "number", "", "12.5"));
        Assert.Equal(1, await CubeAsync(survey, "rank", "r3", "1"));
        Assert.Equal(1, await CubeAsync(survey, "rank", "r1", "2"));
        Assert.Equal(1, await CubeAsync(survey, "matrix", "m1", "s2"));
        Assert.Equal(1, await CubeAsync(survey, "nps", "#", ""));
        Assert.Equal(7m, await host.Database.ScalarAsync<decimal>(
            "SELECT total FROM survey_answer_rollups WHERE survey_id = @p0 AND attribute = 'channel' AND question_id = 'budget' AND item = 'p1'", survey));
        foreach (var (attribute, value) in new[] { ("ageBand", "25-34"), ("municipality", "Akaa"), ("gender", ""), ("language", "sv"), ("isClient", "false"), ("channel", "assisted") })
        {
            Assert.Equal(1, await host.Database.ScalarAsync<long>(
                "SELECT count(*) FROM survey_answer_rollups WHERE survey_id = @p0 AND question_id = '#' AND audience = 'panel' AND attribute = @p1 AND attribute_value = @p2 AND respondents = 1",
                survey, attribute, value));
        }
    }

    [Fact]
    public async Task Answer_sets_of_several_surveys_arriving_together_are_each_counted_in_their_own_survey()
    {
        Guid first = Guid.NewGuid(), second = Guid.NewGuid();
        var bus = Host.Services.GetRequiredService<MassTransit.IBus>();
        // Published at once, so that the consumer's batches mix the two surveys.
        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => bus.Publish(
            Response(i % 3 == 0 ? second : first, Profile(i % 2 == 0 ? "Akaa" : "Urjala"), single: i % 3 == 0 ? "c" : "a"))));
        await Eventually.UntilAsync(async () => await Host.AnswerSetsAsync(first) + await Host.AnswerSetsAsync(second), n => n == 60, Wait, "60 answer sets");
        Assert.Equal(40, await Host.AnswerSetsAsync(first));
        Assert.Equal(20, await Host.AnswerSetsAsync(second));
        Assert.Equal(40, await CubeAsync(first, "single", "", "a"));
        Assert.Equal(0, await CubeAsync(first, "single", "", "c"));
        Assert.Equal(20, await CubeAsync(second, "single", "", "c"));
        Assert.Equal(20, await host.Database.ScalarAsync<long>(
            "SELECT respondents FROM survey_answer_rollups WHERE survey_id = @p0 AND attribute = 'municipality' AND attribute_value = 'Akaa' AND question_id = '#'", first));
        Assert.Equal(10, await host.Database.ScalarAsync<long>(
            "SELECT respondents FROM survey_answer_rollups WHERE survey_id = @p0 AND attribute = 'municipality' AND attribute_value = 'Urjala' AND question_id = '#'", second));
    }

    [Fact]
    public async Task Free_text_is_masked_again_before_it_is_stored()
    {
        var survey = Guid.NewGuid();
        await Host.PublishAsync(Response(survey, null, "open-link", text: "soita 040 123 4567 tai maija@example.fi, hetu 131052-308T"));
        await Eventually.UntilAsync(() => Host.AnswerSetsAsync(survey), n => n == 1, Wait, "the answer set");
        var stored = await host.Database.ScalarAsync<string>("SELECT text FROM survey_free_texts WHERE survey_id = @p0", survey);
        Assert.Equal("soita [PHONE] tai [EMAIL], hetu [ID]", stored);
    }

    [Fact]
    public async Task Survey_events_in_any_order_keep_the_newest_definition_and_the_furthest_stage()
    {
        var survey = Guid.NewGuid();
        var revised = Definition(k: 2, title: "Revised");
        await Host.PublishAsync(new SurveyRevised(survey, 2, revised, DateTimeOffset.UtcNow));
        await Host.PublishAsync(new SurveyClosed(survey, true, DateTimeOffset.UtcNow));
        await Host.PublishAsync(Approved(survey, k: 7, title: "First"));
        await Eventually.UntilAsync(() => host.Database.ScalarAsync<long>("SELECT count(*) FROM results_survey_definitions WHERE survey_id = @p0", survey),
            n => n == 2, Wait, "both versions");
        var opened = Guid.NewGuid();
        await Host.PublishAsync(new SurveyOpened(survey, 1, "questionnaire", "elderly-care", ["fi"], new Dictionary<string, string> { ["fi"] = "Old" },
            new Dictionary<string, string>(), null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow), opened);
        await Host.Deliveries.UntilDoneAsync(opened);

        Assert.Equal(3, await Host.SurveyStageAsync(survey)); // closed, whatever came later
        Assert.Equal(2, await host.Database.ScalarAsync<int>("SELECT version FROM results_surveys WHERE survey_id = @p0", survey));
        Assert.Equal("Revised", await host.Database.ScalarAsync<string>("SELECT title->>'fi' FROM results_surveys WHERE survey_id = @p0", survey));
        // k below 3 is raised to 3.
        Assert.Equal(3, await host.Database.ScalarAsync<int>("SELECT minimum_group_size FROM results_surveys WHERE survey_id = @p0", survey));
    }

    [Fact]
    public async Task Invitations_are_counted_per_day_without_keeping_token_hashes()
    {
        await UtcMidnight.AvoidAsync(TimeSpan.FromMinutes(2)); // today's row is read back by today's date
        var survey = Guid.NewGuid();
        var hashes = Enumerable.Range(0, 7).Select(i => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([(byte)i, 42]))).ToList();
        var issued = new SurveyInvitationsIssued(survey, hashes.Select(h => new IssuedInvitation(h, Profile(), "fi")).ToList());
        var id = Guid.NewGuid();
        await Host.PublishAsync(issued, id);
        await Host.PublishAsync(issued, id); // redelivered
        await Host.PublishAsync(new InvitationOpened(survey, hashes[0]));
        await Host.PublishAsync(new InvitationAnswered(survey, hashes[0]));
        await Eventually.UntilAsync(() => host.Database.ScalarAsync<long>(
            "SELECT coalesce(sum(answered), 0)::bigint FROM survey_funnel_days WHERE survey_id = @p0", survey), n => n == 1, Wait, "the answer");
        await Host.Deliveries.UntilDoneAsync(id, times: 2);
        Assert.Equal(7, await host.Database.ScalarAsync<long>(
            "SELECT invited FROM survey_funnel_days WHERE survey_id = @p0 AND day = @p1", survey, DateOnly.FromDateTime(DateTime.UtcNow)));
        var dump = await host.Database.DumpTextAsync();
        Assert.All(hashes, h => Assert.DoesNotContain(h, dump, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Opens_and_answers_told_together_are_counted_once_without_keeping_token_hashes()
    {
        var survey = Guid.NewGuid();
        var hashes = Enumerable.Range(0, 5).Select(i => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([(byte)i, 43]))).ToList();
        var progressed = new InvitationsProgressed(survey, [hashes[0], hashes[1], hashes[2]], [hashes[1], hashes[2]]);
        var id = Guid.NewGuid();
        await Host.PublishAsync(progressed, id);
        await Host.PublishAsync(progressed, id); // redelivered
        await Host.PublishAsync(new InvitationsProgressed(survey, [hashes[3]], [hashes[0], hashes[3], hashes[4]]));
        await Eventually.UntilAsync(() => host.Database.ScalarAsync<long>(
            "SELECT coalesce(sum(answered), 0)::bigint FROM survey_funnel_days WHERE survey_id = @p0", survey), n => n == 5, Wait, "the answers");
        await Host.Deliveries.UntilDoneAsync(id, times: 2);
        Assert.Equal(4, await host.Database.ScalarAsync<long>(
            "SELECT sum(opened)::bigint FROM survey_funnel_days WHERE survey_id = @p0", survey));
        Assert.Equal(5, await host.Database.ScalarAsync<long>(
            "SELECT sum(answered)::bigint FROM survey_funnel_days WHERE survey_id = @p0", survey));
        var dump = await host.Database.DumpTextAsync();
        Assert.All(hashes, h => Assert.DoesNotContain(h, dump, StringComparison.OrdinalIgnoreCase));
    }
}
