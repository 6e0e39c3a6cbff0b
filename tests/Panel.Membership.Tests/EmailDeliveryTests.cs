using System.Net.Http.Json;
using Panel.TestSupport;

namespace Panel.Membership.Tests;

public sealed class EmailDeliveryTests(MembershipHost host) : IClassFixture<MembershipHost>
{
    [Fact]
    public async Task While_the_smtp_server_is_down_the_email_waits_and_then_arrives_exactly_once()
    {
        var email = Residents.NewEmail();
        await host.Smtp.StopAsync();
        try
        {
            (await host.Public().PostAsJsonAsync("/api/membership/members", Residents.Join(email))).EnsureSuccessStatusCode();
            var id = await host.IdOfAsync(email);
            await Eventually.UntilAsync(
                () => host.Database.ScalarAsync<int>("SELECT attempts FROM email_outbox WHERE member_id = @p0", id),
                n => n >= 2, TimeSpan.FromSeconds(30), "the sender to have failed twice");
            Assert.Equal(0L, await host.Database.ScalarAsync<long>("SELECT count(*) FROM email_outbox WHERE member_id = @p0 AND sent_at IS NOT NULL", id));
        }
        finally
        {
            await host.Smtp.StartAgainAsync();
        }

        var message = await host.Smtp.WaitForMessageToAsync(email, Residents.MailTimeout);
        await host.EmailsSentAsync();

        Assert.Single(host.Smtp.MessagesTo(email));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.VerifyAsync(SmtpSink.TokenIn(message))).StatusCode);
        Assert.Equal(1L, await host.Database.ScalarAsync<long>(
            "SELECT count(*) FROM email_outbox WHERE to_address = @p0 AND sent_at IS NOT NULL AND body IS NULL", email));
    }
}
