using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Panel.TestSupport;
using Xunit.Abstractions;

namespace Panel.Membership.Tests;

/// <summary>
/// Joining and asking for a sign-in link do not tell whether an address is a member's: the answer (status, body,
/// headers) and its time are the same, and what the person behind the address needs to hear comes by email.
/// </summary>
public sealed class AccountExistenceTests(MembershipHost host, ITestOutputHelper output) : IClassFixture<MembershipHost>
{
    private async Task<string> ActiveMemberAsync(string language = "fi")
    {
        var email = Residents.NewEmail();
        (await host.VerifyAsync(SmtpSink.TokenIn(await host.JoinAsync(email, language)))).EnsureSuccessStatusCode();
        return email;
    }

    /// <summary>What an answer shows from outside: status, header names and content type, body.</summary>
    private static async Task<string> OutsideAsync(HttpResponseMessage response) =>
        string.Join("\n",
            $"status {(int)response.StatusCode}",
            "headers " + string.Join(",", response.Headers.Select(h => h.Key).Concat(response.Content.Headers.Select(h => h.Key))
                .Where(h => h is not ("Date" or "Content-Length")).Order(StringComparer.OrdinalIgnoreCase)),
            $"type {response.Content.Headers.ContentType}",
            $"cache {response.Headers.CacheControl}",
            await response.Content.ReadAsStringAsync());

    [Fact]
    public async Task Joining_with_a_members_address_answers_as_a_new_join_and_emails_the_member_a_sign_in_link_in_their_language()
    {
        var member = await ActiveMemberAsync("sv");
        var stranger = Residents.NewEmail();

        var forStranger = await host.Public().PostAsJsonAsync("/api/membership/members", Residents.Join(stranger, "fi"));
        var forMember = await host.Public().PostAsJsonAsync("/api/membership/members", Residents.Join(member, "fi"));

        Assert.Equal(HttpStatusCode.Accepted, forMember.StatusCode);
        Assert.Equal(await OutsideAsync(forStranger), await OutsideAsync(forMember));
        Assert.DoesNotContain("already", await forMember.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        // The member (their second email, after the confirmation) hears it in the language they chose, with a working link.
        var told = (await host.Smtp.WaitForMessagesToAsync(member, 2, Residents.MailTimeout))[1];
        Assert.Equal("Du är redan med i invånarpanelen", told.Subject);
        Assert.Contains("finns redan i panelen", told.TextBody, StringComparison.Ordinal);
        Assert.Equal($"{MembershipHost.PublicBaseUrl}/sign-in/link", SmtpSink.LinkIn(told).GetLeftPart(UriPartial.Path));
        var session = await host.StartSessionAsync(SmtpSink.TokenIn(told));
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
        Assert.Equal(await host.IdOfAsync(member), (await session.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("panelistId").GetGuid());
        // The stranger became a new (pending) member and got the confirmation email.
        Assert.StartsWith("Vahvista", (await host.Smtp.WaitForMessageToAsync(stranger, Residents.MailTimeout)).Subject, StringComparison.Ordinal);
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM members WHERE email = @p0", member));
    }

    [Fact]
    public async Task Sign_in_link_requests_answer_alike_for_members_and_strangers()
    {
        var member = await ActiveMemberAsync();

        var forStranger = await host.Public().PostAsJsonAsync("/api/membership/sign-in-links", new { email = Residents.NewEmail() });
        var forMember = await host.Public().PostAsJsonAsync("/api/membership/sign-in-links", new { email = member });

        Assert.Equal(HttpStatusCode.Accepted, forMember.StatusCode);
        Assert.Equal(await OutsideAsync(forStranger), await OutsideAsync(forMember));
        await host.Smtp.WaitForMessagesToAsync(member, 2, Residents.MailTimeout);
    }

    [Fact]
    public async Task A_sign_in_link_request_is_answered_before_the_member_is_looked_up()
    {
        var member = await ActiveMemberAsync();
        var id = await host.IdOfAsync(member);
        // Holds the member's row as a concurrent change would: queuing the member's email has to wait for it.
        await using var connection = new NpgsqlConnection(host.Database.ConnectionString);
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM members WHERE id = @id FOR UPDATE", connection, tx))
        {
            lockRow.Parameters.AddWithValue("id", id);
            await lockRow.ExecuteScalarAsync();
        }

        var request = host.Public().PostAsJsonAsync("/api/membership/sign-in-links", new { email = member });
        var answered = await Task.WhenAny(request, Task.Delay(TimeSpan.FromSeconds(20))) == request;

        Assert.True(answered, "The answer waited for the member's row: the lookup is on the request's path.");
        Assert.Equal(HttpStatusCode.Accepted, (await request).StatusCode);
        Assert.Equal(0, await host.Database.ScalarAsync<long>("SELECT count(*) FROM email_outbox WHERE member_id = @p0 AND kind = 'SignIn'", id));
        await tx.RollbackAsync();
        await host.SignInLinksHandledAsync();
        Assert.Equal(1, await host.Database.ScalarAsync<long>("SELECT count(*) FROM email_outbox WHERE member_id = @p0 AND kind = 'SignIn'", id));
    }

    /// <summary>Active members whose emails were all over an hour ago, so none is held back by the rate limits.</summary>
    private async Task<Queue<string>> FreshMembersAsync(int count)
    {
        var emails = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var email = Residents.NewEmail();
            (await host.Public().PostAsJsonAsync("/api/membership/members", Residents.Join(email))).EnsureSuccessStatusCode();
            emails.Add(email);
        }

        await host.EmailsSentAsync();
        var list = emails.ToArray();
        await host.ExecuteAsync("UPDATE members SET status = 'Active' WHERE email = ANY(@p0)", [list]);
        await host.ExecuteAsync("UPDATE email_outbox SET created_at = created_at - interval '2 hours' WHERE to_address = ANY(@p0)", [list]);
        return new Queue<string>(emails);
    }

    [Fact]
    public async Task Joining_with_a_members_address_takes_about_as_long_as_a_new_join()
    {
        const int Samples = 20, WarmUp = 3;
        var members = await FreshMembersAsync(Samples + WarmUp);
        var client = host.Public();

        var timing = await TimingComparison.MeasureAsync(Samples,
            async () => (await client.PostAsJsonAsync("/api/membership/members", Residents.Join(Residents.NewEmail()))).EnsureSuccessStatusCode(),
            async () => (await client.PostAsJsonAsync("/api/membership/members", Residents.Join(members.Dequeue()))).EnsureSuccessStatusCode(),
            WarmUp);

        output.WriteLine(timing.ToString());
        TimingComparison.AssertSimilar(timing);
    }

    [Fact]
    public async Task A_sign_in_link_for_a_member_takes_about_as_long_as_one_for_a_stranger()
    {
        const int Samples = 20, WarmUp = 3;
        var members = await FreshMembersAsync(Samples + WarmUp);
        var client = host.Public();

        var timing = await TimingComparison.MeasureAsync(Samples,
            async () => (await client.PostAsJsonAsync("/api/membership/sign-in-links", new { email = Residents.NewEmail() })).EnsureSuccessStatusCode(),
            async () => (await client.PostAsJsonAsync("/api/membership/sign-in-links", new { email = members.Dequeue() })).EnsureSuccessStatusCode(),
            WarmUp);

        output.WriteLine(timing.ToString());
        // Both answers take about a millisecond, where a factor is noise: a few milliseconds of slack. (That the lookup
        // is off the request's path at all is shown by A_sign_in_link_request_is_answered_before_the_member_is_looked_up.)
        TimingComparison.AssertSimilar(timing, slackMs: 3);
    }
}
