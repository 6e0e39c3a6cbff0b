using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Panel.Contracts;
using Panel.Membership.Invitations;
using Panel.ServiceDefaults;
using Panel.TestSupport;

namespace Panel.Membership.Tests;

/// <summary>
/// An invitation email goes out only after Surveys acknowledged storing its token (SurveyInvitationsStored), so no
/// resident gets a link Surveys does not know yet; other emails do not wait.
/// </summary>
public sealed class InvitationAcknowledgementTests(InvitationHost host) : IClassFixture<InvitationHost>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // The exact counts: these tests are about holding and sending (every group here is of k = 5 or more, as issuing needs).
    private Task<JsonElement> ProgressAsync(Guid surveyId) => host.ExactProgressAsync(surveyId);

    private Task<long> AcknowledgedAsync(Guid surveyId) =>
        host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE survey_id = @p0 AND acknowledged_at IS NOT NULL", surveyId);

    private Task<long> HeldAsync(Guid surveyId) =>
        host.Database.ScalarAsync<long>(
            "SELECT count(*) FROM email_outbox e JOIN invitations i ON i.id = e.invitation_id WHERE i.survey_id = @p0 AND e.held AND e.sent_at IS NULL", surveyId);

    /// <summary>Opens a survey for <paramref name="count"/> new members without acknowledging it; returns the survey, members, addresses.</summary>
    private async Task<(Guid Survey, List<Guid> Members, List<string> Emails)> OpenUnacknowledgedAsync(int count)
    {
        var campaign = Panelists.NewCampaign();
        var members = await host.AddManyAsync(count, campaign);
        var survey = Guid.NewGuid();
        Assert.Equal(count, await host.OpenAsync(Panelists.Opened(survey, Panelists.Group(campaign)), acknowledge: false));
        var emails = new List<string>();
        foreach (var m in members)
        {
            emails.Add(await host.EmailOfAsync(m));
        }

        return (survey, members, emails);
    }

    /// <summary>Publishes acknowledgements and waits until Membership's inbox has applied each of them.</summary>
    private async Task AcknowledgeAndWaitAsync(params (SurveyInvitationsStored Message, Guid MessageId)[] acks)
    {
        var ids = acks.Select(a => a.MessageId).Distinct().ToArray();
        foreach (var (message, id) in acks)
        {
            await host.PublishAsync(message, id);
        }

        await Eventually.UntilAsync(
            () => host.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE consumer = 'SurveyInvitationsStoredConsumer' AND message_id = ANY(@p0)", (object)ids),
            n => n == ids.Length, Timeout, "the acknowledgements to be consumed");
        // A duplicate message id leaves no second inbox row: wait until every copy was consumed.
        foreach (var copies in acks.GroupBy(a => a.MessageId))
        {
            await host.Deliveries.UntilDoneAsync(copies.Key, copies.Count());
        }
    }

    [Fact]
    public async Task An_invitation_email_is_held_until_Surveys_acknowledges_it_while_a_later_sign_in_email_goes_out()
    {
        var (survey, members, emails) = await OpenUnacknowledgedAsync(5);

        // A sign-in link queued after the invitations is sent: the sender is running and passes over the held emails.
        (await host.Public().PostAsJsonAsync("/api/membership/sign-in-links", new { email = emails[0] })).EnsureSuccessStatusCode();
        var signIn = await host.Smtp.WaitForMessageToAsync(emails[0], Timeout);
        Assert.Contains("/sign-in/link", SmtpSink.LinkIn(signIn).AbsolutePath, StringComparison.Ordinal);
        await host.EmailsSentAsync();
        Assert.Single(host.Smtp.MessagesTo(emails[0]));
        Assert.Empty(host.Smtp.MessagesTo(emails[1]));
        Assert.Empty(host.Smtp.MessagesTo(emails[2]));
        Assert.Equal(5L, await HeldAsync(survey));

        // Staff see them waiting; the member's "my panel" does not list the link yet.
        var waiting = await ProgressAsync(survey);
        Assert.Equal(5, waiting.GetProperty("issued").GetInt32());
        Assert.Equal(5, waiting.GetProperty("waiting").GetInt32());
        Assert.Equal(0, waiting.GetProperty("sent").GetInt32());
        Assert.Empty((await host.As(members[1]).GetFromJsonAsync<JsonElement>("/api/membership/me/invitations")).EnumerateArray());

        await host.AcknowledgeAsync(survey);

        var hashes = (await host.IssuedChunksAsync(survey)).SelectMany(c => c).ToHashSet();
        for (var i = 0; i < 5; i++)
        {
            var invitation = (await host.Smtp.WaitForMessagesToAsync(emails[i], i == 0 ? 2 : 1, Timeout))[^1];
            Assert.Contains(Panelists.Hash(Panelists.AnswerToken(invitation)), hashes);
        }

        var sent = await Eventually.UntilAsync(() => ProgressAsync(survey), p => p.GetProperty("sent").GetInt32() == 5, Timeout, "5 sent");
        Assert.Equal(0, sent.GetProperty("waiting").GetInt32());
        Assert.Equal(0L, await HeldAsync(survey));
        Assert.Single((await host.As(members[1]).GetFromJsonAsync<JsonElement>("/api/membership/me/invitations")).EnumerateArray());
    }

    [Fact]
    public async Task Only_the_acknowledged_chunk_is_sent_and_the_rest_keeps_waiting()
    {
        var (survey, _, emails) = await OpenUnacknowledgedAsync(6);
        var hashes = (await host.IssuedChunksAsync(survey)).SelectMany(c => c).ToList();
        var acknowledged = hashes.Take(2).ToList();

        await AcknowledgeAndWaitAsync((new SurveyInvitationsStored(survey, acknowledged), Guid.NewGuid()));

        await Eventually.UntilAsync(() => ProgressAsync(survey), p => p.GetProperty("sent").GetInt32() == 2, Timeout, "2 sent");
        await host.EmailsSentAsync();
        var received = emails.SelectMany(host.Smtp.MessagesTo).Select(m => Panelists.Hash(Panelists.AnswerToken(m))).ToList();
        Assert.Equal(acknowledged.ToHashSet(), received.ToHashSet());
        Assert.Equal(2, received.Count);
        var progress = await ProgressAsync(survey);
        Assert.Equal(4, progress.GetProperty("waiting").GetInt32());
        Assert.Equal(4L, await HeldAsync(survey));
    }

    [Fact]
    public async Task A_duplicate_or_redelivered_acknowledgement_changes_nothing()
    {
        var (survey, _, emails) = await OpenUnacknowledgedAsync(5);
        var chunk = (await host.IssuedChunksAsync(survey)).Single();
        var messageId = Guid.NewGuid();
        await AcknowledgeAndWaitAsync((new SurveyInvitationsStored(survey, chunk), messageId));
        await Eventually.UntilAsync(() => ProgressAsync(survey), p => p.GetProperty("sent").GetInt32() == 5, Timeout, "5 sent");
        var before = await host.Database.ScalarAsync<string>(
            "SELECT string_agg(id::text || acknowledged_at::text || sent_at::text || attempts::text, ',' ORDER BY id) FROM invitations WHERE survey_id = @p0", survey);

        // The same message again (the inbox skips it) and the same acknowledgement republished (applied, finds nothing to do).
        await AcknowledgeAndWaitAsync(
            (new SurveyInvitationsStored(survey, chunk), messageId),
            (new SurveyInvitationsStored(survey, chunk), Guid.NewGuid()));
        await host.EmailsSentAsync();

        Assert.Equal(before, await host.Database.ScalarAsync<string>(
            "SELECT string_agg(id::text || acknowledged_at::text || sent_at::text || attempts::text, ',' ORDER BY id) FROM invitations WHERE survey_id = @p0", survey));
        Assert.All(emails, e => Assert.Single(host.Smtp.MessagesTo(e)));
        Assert.Equal(5L, await host.Database.ScalarAsync<long>(
            "SELECT count(*) FROM email_outbox e JOIN invitations i ON i.id = e.invitation_id WHERE i.survey_id = @p0", survey));
    }

    [Fact]
    public async Task Acknowledgements_of_unknown_hashes_or_of_another_surveys_hashes_change_nothing()
    {
        var (survey, _, emails) = await OpenUnacknowledgedAsync(5);
        var (other, _, otherEmails) = await OpenUnacknowledgedAsync(5);
        var hashes = (await host.IssuedChunksAsync(survey)).Single();
        var otherHashes = (await host.IssuedChunksAsync(other)).Single();

        await AcknowledgeAndWaitAsync(
            (new SurveyInvitationsStored(survey, [Panelists.Hash("unknown-1"), Panelists.Hash("unknown-2")]), Guid.NewGuid()),
            (new SurveyInvitationsStored(survey, otherHashes), Guid.NewGuid()),
            (new SurveyInvitationsStored(other, hashes), Guid.NewGuid()),
            (new SurveyInvitationsStored(Guid.NewGuid(), [.. hashes, .. otherHashes]), Guid.NewGuid()),
            (new SurveyInvitationsStored(survey, []), Guid.NewGuid()));
        await host.EmailsSentAsync();

        Assert.Equal(0L, await AcknowledgedAsync(survey));
        Assert.Equal(0L, await AcknowledgedAsync(other));
        Assert.Equal(5L, await HeldAsync(survey));
        Assert.Equal(5L, await HeldAsync(other));
        Assert.All(emails.Concat(otherEmails), e => Assert.Empty(host.Smtp.MessagesTo(e)));
        Assert.Equal(5, (await ProgressAsync(survey)).GetProperty("waiting").GetInt32());

        // The right acknowledgement does release them (so the above could have failed).
        await host.AcknowledgeAsync(other);
        await Eventually.UntilAsync(() => ProgressAsync(other), p => p.GetProperty("sent").GetInt32() == 5, Timeout, "the other survey's 5 sent");
        Assert.All(emails, e => Assert.Empty(host.Smtp.MessagesTo(e)));
    }

    [Fact]
    public async Task An_unacknowledged_invitation_gets_no_reminder_and_its_held_email_is_dropped_at_closing()
    {
        var (survey, _, emails) = await OpenUnacknowledgedAsync(5);
        var reminders = new InvitationReminders(
            host.Services.GetRequiredService<IServiceScopeFactory>(),
            host.Services.GetRequiredService<IOptions<InvitationOptions>>(),
            host.Services.GetRequiredService<IOptions<MembershipOptions>>(),
            new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(10)),
            NullLogger<InvitationReminders>.Instance);

        await reminders.RunOnceAsync(CancellationToken.None);
        Assert.Equal(0L, await host.Database.ScalarAsync<long>("SELECT coalesce(sum(reminders_queued), 0) FROM invitations WHERE survey_id = @p0", survey));

        // Closing drops the held emails (with their addresses); an acknowledgement arriving afterwards sends nothing.
        await host.PublishAsync(new SurveyClosed(survey, true, DateTimeOffset.UtcNow));
        await Eventually.UntilAsync(() => HeldAsync(survey), n => n == 0, Timeout, "the held emails to be dropped");
        await host.AcknowledgeAsync(survey);
        await Eventually.UntilAsync(() => AcknowledgedAsync(survey), n => n == 5, Timeout, "the late acknowledgement to be recorded");
        await host.EmailsSentAsync();
        Assert.All(emails, e => Assert.Empty(host.Smtp.MessagesTo(e)));
        Assert.Equal(0, (await ProgressAsync(survey)).GetProperty("sent").GetInt32());
    }
}
