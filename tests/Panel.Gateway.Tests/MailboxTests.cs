using System.Net;
using Panel.Gateway.Tests.Support;

namespace Panel.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class MailboxTests(GatewayHost host)
{
    private static string Text(string key) => GatewayHost.Texts.Get("fi", key);

    [Fact]
    public async Task A_coordinator_reads_the_development_mailbox_with_links_that_can_be_followed()
    {
        var browser = await host.SignedInAsync();

        var page = await browser.GetAsync("/staff/mailbox");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Kirjautumislinkki", page.Text, StringComparison.Ordinal);
        Assert.Contains("newest@example.fi", page.Text, StringComparison.Ordinal);
        Assert.Contains("older@example.fi", page.Text, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{EchoBackend.MailboxLink}\">{EchoBackend.MailboxLink}</a>", page.Html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"http://127.0.0.1:8080/verify?token=def456\">", page.Html, StringComparison.Ordinal);
        Assert.True(page.Html.IndexOf("newest@example.fi", StringComparison.Ordinal) < page.Html.IndexOf("older@example.fi", StringComparison.Ordinal));
        Assert.DoesNotContain("<script>alert", page.Html, StringComparison.Ordinal);
        var seen = host.Backend.RequestsTo("/api/membership/dev/mailbox").Last();
        Assert.Equal("staff", (await host.ValidTokenAsync(seen.BearerToken, "panel-membership")).Claim("act_kind"));
    }

    [Fact]
    public async Task A_mailbox_the_service_does_not_offer_is_explained()
    {
        var browser = await host.SignedInAsync();
        EchoBackend.MailboxAvailable = false;
        try
        {
            var page = await browser.GetAsync("/staff/mailbox");

            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Contains(Text("mailbox.notAvailable"), page.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("Kirjautumislinkki", page.Text, StringComparison.Ordinal);
        }
        finally
        {
            EchoBackend.MailboxAvailable = true;
        }
    }

    [Fact]
    public async Task A_staff_member_without_a_mailbox_role_is_told_so()
    {
        var user = await host.CreateStaffAsync();
        var browser = await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);

        var page = await browser.GetAsync("/staff/mailbox");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Text("mailbox.noAccess"), page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("newest@example.fi", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_mailbox_needs_a_staff_session()
    {
        var page = await host.NewBrowser().GetAsync("/staff/mailbox");

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal("/staff/sign-in?ReturnUrl=%2Fstaff%2Fmailbox", page.Location!.PathAndQuery);
    }
}
