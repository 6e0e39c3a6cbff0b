using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Panel.Contracts;
using Panel.TestSupport;
using static Panel.Surveys.Tests.Answering;

namespace Panel.Surveys.Tests;

/// <summary>
/// Surveys acknowledges every chunk of invitations it stores (SurveyInvitationsStored, in the inbox transaction), so
/// Membership emails a link only once it works here; a chunk published again is acknowledged again.
/// </summary>
public sealed class InvitationsAcknowledgedTests(SurveysHost host) : IClassFixture<SurveysHost>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private Task PublishAsync(SurveyInvitationsIssued message, Guid messageId) =>
        host.Services.GetRequiredService<IBus>().Publish(message, ctx => ctx.MessageId = messageId);

    private async Task<List<HashSet<string>>> AcknowledgementsAsync(Guid survey) =>
        (await host.EventsAsync<SurveyInvitationsStored>(survey))
            .Select(e => e.GetProperty("tokenHashes").EnumerateArray().Select(h => h.GetString()!).ToHashSet())
            .ToList();

    private static List<IssuedInvitation> Chunk(int count) =>
        Enumerable.Range(0, count).Select(_ => new IssuedInvitation(Hash(NewToken()), Profile, "fi")).ToList();

    [Fact]
    public async Task A_stored_chunk_is_acknowledged_with_exactly_its_stored_hashes()
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        var good = Chunk(1200);

        await PublishAsync(new SurveyInvitationsIssued(survey, [.. good, new IssuedInvitation("not-a-hash", Profile, "fi"), new IssuedInvitation(Hash(NewToken()), Profile, "de")]), Guid.NewGuid());

        var acks = await Eventually.UntilAsync(() => AcknowledgementsAsync(survey), a => a.Count == 1, Timeout, "the acknowledgement");
        // The malformed ones were not stored, so they are not acknowledged: Membership never emails a link that cannot work.
        Assert.Equal(good.Select(i => i.TokenHash).ToHashSet(), acks[0]);
        Assert.Equal(1200, await host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE survey_id = @p0", survey));
        // Only token hashes cross: no profile, no language, nothing else.
        var body = (await host.EventsAsync<SurveyInvitationsStored>(survey)).Single();
        Assert.Equal(["surveyId", "tokenHashes"], body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_chunk_published_again_is_acknowledged_again_in_full_and_a_redelivered_message_stores_nothing_twice()
    {
        var (survey, token) = await host.InvitedAsync();
        var chunk = Chunk(3);
        var messageId = Guid.NewGuid();
        await PublishAsync(new SurveyInvitationsIssued(survey, chunk), messageId);
        await Eventually.UntilAsync(() => AcknowledgementsAsync(survey), a => a.Count == 2, Timeout, "the first acknowledgement of the chunk");
        // One of them is answered meanwhile; a republish must neither reset it nor leave it out of the acknowledgement.
        (await host.Public().PostJsonAsync(Submit, Request(token, Valid()))).EnsureSuccessStatusCode();

        // The same message redelivered: the inbox skips it (its acknowledgement was committed the first time).
        await PublishAsync(new SurveyInvitationsIssued(survey, chunk), messageId);
        // The chunk published again, with the answered invitation in it: stored before, acknowledged again, all of it.
        var republished = chunk.Append(new IssuedInvitation(Hash(token), Profile, "fi")).ToList();
        var republishedId = Guid.NewGuid();
        await PublishAsync(new SurveyInvitationsIssued(survey, republished), republishedId);

        await Eventually.UntilAsync(() => AcknowledgementsAsync(survey), a => a.Count >= 3, Timeout, "the republished chunk's acknowledgement");
        await host.Deliveries.UntilDoneAsync(messageId, times: 2);
        await host.Deliveries.UntilDoneAsync(republishedId);
        var acks = await AcknowledgementsAsync(survey);
        Assert.Equal(3, acks.Count);
        Assert.Equal([Hash(token)], acks[0]);
        Assert.Equal(chunk.Select(i => i.TokenHash).ToHashSet(), acks[1]);
        Assert.Equal(republished.Select(i => i.TokenHash).ToHashSet(), acks[2]);
        Assert.Equal(4, await host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE survey_id = @p0", survey));
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE token_hash = @p0 AND answered", Hash(token)));
    }

    [Fact]
    public async Task A_hash_Surveys_holds_for_another_survey_is_not_acknowledged_for_this_one()
    {
        var (first, token) = await host.InvitedAsync();
        var second = await host.SurveyInStateAsync(Staff.Author(), "open");
        var fresh = Chunk(1);

        await PublishAsync(new SurveyInvitationsIssued(second, [new IssuedInvitation(Hash(token), Profile, "fi"), .. fresh]), Guid.NewGuid());

        var acks = await Eventually.UntilAsync(() => AcknowledgementsAsync(second), a => a.Count == 1, Timeout, "the second survey's acknowledgement");
        Assert.Equal([fresh[0].TokenHash], acks[0]);
        Assert.Equal([Hash(token)], Assert.Single(await AcknowledgementsAsync(first)));
    }

    [Fact]
    public async Task Invitations_for_an_unknown_survey_are_not_acknowledged()
    {
        var unknown = Guid.NewGuid();

        await PublishAsync(new SurveyInvitationsIssued(unknown, Chunk(1)), Guid.NewGuid());

        await Eventually.UntilAsync(() => host.Bus.QueueDepthAsync("surveys-survey-invitations-issued_error"), n => n >= 1, Timeout, "the error queue");
        Assert.Empty(await AcknowledgementsAsync(unknown));
    }
}
