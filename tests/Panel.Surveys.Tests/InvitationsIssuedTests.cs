using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Panel.Contracts;
using Panel.TestSupport;
using static Panel.Surveys.Tests.Answering;

namespace Panel.Surveys.Tests;

/// <summary>Surveys stores the invitations Membership issues (token hash, coarse profile, language), chunk by chunk, once.</summary>
public sealed class InvitationsIssuedTests(SurveysHost host) : IClassFixture<SurveysHost>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private Task<long> CountAsync(Guid survey, string where = "true") =>
        host.Database.ScalarAsync<long>($"SELECT count(*) FROM invitations WHERE survey_id = @p0 AND ({where})", survey);

    private Task PublishAsync(SurveyInvitationsIssued message, Guid? messageId = null) =>
        host.Services.GetRequiredService<IBus>().Publish(message, ctx => ctx.MessageId = messageId ?? Guid.NewGuid());

    [Fact]
    public async Task Chunks_of_invitations_are_stored_with_profile_and_language_unopened_and_unanswered()
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        var first = Enumerable.Range(0, 1500).Select(i => new IssuedInvitation(Hash(NewToken()), Profile with { AgeBand = i % 2 == 0 ? "15-24" : "85+" }, "fi")).ToList();
        var second = Enumerable.Range(0, 700).Select(_ => new IssuedInvitation(Hash(NewToken()), Profile, "en")).ToList();

        await PublishAsync(new SurveyInvitationsIssued(survey, first));
        await PublishAsync(new SurveyInvitationsIssued(survey, second));

        await Eventually.UntilAsync(() => CountAsync(survey), n => n == 2200, Timeout, "both chunks");
        Assert.Equal(750, await CountAsync(survey, "profile->>'ageBand' = '85+'"));
        Assert.Equal(700, await CountAsync(survey, "language = 'en'"));
        Assert.Equal(0, await CountAsync(survey, "opened OR answered"));
        var stored = JsonSerializer.Deserialize<ProfileSnapshot>(
            await host.Database.ScalarAsync<string>("SELECT profile::text FROM invitations WHERE token_hash = @p0", second[0].TokenHash), JsonSerializerOptions.Web);
        Assert.Equal(Profile, stored);
    }

    [Fact]
    public async Task A_chunk_delivered_again_changes_nothing_not_even_an_invitation_answered_since()
    {
        var (survey, token) = await host.InvitedAsync();
        var hash = Hash(token);
        var messageId = Guid.NewGuid();
        var others = new[] { new IssuedInvitation(Hash(NewToken()), Profile, "fi") };
        await PublishAsync(new SurveyInvitationsIssued(survey, others), messageId);
        await Eventually.UntilAsync(() => CountAsync(survey), n => n == 2, Timeout, "the second chunk");
        (await host.Public().PostJsonAsync(Submit, Request(token, Valid()))).EnsureSuccessStatusCode();

        // The same message again (inbox), and another message naming the answered invitation (a republish).
        await PublishAsync(new SurveyInvitationsIssued(survey, others), messageId);
        await PublishAsync(new SurveyInvitationsIssued(survey, [new IssuedInvitation(hash, Profile with { Language = "en" }, "en"), new IssuedInvitation(Hash(NewToken()), Profile, "fi")]));

        await Eventually.UntilAsync(() => CountAsync(survey), n => n == 3, Timeout, "the new invitation of the republished chunk");
        Assert.Equal(1, await CountAsync(survey, $"token_hash = '{hash}' AND answered AND opened AND language = 'sv'"));
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE message_id = @p0", messageId));
    }

    [Fact]
    public async Task Malformed_invitations_in_a_chunk_are_skipped_and_the_rest_stored()
    {
        var survey = await host.SurveyInStateAsync(Staff.Author(), "open");
        var good = Hash(NewToken());

        await PublishAsync(new SurveyInvitationsIssued(survey,
        [
            new IssuedInvitation(good, Profile, "fi"),
            new IssuedInvitation("not-a-hash", Profile, "fi"),
            new IssuedInvitation(Hash(NewToken()).ToUpperInvariant(), Profile, "fi"),
            new IssuedInvitation(Hash(NewToken()), Profile, "de"),
            new IssuedInvitation(Hash(NewToken()), null!, "fi"),
        ]));

        // One transaction stores the whole chunk, so a count of exactly one means the others were skipped.
        await Eventually.UntilAsync(() => CountAsync(survey), n => n == 1, Timeout, "the good invitation");
        Assert.Equal(1, await CountAsync(survey, $"token_hash = '{good}'"));
    }

    [Fact]
    public async Task Invitations_for_a_survey_Surveys_does_not_have_go_to_the_error_queue_and_store_nothing()
    {
        var unknown = Guid.NewGuid();

        await PublishAsync(new SurveyInvitationsIssued(unknown, [new IssuedInvitation(Hash(NewToken()), Profile, "fi")]));

        await Eventually.UntilAsync(() => host.Bus.QueueDepthAsync("surveys-survey-invitations-issued_error"), n => n == 1, Timeout, "the error queue");
        Assert.Equal(0, await CountAsync(unknown));
    }
}
