using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Panel.TestSupport;

namespace Panel.Membership.Tests;

public sealed class SignInTests(MembershipHost host) : IClassFixture<MembershipHost>
{
    [Fact]
    public async Task A_sign_in_link_starts_a_session_whose_resident_token_reads_the_members_own_data()
    {
        var email = Residents.NewEmail();
        (await host.VerifyAsync(SmtpSink.TokenIn(await host.JoinAsync(email, "sv")))).EnsureSuccessStatusCode();
        var signedInBefore = await host.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE message_type = 'Panel.Contracts.MemberSignedIn'");

        var message = await host.RequestSignInLinkAsync(email, expectedMessages: 2);
        var session = await host.StartSessionAsync(SmtpSink.TokenIn(message));

        Assert.StartsWith("Inloggningslänk", message.Subject);
        Assert.Equal($"{MembershipHost.PublicBaseUrl}/sign-in/link", SmtpSink.LinkIn(message).GetLeftPart(UriPartial.Path));
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
        var body = await session.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("panelistId").GetGuid();
        Assert.Equal(await host.IdOfAsync(email), id);
        Assert.Equal("sv", body.GetProperty("language").GetString());
        Assert.False(body.GetProperty("consentRequired").GetBoolean());
        Assert.Equal(signedInBefore + 1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE message_type = 'Panel.Contracts.MemberSignedIn'"));
        var me = await host.As(id).GetFromJsonAsync<JsonElement>("/api/membership/me");
        Assert.Equal(email, me.GetProperty("email").GetString());
        Assert.Equal("Active", me.GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_sign_in_link_works_once()
    {
        var resident = await host.SignedInAsync();
        var message = await host.RequestSignInLinkAsync(resident.Email, expectedMessages: 3);
        var token = SmtpSink.TokenIn(message);

        var first = await host.StartSessionAsync(token);
        var second = await host.StartSessionAsync(token);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("already been used", (await Residents.ProblemErrorsAsync(second)).GetProperty("token")[0].GetString());
    }

    [Fact]
    public async Task Sign_in_links_answer_alike_for_members_and_strangers_and_only_members_get_mail()
    {
        var member = Residents.NewEmail();
        var stranger = Residents.NewEmail();
        (await host.VerifyAsync(SmtpSink.TokenIn(await host.JoinAsync(member)))).EnsureSuccessStatusCode();
        var emailsBefore = await host.Database.ScalarAsync<long>("SELECT count(*) FROM email_outbox");

        var forStranger = await host.Public().PostAsJsonAsync("/api/membership/sign-in-links", new { email = stranger });
        var forMember = await host.Public().PostAsJsonAsync("/api/membership/sign-in-links", new { email = member });
        await host.Smtp.WaitForMessagesToAsync(member, 2, Residents.MailTimeout);

        Assert.Equal(HttpStatusCode.Accepted, forStranger.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, forMember.StatusCode);
        Assert.Equal(await forMember.Content.ReadAsStringAsync(), await forStranger.Content.ReadAsStringAsync());
        Assert.Empty(host.Smtp.MessagesTo(stranger));
        Assert.Equal(emailsBefore + 1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM email_outbox"));
    }

    [Fact]
    public async Task A_pending_member_asking_to_sign_in_gets_the_verification_email_again()
    {
        var email = Residents.NewEmail();
        await host.JoinAsync(email, "en");
        await host.ExecuteAsync("UPDATE email_outbox SET created_at = created_at - interval '10 minutes' WHERE member_id = @p0", await host.IdOfAsync(email));

        var message = await host.RequestSignInLinkAsync(email, expectedMessages: 2);

        Assert.StartsWith("Confirm your email address", message.Subject);
        Assert.Equal(HttpStatusCode.OK, (await host.VerifyAsync(SmtpSink.TokenIn(message))).StatusCode);
    }

    [Fact]
    public async Task At_most_three_emails_per_address_per_hour_are_sent_and_more_requests_are_silently_dropped()
    {
        var email = Residents.NewEmail();
        (await host.VerifyAsync(SmtpSink.TokenIn(await host.JoinAsync(email)))).EnsureSuccessStatusCode();
        var id = await host.IdOfAsync(email);
        // The verification email was over an hour ago.
        await host.ExecuteAsync("UPDATE email_outbox SET created_at = created_at - interval '61 minutes' WHERE member_id = @p0", id);

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            responses.Add(await host.Public().PostAsJsonAsync("/api/membership/sign-in-links", new { email }));
        }

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        await host.SignInLinksHandledAsync();
        Assert.Equal(3, await host.Database.ScalarAsync<long>("SELECT count(*) FROM email_outbox WHERE member_id = @p0 AND kind = 'SignIn'", id));
        await host.Smtp.WaitForMessagesToAsync(email, 4, Residents.MailTimeout);
        await host.EmailsSentAsync();
        Assert.Equal(4, host.Smtp.MessagesTo(email).Count);
    }

    [Fact]
    public async Task Concurrent_sign_in_requests_still_send_at_most_three()
    {
        var email = Residents.NewEmail();
        (await host.VerifyAsync(SmtpSink.TokenIn(await host.JoinAsync(email)))).EnsureSuccessStatusCode();
        var id = await host.IdOfAsync(email);
        await host.ExecuteAsync("UPDATE email_outbox SET created_at = created_at - interval '61 minutes' WHERE member_id = @p0", id);
        var client = host.Public();

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.PostAsJsonAsync("/api/membership/sign-in-links", new { email })));
        await host.SignInLinksHandledAsync();

        Assert.Equal(3, await host.Database.ScalarAsync<long>("SELECT count(*) FROM email_outbox WHERE member_id = @p0 AND kind = 'SignIn'", id));
    }

    [Theory]
    [InlineData("{\"email\":\"not-an-email\"}")]
    [InlineData("{}")]
    public async Task A_malformed_email_is_a_400_naming_the_email(string json)
    {
        var response = await host.Public().PostAsync("/api/membership/sign-in-links",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.True((await Residents.ProblemErrorsAsync(response)).TryGetProperty("email", out _));
    }

    [Fact]
    public async Task Consent_gives_the_current_version_and_texts_in_three_languages()
    {
        var consent = await host.Public().GetFromJsonAsync<JsonElement>("/api/membership/consent");

        Assert.Equal("1", consent.GetProperty("version").GetString());
        Assert.Contains("asukaspaneeli", consent.GetProperty("texts").GetProperty("fi").GetString());
        Assert.Contains("invånarpanel", consent.GetProperty("texts").GetProperty("sv").GetString());
        Assert.Contains("resident panel", consent.GetProperty("texts").GetProperty("en").GetString());
    }

    [Fact]
    public async Task Public_endpoints_need_the_gateways_token()
    {
        var anonymous = host.Client();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/membership/sign-in-links", new { email = Residents.NewEmail() })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/membership/sessions", new { token = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/membership/verifications", new { token = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/membership/consent")).StatusCode);
    }
}
