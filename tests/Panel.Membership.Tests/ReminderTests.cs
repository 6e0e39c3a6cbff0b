using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Panel.Contracts;
using Panel.Membership.Invitations;
using Panel.TestSupport;

namespace Panel.Membership.Tests;

/// <summary>The reminder job, run by hand on a fake clock: only unanswered invitations, every AfterDays, at most Max, while open.</summary>
public sealed class ReminderTests(InvitationHost host) : IClassFixture<InvitationHost>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private InvitationReminders Job(FakeTimeProvider clock) => new(
        host.Services.GetRequiredService<IServiceScopeFactory>(),
        host.Services.GetRequiredService<IOptions<InvitationOptions>>(),
        host.Services.GetRequiredService<IOptions<MembershipOptions>>(),
        clock,
        NullLogger<InvitationReminders>.Instance);

    private async Task<(Guid Survey, List<Guid> Members, List<string> Tokens)> OpenAsync(int members, int afterDays = 3, int max = 2)
    {
        var campaign = Panelists.NewCampaign();
        var ids = await host.AddManyAsync(members, campaign);
        var survey = Guid.NewGuid();
        await host.OpenAsync(Panelists.Opened(survey, Panelists.Group(campaign, afterDays: afterDays, maxReminders: max)));
        var tokens = new List<string>();
        foreach (var id in ids)
        {
            tokens.Add(Panelists.AnswerToken(await host.Smtp.WaitForMessageToAsync(await host.EmailOfAsync(id), Timeout)));
        }

        await Eventually.UntilAsync(() => host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE survey_id = @p0 AND sent_at IS NOT NULL", survey),
            n => n == members, Timeout, "the invitations to be sent");
        return (survey, ids, tokens);
    }

    private Task<long> QueuedRemindersAsync(Guid survey) =>
        host.Database.ScalarAsync<long>("SELECT coalesce(sum(reminders_queued), 0) FROM invitations WHERE survey_id = @p0", survey);

    [Fact]
    public async Task Reminders_go_only_to_unanswered_invitations_every_AfterDays_at_most_Max_times_with_the_same_link()
    {
        var (survey, members, tokens) = await OpenAsync(5, afterDays: 3, max: 2);
        // As Surveys tells it: answered without opening the form first, so in both lists.
        await host.PublishAsync(new InvitationsProgressed(survey, [Panelists.Hash(tokens[0])], [Panelists.Hash(tokens[0])]));
        await Eventually.UntilAsync(() => host.Database.ScalarAsync<bool>("SELECT answered FROM invitations WHERE token_hash = @p0", Panelists.Hash(tokens[0])),
            a => a, Timeout, "the answer to be recorded");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var job = Job(clock);

        clock.Advance(TimeSpan.FromDays(2));
        await job.RunOnceAsync(CancellationToken.None);
        Assert.Equal(0L, await QueuedRemindersAsync(survey));

        clock.Advance(TimeSpan.FromDays(1.1));
        await job.RunOnceAsync(CancellationToken.None);
        Assert.Equal(4L, await QueuedRemindersAsync(survey));
        await job.RunOnceAsync(CancellationToken.None);
        Assert.Equal(4L, await QueuedRemindersAsync(survey));

        for (var i = 1; i < 5; i++)
        {
            var messages = await host.Smtp.WaitForMessagesToAsync(await host.EmailOfAsync(members[i]), 2, Timeout);
            Assert.Contains("Muistutus", messages[1].Subject, StringComparison.Ordinal);
            Assert.Equal(tokens[i], Panelists.AnswerToken(messages[1]));
        }

        clock.Advance(TimeSpan.FromDays(3.1));
        await job.RunOnceAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromDays(3.1));
        await job.RunOnceAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromDays(3.1));
        await job.RunOnceAsync(CancellationToken.None);
        Assert.Equal(8L, await QueuedRemindersAsync(survey));

        await Eventually.UntilAsync(() => host.Database.ScalarAsync<long>("SELECT coalesce(sum(reminders_sent), 0) FROM invitations WHERE survey_id = @p0", survey),
            n => n == 8, Timeout, "8 reminders sent");
        await host.EmailsSentAsync();
        Assert.Single(host.Smtp.MessagesTo(await host.EmailOfAsync(members[0])));
        Assert.Equal(3, host.Smtp.MessagesTo(await host.EmailOfAsync(members[1])).Count);
        var progress = await host.Staff(Panel.ServiceDefaults.PanelRoles.Coordinator)
            .GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/membership/surveys/{survey}/invitations/progress");
        // Shown as the disclosure-control engine allows: 8 sent perturbed and rounded to 5, none failed hidden like any count below k.
        var sent = progress.GetProperty("reminders").GetProperty("sent").GetInt32();
        Assert.Equal(0, sent % 5);
        Assert.InRange(sent, 8 - Panel.Privacy.CellKeyPerturbation.MaxError(), 8 + Panel.Privacy.CellKeyPerturbation.MaxError());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, progress.GetProperty("reminders").GetProperty("failed").ValueKind);
    }

    [Fact]
    public async Task Nobody_is_reminded_after_the_survey_closes_or_its_closing_time_passes()
    {
        var (closed, _, _) = await OpenAsync(5);
        await host.PublishAsync(new SurveyClosed(closed, true, DateTimeOffset.UtcNow));
        await Eventually.UntilAsync(() => host.Database.ScalarAsync<long>("SELECT count(*) FROM invitation_surveys WHERE id = @p0 AND closed_at IS NOT NULL", closed),
            n => n == 1, Timeout, "the closing to be recorded");
        var (rescheduled, _, _) = await OpenAsync(5);
        await host.PublishAsync(new SurveyRescheduled(rescheduled, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2), DateTimeOffset.UtcNow));
        await Eventually.UntilAsync(() => host.Database.ScalarAsync<long>("SELECT count(*) FROM invitation_surveys WHERE id = @p0 AND closes_at < now() + interval '3 days'", rescheduled),
            n => n == 1, Timeout, "the new closing time to be recorded");

        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(4));
        await Job(clock).RunOnceAsync(CancellationToken.None);

        Assert.Equal(0L, await QueuedRemindersAsync(closed));
        Assert.Equal(0L, await QueuedRemindersAsync(rescheduled));
    }

    [Fact]
    public async Task Members_who_withdrew_paused_or_were_erased_get_no_reminder()
    {
        var (survey, members, _) = await OpenAsync(5);
        await host.ExecuteAsync("UPDATE members SET status = 'Withdrawn', withdrawn_at = now() WHERE id = @p0", members[0]);
        await host.ExecuteAsync("UPDATE members SET status = 'Paused', paused_until = current_date + 30, paused_at = now() WHERE id = @p0", members[1]);
        (await host.As(members[2]).PostAsJsonAsync("/api/membership/me/erase", new { confirm = true })).EnsureSuccessStatusCode();

        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(4));
        await Job(clock).RunOnceAsync(CancellationToken.None);

        Assert.Equal(2L, await QueuedRemindersAsync(survey));
        Assert.Equal(1L, await host.Database.ScalarAsync<long>("SELECT reminders_queued FROM invitations WHERE member_id = @p0", members[3]));
        Assert.Equal(1L, await host.Database.ScalarAsync<long>("SELECT reminders_queued FROM invitations WHERE member_id = @p0", members[4]));
    }
}
