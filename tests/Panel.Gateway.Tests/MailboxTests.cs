using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MimeKit;
using Panel.Gateway.Tests.Residents;
using Panel.Gateway.Tests.Support;
using Panel.TestSupport;

namespace Panel.Gateway.Tests;

/// <summary>
/// The real services with Membership as a developer runs it: in Development and without an SMTP server, so it writes
/// its emails into a mailbox folder and offers them at GET /dev/mailbox.
/// </summary>
public sealed class DevelopmentMailboxGatewayHost : LiveGatewayHost
{
    public string MailboxPath { get; } = Path.Combine(Path.GetTempPath(), "panel-mailbox-" + Guid.NewGuid().ToString("N"));

    protected override void ConfigureService(string service, IDictionary<string, string?> settings)
    {
        if (service == ServiceNames.Membership)
        {
            settings["environment"] = "Development";
            settings["Email:Smtp:Host"] = "";
            settings["Email:MailboxPath"] = MailboxPath;
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(MailboxPath))
        {
            Directory.Delete(MailboxPath, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DevelopmentMailboxCollection : ICollectionFixture<DevelopmentMailboxGatewayHost>
{
    public const string Name = "live gateway, development mailbox";
}

[Collection(DevelopmentMailboxCollection.Name)]
public sealed class DevelopmentMailboxTests(DevelopmentMailboxGatewayHost host)
{
    private static string Text(string key) => GatewayHost.Texts.Get("fi", key);

    [Fact]
    public async Task A_coordinator_reads_the_development_mailbox_with_links_that_can_be_followed()
    {
        var (older, newest) = (LiveResidents.NewEmail("older"), LiveResidents.NewEmail("newest"));
        var join = host.NewBrowser().Http;
        Assert.Equal(HttpStatusCode.Accepted, (await join.PostAsJsonAsync("/api/membership/members", Join(older))).StatusCode);
        await Eventually.UntilAsync(() => Task.FromResult(MailboxText()), t => t.Contains(older, StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the first email");
        Assert.Equal(HttpStatusCode.Accepted, (await join.PostAsJsonAsync("/api/membership/members", Join(newest))).StatusCode);
        // A message whose text holds markup, as any text could.
        var script = LiveResidents.NewEmail("script");
        await WriteMessageAsync(script, "Hei!\n\nAsukaspaneeli <script>alert(1)</script>");
        var browser = await host.SignedInAsync();

        var page = await Eventually.UntilAsync(() => browser.GetAsync("/staff/mailbox"),
            p => p.Text.Contains(newest, StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the second email in the mailbox");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(older, page.Text, StringComparison.Ordinal);
        Assert.True(page.Html.IndexOf(newest, StringComparison.Ordinal) < page.Html.IndexOf(older, StringComparison.Ordinal));
        Assert.Contains(script, page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", page.Html, StringComparison.Ordinal);
        // The confirmation links are links, and following one confirms the email.
        var links = Regex.Matches(page.Html, "<a href=\"(http://panel\\.test/verify\\?token=[^\"]+)\">([^<]+)</a>").ToList();
        Assert.Equal(2, links.Count(l => l.Groups[1].Value == System.Net.WebUtility.HtmlDecode(l.Groups[2].Value) || l.Groups[1].Value == l.Groups[2].Value));
        var resident = host.NewBrowser();
        var verify = await resident.GetAsync(new Uri(System.Net.WebUtility.HtmlDecode(links[0].Groups[1].Value)).PathAndQuery);
        var confirmed = await resident.SubmitAsync(verify, "verify", new Dictionary<string, string>());
        Assert.Contains(Text("verify.doneTitle"), confirmed.Text, StringComparison.Ordinal);
        Assert.Equal("Active", await host.Membership.Database.ScalarAsync<string>("SELECT status FROM members WHERE email = @p0", newest));
    }

    [Fact]
    public async Task A_staff_member_without_a_mailbox_role_is_told_so()
    {
        var user = await host.CreateStaffAsync();
        var browser = await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);

        var page = await browser.GetAsync("/staff/mailbox");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Text("mailbox.noAccess"), page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<article class=\"mail\"", page.Html, StringComparison.Ordinal);
    }

    private static object Join(string email) => new
    {
        email, birthYear = 1980, municipality = "Tampere", gender = "woman", language = "fi", isClient = true, consent = true,
    };

    /// <summary>Every message file in the mailbox folder, as text.</summary>
    private string MailboxText() =>
        Directory.Exists(host.MailboxPath)
            ? string.Join("\n", Directory.EnumerateFiles(host.MailboxPath, "*.eml").Select(File.ReadAllText))
            : "";

    /// <summary>Puts a message into the mailbox folder as Membership writes one (an .eml file named by the time it was sent).</summary>
    private async Task WriteMessageAsync(string to, string text)
    {
        var message = new MimeMessage { Subject = "Kirjautumislinkki", Body = new TextPart("plain") { Text = text } };
        message.From.Add(MailboxAddress.Parse("panel@example.fi"));
        message.To.Add(MailboxAddress.Parse(to));
        Directory.CreateDirectory(host.MailboxPath);
        var name = $"{DateTime.UtcNow:yyyyMMdd'T'HHmmssfff}-{Guid.NewGuid():N}.eml";
        await message.WriteToAsync(Path.Combine(host.MailboxPath, name));
    }
}

[Collection(LiveGatewayCollection.Name)]
public sealed class MailboxTests(LiveGatewayHost host)
{
    private static string Text(string key) => GatewayHost.Texts.Get("fi", key);

    [Fact]
    public async Task A_mailbox_the_service_does_not_offer_is_explained()
    {
        // Membership sends its email by SMTP here, so it offers no mailbox.
        var browser = await host.SignedInAsync();

        var page = await browser.GetAsync("/staff/mailbox");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Text("mailbox.notAvailable"), page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<article class=\"mail\"", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_mailbox_needs_a_staff_session()
    {
        var page = await host.NewBrowser().GetAsync("/staff/mailbox");

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal("/staff/sign-in?ReturnUrl=%2Fstaff%2Fmailbox", page.Location!.PathAndQuery);
    }
}
