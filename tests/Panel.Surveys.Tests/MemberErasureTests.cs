using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Panel.Contracts;
using Panel.TestSupport;
using static Panel.Surveys.Tests.Answering;

namespace Panel.Surveys.Tests;

/// <summary>
/// Erasure (DESIGN.md section 5, rule 7; issue 13, finding 6): Surveys kept the erased member's invitation with its
/// profile. On MemberDataErased everything keyed by the member's token hashes goes; the anonymous answer stays.
/// </summary>
public sealed class MemberErasureTests(SurveysHost host) : IClassFixture<SurveysHost>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private Task<long> AnswersAsync(Guid survey) => host.Database.ScalarAsync<long>(
        "SELECT (SELECT count(*) FROM pending_responses WHERE survey_id = @p0) + (SELECT count(*) FROM survey_responses WHERE survey_id = @p0)", survey);

    [Fact]
    public async Task After_an_erasure_no_row_holds_the_members_token_hashes_or_their_invitations_profile_and_the_answer_stays()
    {
        var (survey, token) = await host.InvitedAsync();
        var hash = Hash(token);
        var other = (await host.InviteAsync(survey)).Single();
        // The member answers; the other invited member does not.
        (await host.Public().PostJsonAsync(Submit, Request(token, Valid()))).EnsureSuccessStatusCode();
        await Eventually.UntilAsync(() => AnswersAsync(survey), n => n == 1, Timeout, "the answer");
        // What Surveys tells Membership of the answer is relayed first (a relayed event listing the hash is then deleted too).
        await host.NoticesAsync(survey);
        await Eventually.UntilAsync(
            () => host.Database.ScalarAsync<long>("SELECT (SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL) + (SELECT count(*) FROM invitation_notices)"),
            n => n == 0, Timeout, "the progress events to be relayed");
        Assert.Equal(1, await host.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE message_type = 'Panel.Contracts.InvitationsProgressed' AND body::text LIKE @p0", $"%{hash}%"));
        var before = await host.Database.DumpTextAsync();

        await host.Services.GetRequiredService<IBus>().Publish(new MemberDataErased(Guid.NewGuid(), [hash]));

        // As an attacker with the database would look: for the hash anywhere.
        var after = await Eventually.UntilAsync(() => host.Database.DumpTextAsync(),
            d => !d.Contains(hash, StringComparison.Ordinal), Timeout, "nothing to hold the member's token hash");
        Assert.Contains(hash, before, StringComparison.Ordinal);
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE token_hash = @p0", hash));
        Assert.Contains(Hash(other), after, StringComparison.Ordinal);
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE survey_id = @p0", survey));
        Assert.Equal(1, await AnswersAsync(survey));
    }

    [Fact]
    public async Task An_erasure_of_a_member_never_invited_or_with_malformed_hashes_changes_nothing()
    {
        var (survey, _) = await host.InvitedAsync();

        var messageId = Guid.NewGuid();
        await host.Services.GetRequiredService<IBus>().Publish(
            new MemberDataErased(Guid.NewGuid(), ["not-a-hash", Hash(NewToken())]), ctx => ctx.MessageId = messageId);
        await Eventually.UntilAsync(
            () => host.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE message_id = @p0", messageId),
            n => n == 1, Timeout, "the erasure to be consumed");

        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE survey_id = @p0", survey));
    }
}
