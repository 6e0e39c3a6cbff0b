using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Panel.TestSupport;

namespace Panel.Membership.Tests;

public sealed class VerificationTests(MembershipHost host) : IClassFixture<MembershipHost>
{
    [Theory]
    [InlineData("fi", "Vahvista sähköpostiosoitteesi", "voimassa 48 tuntia")]
    [InlineData("sv", "Bekräfta din e-postadress", "gäller i 48 timmar")]
    [InlineData("en", "Confirm your email address", "valid for 48 hours")]
    public async Task Joining_sends_a_verification_email_in_the_members_language_whose_link_activates_the_member(
        string language, string subject, string lifetime)
    {
        var email = Residents.NewEmail();

        var message = await host.JoinAsync(email, language);
        var link = SmtpSink.LinkIn(message);
        var response = await host.VerifyAsync(SmtpSink.TokenIn(message));

        Assert.StartsWith(subject, message.Subject);
        Assert.Contains(lifetime, message.TextBody);
        Assert.Equal("panel@example.fi", message.From.Mailboxes.Single().Address);
        Assert.Equal($"{MembershipHost.PublicBaseUrl}/verify", link.GetLeftPart(UriPartial.Path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("verified", body.GetProperty("status").GetString());
        Assert.Equal(language, body.GetProperty("language").GetString());
        var id = await host.IdOfAsync(email);
        Assert.Equal("Active", await host.Database.ScalarAsync<string>("SELECT status FROM members WHERE id = @p0", id));
        Assert.Equal(1, await host.OutboxCountAsync("MemberVerified", id));
        var verified = await host.OutboxEventAsync("MemberVerified", id);
        Assert.Equal("POSTER-1", verified.GetProperty("campaignCode").GetString());
        Assert.DoesNotContain(email, verified.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_verification_link_works_once()
    {
        var email = Residents.NewEmail();
        var token = SmtpSink.TokenIn(await host.JoinAsync(email));

        var first = await host.VerifyAsync(token);
        var second = await host.VerifyAsync(token);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var errors = await Residents.ProblemErrorsAsync(second);
        Assert.Contains("already been used", errors.GetProperty("token")[0].GetString());
        Assert.Equal(1, await host.OutboxCountAsync("MemberVerified", await host.IdOfAsync(email)));
    }

    [Theory]
    [InlineData("{\"token\":\"not-a-real-token\"}")]
    [InlineData("{\"token\":\"\"}")]
    [InlineData("{}")]
    public async Task An_unknown_or_missing_token_is_a_400_naming_the_token(string json)
    {
        var response = await host.Public().PostAsync("/api/membership/verifications",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        var errors = await Residents.ProblemErrorsAsync(response);
        Assert.True(errors.TryGetProperty("token", out _));
    }

    [Fact]
    public async Task A_sign_in_token_does_not_verify_and_a_verification_token_does_not_sign_in()
    {
        var email = Residents.NewEmail();
        var verification = SmtpSink.TokenIn(await host.JoinAsync(email));

        var session = await host.StartSessionAsync(verification);

        Assert.True((await Residents.ProblemErrorsAsync(session)).TryGetProperty("token", out _));
        Assert.Equal(HttpStatusCode.OK, (await host.VerifyAsync(verification)).StatusCode);
    }

    [Fact]
    public async Task Tokens_are_stored_only_as_hashes_and_a_sent_email_keeps_no_body()
    {
        var email = Residents.NewEmail();
        var token = SmtpSink.TokenIn(await host.JoinAsync(email));
        var id = await host.IdOfAsync(email);

        await Eventually.UntilAsync(
            () => host.Database.ScalarAsync<long>("SELECT count(*) FROM email_outbox WHERE member_id = @p0 AND sent_at IS NOT NULL AND body IS NULL", id),
            n => n == 1, TimeSpan.FromSeconds(10), "the sent email's body to be cleared");
        var dump = await host.Database.DumpTextAsync();

        Assert.DoesNotContain(token, dump);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token))), dump);
    }

    [Fact]
    public async Task Joining_again_while_pending_resends_the_verification_email_at_most_once_per_five_minutes_and_tells_active_members_they_are_in()
    {
        var pending = Residents.NewEmail();
        var active = Residents.NewEmail();
        await host.JoinAsync(pending);
        (await host.VerifyAsync(SmtpSink.TokenIn(await host.JoinAsync(active)))).EnsureSuccessStatusCode();

        var again = await host.Public().PostAsJsonAsync("/api/membership/members", Residents.Join(pending));
        var activeAgain = await host.Public().PostAsJsonAsync("/api/membership/members", Residents.Join(active));

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(await again.Content.ReadAsStringAsync(), await activeAgain.Content.ReadAsStringAsync());
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM email_outbox WHERE member_id = @p0", await host.IdOfAsync(pending)));
        // An active member hears that the address is already in the panel (AccountExistenceTests), not a verification.
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM email_outbox WHERE member_id = @p0 AND kind = 'Verification'", await host.IdOfAsync(active)));
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM email_outbox WHERE member_id = @p0 AND kind = 'AlreadyMember'", await host.IdOfAsync(active)));

        // Five minutes later the pending member gets the email again; the active one no verification either.
        await host.ExecuteAsync("UPDATE email_outbox SET created_at = created_at - interval '6 minutes' WHERE member_id IN (@p0, @p1)",
            await host.IdOfAsync(pending), await host.IdOfAsync(active));
        await host.Public().PostAsJsonAsync("/api/membership/members", Residents.Join(pending));
        await host.Public().PostAsJsonAsync("/api/membership/members", Residents.Join(active));

        var messages = await host.Smtp.WaitForMessagesToAsync(pending, 2, Residents.MailTimeout);
        Assert.NotEqual(SmtpSink.TokenIn(messages[0]), SmtpSink.TokenIn(messages[1]));
        Assert.Equal(HttpStatusCode.OK, (await host.VerifyAsync(SmtpSink.TokenIn(messages[1]))).StatusCode);
        var toActive = await host.Smtp.WaitForMessagesToAsync(active, 3, Residents.MailTimeout);
        Assert.All(toActive.Skip(1), m => Assert.Equal("Olet jo asukaspaneelissa", m.Subject));
    }
}
