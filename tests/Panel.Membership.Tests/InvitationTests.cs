using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Panel.Contracts;
using Panel.Membership.Invitations;
using Panel.ServiceDefaults;
using Panel.TestSupport;

namespace Panel.Membership.Tests;

/// <summary>SurveyOpened → the sample, invitations, emails over SMTP and SurveyInvitationsIssued; progress and "my invitations".</summary>
public sealed class InvitationTests(InvitationHost host) : IClassFixture<InvitationHost>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private Task<JsonElement> ProgressAsync(Guid surveyId) =>
        host.Staff(PanelRoles.Coordinator).GetFromJsonAsync<JsonElement>($"/api/membership/surveys/{surveyId}/invitations/progress");

    // The exact counts, for the mechanics tested here; what progress shows of them is tested in DisclosureControlTests.
    private Task<JsonElement> CountsAsync(Guid surveyId) => host.ExactProgressAsync(surveyId);

    private async Task<List<JsonElement>> IssuedEventsAsync(Guid surveyId)
    {
        var bodies = await host.Database.ScalarAsync<string>(
            "SELECT coalesce(json_agg(body ORDER BY created_at)::text, '[]') FROM outbox_messages WHERE message_type = @p0 AND body->>'surveyId' = @p1",
            typeof(SurveyInvitationsIssued).FullName!, surveyId.ToString());
        return JsonDocument.Parse(bodies).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    [Fact]
    public async Task Opening_invites_a_random_sample_of_invitable_members_only_and_emails_each_their_link_in_their_language()
    {
        var campaign = Panelists.NewCampaign();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var invitable = await host.AddManyAsync(12, campaign);
        var swedish = await host.AddAsync(campaign, language: "sv");
        invitable.Add(swedish);
        var never = new[]
        {
            await host.AddAsync(campaign, status: "Pending"),
            await host.AddAsync(campaign, status: "Paused", pausedUntil: today.AddDays(5)),
            await host.AddAsync(campaign, status: "Withdrawn"),
            await host.AddAsync(campaign, consent: "0"),
        };
        var survey = Guid.NewGuid();

        Assert.Equal(13, await host.OpenAsync(Panelists.Opened(survey, Panelists.Group(campaign))));
        var invited = await host.InvitedAsync(survey);
        Assert.Equal(invitable.ToHashSet(), invited);
        Assert.DoesNotContain(never, invited.Contains);

        // Every invited member gets one email whose link's token hashes to the invitation's hash, and the event carries it.
        var events = await IssuedEventsAsync(survey);
        var issuedHashes = events.SelectMany(e => e.GetProperty("invitations").EnumerateArray()).Select(i => i.GetProperty("tokenHash").GetString()!).ToHashSet();
        Assert.Equal(13, issuedHashes.Count);
        foreach (var member in invitable)
        {
            var message = await host.Smtp.WaitForMessageToAsync(await host.EmailOfAsync(member), Timeout);
            var token = Panelists.AnswerToken(message);
            var hash = Panelists.Hash(token);
            Assert.Contains(hash, issuedHashes);
            Assert.Equal(member.ToString(), await host.Database.ScalarAsync<string>("SELECT member_id::text FROM invitations WHERE token_hash = @p0", hash));
            var text = message.TextBody!;
            if (member == swedish)
            {
                Assert.Equal("sv", (message.Headers["Content-Language"] ?? message.Body?.Headers["Content-Language"]));
                Assert.Contains("Enkät om hemvård", message.Subject, StringComparison.Ordinal);
                Assert.Contains("Vi utvecklar hemvården.", text, StringComparison.Ordinal);
                Assert.Contains("anonyma", text, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal("fi", (message.Headers["Content-Language"] ?? message.Body?.Headers["Content-Language"]));
                Assert.Contains("Kotihoidon kysely", message.Subject, StringComparison.Ordinal);
                Assert.Contains("Kehitämme kotihoitoa.", text, StringComparison.Ordinal);
                Assert.Contains("nimettömiä", text, StringComparison.Ordinal);
            }
        }

        // The invitation's profile and language travel with the hash; contact details do not.
        var swedishHash = await host.Database.ScalarAsync<string>("SELECT token_hash FROM invitations WHERE member_id = @p0", swedish);
        var swedishIssued = events.SelectMany(e => e.GetProperty("invitations").EnumerateArray()).Single(i => i.GetProperty("tokenHash").GetString() == swedishHash);
        Assert.Equal("sv", swedishIssued.GetProperty("language").GetString());
        Assert.Equal("35-44", swedishIssued.GetProperty("profile").GetProperty("ageBand").GetString());
        Assert.DoesNotContain("@", string.Join("", events.Select(e => e.ToString())), StringComparison.Ordinal);

        var progress = await Eventually.UntilAsync(() => CountsAsync(survey), p => p.GetProperty("sent").GetInt32() == 13, Timeout, "13 sent");
        Assert.Equal(13, progress.GetProperty("issued").GetInt32());
        Assert.Equal(0, progress.GetProperty("failed").GetInt32());
        Assert.Equal(1, await host.Database.ScalarAsync<int>("SELECT attempts FROM invitations WHERE member_id = @p0", swedish));
    }

    [Fact]
    public async Task The_token_is_stored_only_protected_and_the_sent_email_keeps_no_body()
    {
        var campaign = Panelists.NewCampaign();
        var member = await host.AddAsync(campaign);
        await host.AddManyAsync(4, campaign); // a target group of k = 5: fewer are never invited
        var survey = Guid.NewGuid();
        await host.OpenAsync(Panelists.Opened(survey, Panelists.Group(campaign)));
        var token = Panelists.AnswerToken(await host.Smtp.WaitForMessageToAsync(await host.EmailOfAsync(member), Timeout));
        await Eventually.UntilAsync(() => host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE member_id = @p0 AND sent_at IS NOT NULL", member),
            n => n == 1, Timeout, "the invitation to be marked sent");

        Assert.DoesNotContain(token, await host.Database.DumpTextAsync(), StringComparison.Ordinal);
        Assert.NotNull(await host.Database.ScalarAsync<string>("SELECT protected_token FROM invitations WHERE member_id = @p0", member));
    }

    [Fact]
    public async Task A_sample_takes_the_asked_size_among_matching_members_and_the_same_seed_draws_the_same_sample()
    {
        var campaign = Panelists.NewCampaign();
        await host.AddManyAsync(30, campaign);
        await host.AddManyAsync(5, Panelists.NewCampaign());
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();

        Assert.Equal(10, await host.OpenAsync(Panelists.Opened(first, Panelists.Group(campaign, sampleSize: 10))));
        Assert.Equal(10, await host.OpenAsync(Panelists.Opened(second, Panelists.Group(campaign, sampleSize: 10))));

        // The host's seed is fixed and the candidates were the same: the same ten.
        Assert.Equal(await host.InvitedAsync(first), await host.InvitedAsync(second));
        var progress = await ProgressAsync(first);
        Assert.Equal(10, progress.GetProperty("sampleSize").GetInt32());
    }

    [Fact]
    public void Sampler_is_deterministic_for_a_seed_and_differs_between_seeds()
    {
        var candidates = Enumerable.Range(0, 200).Select(i => new Candidate { Id = Guid.NewGuid(), AgeBand = i % 4 == 0 ? "75-84" : "35-44", Municipality = "Tampere", Language = "fi" }).ToList();
        var quotas = new[] { new TargetQuota("ageBand", ["75-84"], 0.5m) };
        var a = Sampler.Draw(candidates, 40, quotas, new Random(1)).Members.Select(c => c.Id).ToList();
        var b = Sampler.Draw(candidates, 40, quotas, new Random(1)).Members.Select(c => c.Id).ToList();
        var c = Sampler.Draw(candidates, 40, quotas, new Random(2)).Members.Select(c => c.Id).ToList();
        Assert.Equal(a, b);
        Assert.NotEqual(a.ToHashSet(), c.ToHashSet());
        Assert.Equal(40, a.Distinct().Count());
        Assert.True(Sampler.Draw(candidates, 40, quotas, new Random(1)).Members.Count(m => m.AgeBand == "75-84") >= 20);
        // Without a quota the older quarter would be about 10 of 40; the quota is what lifts it to 20.
        Assert.True(Sampler.Draw(candidates, 40, [], new Random(1)).Members.Count(m => m.AgeBand == "75-84") < 20);
    }

    [Fact]
    public async Task Quotas_are_met_when_possible_and_a_shortfall_is_recorded_when_not()
    {
        var campaign = Panelists.NewCampaign();
        var old = await host.AddManyAsync(8, campaign, ageBand: "75-84");
        await host.AddManyAsync(30, campaign, ageBand: "25-34");
        var oldest = await host.AddManyAsync(2, campaign, ageBand: "85+");
        var met = Guid.NewGuid();
        Assert.Equal(10, await host.OpenAsync(Panelists.Opened(met, Panelists.Group(campaign, sampleSize: 10,
            quotas: [new SurveyQuotaSnapshot("ageBand", ["75-84"], 0.6m)]))));
        Assert.True((await host.InvitedAsync(met)).Count(old.Contains) >= 6);
        Assert.Equal(0, (await ProgressAsync(met)).GetProperty("shortfalls").GetArrayLength());

        var shortfall = Guid.NewGuid();
        Assert.Equal(10, await host.OpenAsync(Panelists.Opened(shortfall, Panelists.Group(campaign, sampleSize: 10,
            quotas: [new SurveyQuotaSnapshot("ageBand", ["85+"], 0.5m)]))));
        Assert.True(oldest.All((await host.InvitedAsync(shortfall)).Contains), "everyone of the quota there is, is invited");
        var recorded = (await ProgressAsync(shortfall)).GetProperty("shortfalls")[0];
        Assert.Equal("ageBand", recorded.GetProperty("attribute").GetString());
        Assert.Equal(5, recorded.GetProperty("wanted").GetInt32());
        // Two invited: fewer than k, so hidden like every count below k.
        Assert.Equal(JsonValueKind.Null, recorded.GetProperty("invited").ValueKind);
    }

    [Fact]
    public async Task No_member_is_invited_more_than_MaxPerMember_times_within_WindowDays()
    {
        var campaign = Panelists.NewCampaign();
        var members = await host.AddManyAsync(5, campaign);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(5, await host.OpenAsync(Panelists.Opened(Guid.NewGuid(), Panelists.Group(campaign))));
        }

        Assert.Equal(0, await host.OpenAsync(Panelists.Opened(Guid.NewGuid(), Panelists.Group(campaign))));

        // An invitation older than the window no longer counts; one member free again is fewer than k, so nobody is invited.
        const string Age = """
            UPDATE invitations SET invited_at = now() - interval '91 days'
            WHERE id = (SELECT id FROM invitations WHERE member_id = @p0 ORDER BY invited_at LIMIT 1)
            """;
        await host.ExecuteAsync(Age, members[0]);
        Assert.Equal(0, await host.OpenAsync(Panelists.Opened(Guid.NewGuid(), Panelists.Group(campaign))));
        foreach (var m in members.Skip(1))
        {
            await host.ExecuteAsync(Age, m);
        }

        var later = Guid.NewGuid();
        Assert.Equal(5, await host.OpenAsync(Panelists.Opened(later, Panelists.Group(campaign))));
        Assert.Equal(members.ToHashSet(), await host.InvitedAsync(later));
    }

    [Fact]
    public async Task A_redelivered_or_republished_opening_issues_nothing_twice()
    {
        var campaign = Panelists.NewCampaign();
        var member = await host.AddAsync(campaign);
        await host.AddManyAsync(4, campaign);
        var opened = Panelists.Opened(Guid.NewGuid(), Panelists.Group(campaign));
        var messageId = Guid.NewGuid();
        Assert.Equal(5, await host.OpenAsync(opened, messageId));

        await host.PublishAsync(opened, messageId);
        var republished = Guid.NewGuid();
        await host.PublishAsync(opened, republished);
        await host.Deliveries.UntilDoneAsync(messageId, times: 2);
        await host.Deliveries.UntilDoneAsync(republished);

        Assert.Equal(5, await host.InvitedCountAsync(opened.SurveyId));
        Assert.Equal(5, (await IssuedEventsAsync(opened.SurveyId)).Sum(e => e.GetProperty("invitations").GetArrayLength()));
        var email = await host.EmailOfAsync(member);
        await host.Smtp.WaitForMessageToAsync(email, Timeout);
        await host.EmailsSentAsync();
        Assert.Single(host.Smtp.MessagesTo(email));
    }

    [Fact]
    public async Task An_open_link_survey_invites_nobody()
    {
        var campaign = Panelists.NewCampaign();
        await host.AddManyAsync(3, campaign);
        var opened = Panelists.Opened(Guid.NewGuid(), new SurveyTargetGroupSnapshot([], [], [], [], null, [], null, [], "open-link", null));
        var messageId = Guid.NewGuid();
        await host.PublishAsync(opened, messageId);
        await Eventually.UntilAsync(() => host.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE consumer = 'SurveyOpenedConsumer'"),
            n => n > 0, Timeout, "an opening consumed");
        await host.Deliveries.UntilDoneAsync(messageId);
        Assert.Equal(0, await host.InvitedCountAsync(opened.SurveyId));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Staff(PanelRoles.Coordinator).GetAsync($"/api/membership/surveys/{opened.SurveyId}/invitations/progress")).StatusCode);
    }

    [Fact]
    public async Task Invitations_are_published_in_chunks_of_at_most_1000_with_the_right_total()
    {
        var campaign = Panelists.NewCampaign();
        await host.ExecuteAsync("""
            INSERT INTO members (id, email, birth_year, reported_age_band, municipality, gender, language, is_client, contact_channel,
                status, joined_at, verified_at, consent_version, consent_accepted_at, campaign_code)
            SELECT gen_random_uuid(), 'bulk-' || g || '-' || @p0 || '@example.invalid', 1980, '45-54', 'Nokia', NULL, 'en', false, 'email',
                'Active', now(), now(), '1', now(), @p0
            FROM generate_series(1, 2100) g
            """, campaign);
        var survey = Guid.NewGuid();
        Assert.Equal(2100, await host.OpenAsync(Panelists.Opened(survey, Panelists.Group(campaign))));

        var sizes = (await IssuedEventsAsync(survey)).Select(e => e.GetProperty("invitations").GetArrayLength()).ToList();
        Assert.All(sizes, s => Assert.InRange(s, 1, 1000));
        Assert.Equal(2100, sizes.Sum());
        Assert.Equal(3, sizes.Count);
        // Exact from the database: progress shows counts perturbed and rounded to 5 (disclosure control).
        await Eventually.UntilAsync(() => host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE survey_id = @p0 AND sent_at IS NOT NULL", survey),
            n => n == 2100, TimeSpan.FromSeconds(120), "2100 emails sent");
    }

    [Fact]
    public async Task Opened_and_answered_invitations_show_in_progress_and_the_closing_clears_the_tokens()
    {
        var campaign = Panelists.NewCampaign();
        var members = await host.AddManyAsync(5, campaign);
        var survey = Guid.NewGuid();
        await host.OpenAsync(Panelists.Opened(survey, Panelists.Group(campaign)));
        var hashes = new List<string>();
        foreach (var m in members)
        {
            hashes.Add(Panelists.Hash(Panelists.AnswerToken(await host.Smtp.WaitForMessageToAsync(await host.EmailOfAsync(m), Timeout))));
        }

        await host.PublishAsync(new InvitationOpened(survey, hashes[0]));
        await host.PublishAsync(new InvitationOpened(survey, hashes[1]));
        await host.PublishAsync(new InvitationAnswered(survey, hashes[1]));
        await host.PublishAsync(new InvitationOpened(Guid.NewGuid(), hashes[2])); // another survey's: changes nothing here
        var progress = await Eventually.UntilAsync(() => CountsAsync(survey),
            p => p.GetProperty("opened").GetInt32() == 2 && p.GetProperty("answered").GetInt32() == 1, Timeout, "2 opened, 1 answered");
        Assert.Equal(5, progress.GetProperty("sent").GetInt32());
        Assert.False((await ProgressAsync(survey)).GetProperty("closed").GetBoolean());

        // Until the closing, the survey's protected data key and each invitation's encrypted token give the token back.
        var tokens = host.Services.GetRequiredService<InvitationTokens>();
        var surveyKey = await host.Database.ScalarAsync<string>("SELECT token_key FROM invitation_surveys WHERE id = @p0", survey);
        var invitationId = await host.Database.ScalarAsync<Guid>("SELECT id FROM invitations WHERE token_hash = @p0", hashes[0]);
        var encrypted = await host.Database.ScalarAsync<string>("SELECT protected_token FROM invitations WHERE id = @p0", invitationId);
        using (var key = tokens.OpenSurveyKey(survey, surveyKey))
        {
            Assert.Equal(hashes[0], Panelists.Hash(tokens.Unprotect(key, invitationId, encrypted)!));
        }

        await host.PublishAsync(new SurveyClosed(survey, false, DateTimeOffset.UtcNow));
        await Eventually.UntilAsync(() => host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE survey_id = @p0 AND protected_token IS NOT NULL", survey),
            n => n == 0, Timeout, "the protected tokens to be cleared");
        // The survey's key is deleted too: nothing left in the database recovers a token.
        Assert.Equal(1L, await host.Database.ScalarAsync<long>("SELECT count(*) FROM invitation_surveys WHERE id = @p0 AND token_key IS NULL", survey));
        Assert.True((await ProgressAsync(survey)).GetProperty("closed").GetBoolean());
        Assert.Equal(1, (await CountsAsync(survey)).GetProperty("answered").GetInt32());
    }

    [Fact]
    public async Task Opens_and_answers_told_together_by_Surveys_show_in_progress_once_and_drop_a_queued_reminder()
    {
        var campaign = Panelists.NewCampaign();
        var members = await host.AddManyAsync(5, campaign);
        var survey = Guid.NewGuid();
        await host.OpenAsync(Panelists.Opened(survey, Panelists.Group(campaign)));
        var hashes = new List<string>();
        foreach (var m in members)
        {
            hashes.Add(Panelists.Hash(Panelists.AnswerToken(await host.Smtp.WaitForMessageToAsync(await host.EmailOfAsync(m), Timeout))));
        }

        await Eventually.UntilAsync(() => CountsAsync(survey), p => p.GetProperty("sent").GetInt32() == 5, Timeout, "5 sent");
        // A reminder queued for the member who then answers (held, so the sender leaves it to this test): it must go.
        var reminded = await host.Database.ScalarAsync<Guid>("SELECT id FROM invitations WHERE token_hash = @p0", hashes[2]);
        await host.ExecuteAsync("""
            INSERT INTO email_outbox (id, member_id, invitation_id, kind, to_address, language, subject, body, created_at, attempts, held)
            SELECT gen_random_uuid(), i.member_id, i.id, 'Reminder', m.email, i.language, '', NULL, now(), 0, true
            FROM invitations i JOIN members m ON m.id = i.member_id WHERE i.id = @p0
            """, reminded);
        Assert.Equal(1L, await host.Database.ScalarAsync<long>("SELECT count(*) FROM email_outbox WHERE invitation_id = @p0 AND kind = 'Reminder'", reminded));

        var unknown = new string('e', 64);
        await host.PublishAsync(new InvitationsProgressed(survey, [hashes[0], hashes[1], hashes[2]], [hashes[1], hashes[2], unknown]));
        await host.PublishAsync(new InvitationsProgressed(survey, [hashes[1]], [hashes[1]])); // told again: counted once
        await host.PublishAsync(new InvitationsProgressed(Guid.NewGuid(), [hashes[3]], [hashes[3]])); // another survey's: changes nothing here
        var progress = await Eventually.UntilAsync(() => CountsAsync(survey),
            p => p.GetProperty("opened").GetInt32() == 3 && p.GetProperty("answered").GetInt32() == 2, Timeout, "3 opened, 2 answered");
        Assert.Equal(5, progress.GetProperty("sent").GetInt32());
        Assert.Equal(0L, await host.Database.ScalarAsync<long>(
            "SELECT count(*) FROM email_outbox WHERE invitation_id = @p0 AND kind = 'Reminder'", reminded));
        Assert.False(await host.Database.ScalarAsync<bool>("SELECT opened OR answered FROM invitations WHERE token_hash = @p0", hashes[3]));
    }

    [Fact]
    public async Task Progress_is_for_coordinators_it_admins_and_domain_contacts_of_the_survey_area()
    {
        var campaign = Panelists.NewCampaign();
        await host.AddManyAsync(5, campaign);
        var survey = Guid.NewGuid();
        await host.OpenAsync(Panelists.Opened(survey, Panelists.Group(campaign)));
        var path = $"/api/membership/surveys/{survey}/invitations/progress";

        Assert.Equal(HttpStatusCode.OK, (await host.Staff(PanelRoles.Coordinator).GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Staff(PanelRoles.ItAdmin).GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Staff(PanelRoles.DomainContact, InvitationHost.Area).GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Staff(PanelRoles.DomainContact, "dental-care").GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Staff(PanelRoles.SurveyAuthor).GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Staff(PanelRoles.ReportReader).GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.As(Guid.NewGuid()).GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client().GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Staff(PanelRoles.Coordinator).GetAsync($"/api/membership/surveys/{Guid.NewGuid()}/invitations/progress")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Staff(PanelRoles.Coordinator).GetAsync("/api/membership/surveys/not-a-guid/invitations/progress")).StatusCode);
    }

    [Fact]
    public async Task My_invitations_lists_my_open_ones_unanswered_first_with_the_token_of_my_link()
    {
        var campaign = Panelists.NewCampaign();
        var me = await host.AddAsync(campaign, language: "en");
        var other = await host.AddAsync(campaign);
        await host.AddManyAsync(3, campaign); // a target group of k = 5
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        await host.OpenAsync(Panelists.Opened(first, Panelists.Group(campaign)));
        await host.OpenAsync(Panelists.Opened(second, Panelists.Group(campaign), languages: ["fi", "sv"]));
        var hashFirst = await host.Database.ScalarAsync<string>("SELECT token_hash FROM invitations WHERE member_id = @p0 AND survey_id = @p1", me, first);
        await host.PublishAsync(new InvitationAnswered(first, hashFirst));
        await Eventually.UntilAsync(() => host.Database.ScalarAsync<bool>("SELECT answered FROM invitations WHERE token_hash = @p0", hashFirst), a => a, Timeout, "answered");

        var mine = await host.As(me).GetFromJsonAsync<JsonElement>("/api/membership/me/invitations");
        Assert.Equal(2, mine.GetArrayLength());
        Assert.Equal(second, mine[0].GetProperty("surveyId").GetGuid());
        Assert.False(mine[0].GetProperty("answered").GetBoolean());
        Assert.Equal("Kotihoidon kysely", mine[0].GetProperty("title").GetString()); // English is not among its languages
        Assert.Equal(first, mine[1].GetProperty("surveyId").GetGuid());
        Assert.True(mine[1].GetProperty("answered").GetBoolean());
        Assert.Equal("Home care survey", mine[1].GetProperty("title").GetString());
        Assert.Equal(hashFirst, Panelists.Hash(mine[1].GetProperty("token").GetString()!));

        await host.PublishAsync(new SurveyClosed(second, true, DateTimeOffset.UtcNow));
        await Eventually.UntilAsync(async () => (await host.As(me).GetFromJsonAsync<JsonElement>("/api/membership/me/invitations")).GetArrayLength(),
            n => n == 1, Timeout, "the closed survey to leave the list");
        Assert.Equal(HttpStatusCode.NotFound, (await host.As(Guid.NewGuid()).GetAsync("/api/membership/me/invitations")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Staff(PanelRoles.Coordinator).GetAsync("/api/membership/me/invitations")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client().GetAsync("/api/membership/me/invitations")).StatusCode);
        var theirs = await host.As(other).GetFromJsonAsync<JsonElement>("/api/membership/me/invitations");
        Assert.Equal(first, Assert.Single(theirs.EnumerateArray()).GetProperty("surveyId").GetGuid());
        Assert.NotEqual(hashFirst, Panelists.Hash(theirs[0].GetProperty("token").GetString()!));
    }

    [Fact]
    public async Task Erasing_a_member_deletes_their_invitations_and_their_links()
    {
        var campaign = Panelists.NewCampaign();
        var resident = await host.SignedInAsync();
        await host.ExecuteAsync("UPDATE members SET campaign_code = @p0 WHERE id = @p1", campaign, resident.Id);
        await host.AddManyAsync(4, campaign);
        var survey = Guid.NewGuid();
        Assert.Equal(5, await host.OpenAsync(Panelists.Opened(survey, Panelists.Group(campaign))));
        await Eventually.UntilAsync(() => CountsAsync(survey), p => p.GetProperty("sent").GetInt32() == 5, Timeout, "5 sent");
        var hash = await host.Database.ScalarAsync<string>("SELECT token_hash FROM invitations WHERE member_id = @p0", resident.Id);
        await host.PublishAsync(new InvitationAnswered(survey, hash));
        await Eventually.UntilAsync(() => CountsAsync(survey), p => p.GetProperty("answered").GetInt32() == 1, Timeout, "1 answered");

        (await host.As(resident.Id).PostAsJsonAsync("/api/membership/me/erase", new { confirm = true })).EnsureSuccessStatusCode();

        // A token hash would lead to the invitation Surveys holds with the member's profile: the invitation goes.
        Assert.Equal(0L, await host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE member_id = @p0 OR token_hash = @p1", resident.Id, hash));
        var erased = await host.OutboxEventAsync("MemberDataErased", resident.Id);
        Assert.Equal([hash], erased.GetProperty("invitationTokenHashes").EnumerateArray().Select(h => h.GetString()).ToList());
        Assert.False(erased.TryGetProperty("profile", out _));
        var counts = await CountsAsync(survey);
        Assert.Equal(4, counts.GetProperty("issued").GetInt32());
        Assert.Equal(0, counts.GetProperty("answered").GetInt32());
    }
}
