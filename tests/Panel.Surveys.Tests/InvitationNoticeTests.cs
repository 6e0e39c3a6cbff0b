using System.Net;
using System.Text.Json;
using Panel.Contracts;
using Panel.TestSupport;
using static Panel.Surveys.Tests.Answering;

namespace Panel.Surveys.Tests;

/// <summary>
/// Opens and answers are gathered as invitation notices and told to Membership and Reporting in one
/// InvitationsProgressed per survey (InvitationNoticeRelay), in the transaction that deletes the notices.
/// </summary>
public sealed class InvitationNoticeTests(SurveysHost host) : IClassFixture<SurveysHost>
{
    private static List<string> Hashes(IEnumerable<JsonElement> messages, string list) =>
        [.. messages.SelectMany(m => m.GetProperty(list).EnumerateArray().Select(h => h.GetString()!)).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Opens_and_answers_of_two_surveys_are_told_in_one_message_per_survey_and_only_once()
    {
        var first = await host.SurveyInStateAsync(Staff.Author(), "open");
        var second = await host.SurveyInStateAsync(Staff.Author(), "open");
        var firstTokens = await host.InviteAsync(first, count: 4);
        var secondTokens = await host.InviteAsync(second, count: 2);
        var resident = host.Public();

        // first: one opened and not answered, one opened and then answered, one answered straight away, one untouched.
        (await resident.PostJsonAsync(Form, Request(firstTokens[0]))).EnsureSuccessStatusCode();
        (await resident.PostJsonAsync(Form, Request(firstTokens[1]))).EnsureSuccessStatusCode();
        await (await resident.PostJsonAsync(Submit, Request(firstTokens[1], Valid()))).BodyAsync(HttpStatusCode.OK);
        await (await resident.PostJsonAsync(Submit, Request(firstTokens[2], Valid()))).BodyAsync(HttpStatusCode.OK);
        // second: both answered.
        foreach (var token in secondTokens)
        {
            await (await resident.PostJsonAsync(Submit, Request(token, Valid()))).BodyAsync(HttpStatusCode.OK);
        }

        Assert.Empty(await host.EventsAsync<InvitationsProgressed>(first));
        Assert.Equal(5, await host.Database.ScalarAsync<long>("SELECT count(*) FROM invitation_notices WHERE survey_id = @p0", first)); // 3 opens, 2 answers

        await host.NoticesAsync(first);
        await host.NoticesAsync(second);

        var told = await host.EventsAsync<InvitationsProgressed>(first);
        Assert.Single(told);
        Assert.Equal(new[] { firstTokens[0], firstTokens[1], firstTokens[2] }.Select(Hash).Order(StringComparer.Ordinal), Hashes(told, "opened"));
        Assert.Equal(new[] { firstTokens[1], firstTokens[2] }.Select(Hash).Order(StringComparer.Ordinal), Hashes(told, "answered"));
        var toldSecond = await host.EventsAsync<InvitationsProgressed>(second);
        Assert.Single(toldSecond);
        Assert.Equal(secondTokens.Select(Hash).Order(StringComparer.Ordinal), Hashes(toldSecond, "opened"));
        Assert.Equal(secondTokens.Select(Hash).Order(StringComparer.Ordinal), Hashes(toldSecond, "answered"));
        Assert.Equal(0, await host.Database.ScalarAsync<long>(
            "SELECT count(*) FROM invitation_notices WHERE survey_id = ANY (@p0)", new[] { first, second }));

        // Nothing is told twice: another run finds nothing of these surveys.
        await host.NoticesAsync(first);
        Assert.Single(await host.EventsAsync<InvitationsProgressed>(first));
        Assert.Single(await host.EventsAsync<InvitationsProgressed>(second));
    }

    [Fact]
    public async Task A_flood_of_notices_is_told_in_messages_of_at_most_the_largest_size_with_every_hash_once()
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        var count = InvitationsProgressed.MaxHashes * 2 + 7;
        var hashes = Enumerable.Range(0, count).Select(i => Hash($"flood-{survey}-{i}")).ToArray();
        await host.ExecuteAsync(
            "INSERT INTO invitation_notices (survey_id, token_hash, answered) SELECT @p0, h, true FROM unnest(@p1) AS h", survey, hashes);

        await host.NoticesAsync(survey);

        var told = await host.EventsAsync<InvitationsProgressed>(survey);
        Assert.Equal(3, told.Count);
        Assert.All(told, m => Assert.True(m.GetProperty("answered").GetArrayLength() <= InvitationsProgressed.MaxHashes));
        Assert.Equal(hashes.Order(StringComparer.Ordinal), Hashes(told, "answered"));
        Assert.Empty(Hashes(told, "opened"));
    }

    [Fact]
    public async Task A_link_opened_twice_and_answered_after_is_told_opened_once()
    {
        var (survey, token) = await host.InvitedAsync();
        var resident = host.Public();
        (await resident.PostJsonAsync(Form, Request(token))).EnsureSuccessStatusCode();
        await host.NoticesAsync(survey);
        (await resident.PostJsonAsync(Form, Request(token))).EnsureSuccessStatusCode();
        await (await resident.PostJsonAsync(Submit, Request(token, Valid()))).BodyAsync(HttpStatusCode.OK);
        await host.NoticesAsync(survey);

        var told = await host.EventsAsync<InvitationsProgressed>(survey);
        Assert.Equal(2, told.Count);
        Assert.Equal([Hash(token)], Hashes(told.Take(1), "opened")); // the open, told before the answer came
        Assert.Empty(Hashes(told.Take(1), "answered"));
        Assert.Empty(Hashes(told.Skip(1), "opened"));  // the answer: not opened again
        Assert.Equal([Hash(token)], Hashes(told.Skip(1), "answered"));
    }
}
