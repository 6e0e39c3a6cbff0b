using Microsoft.AspNetCore.Hosting;
using System.Net;
using System.Net.Http.Json;
using Panel.TestSupport;

namespace Panel.Membership.Tests;

public sealed class ExpiryTests(MembershipHost host) : IClassFixture<MembershipHost>
{
    [Fact]
    public async Task Verification_links_live_48_hours_and_sign_in_links_30_minutes()
    {
        var resident = await host.SignedInAsync();

        var lifetimes = await host.Database.ScalarAsync<string>(
            "SELECT string_agg(purpose || '=' || (expires_at - created_at)::text, ',' ORDER BY purpose) FROM one_time_links WHERE member_id = @p0", resident.Id);

        Assert.Equal("SignIn=00:30:00,Verification=2 days", lifetimes);
    }

    [Fact]
    public async Task An_expired_verification_link_is_a_400_and_leaves_the_member_pending()
    {
        var email = Residents.NewEmail();
        var token = SmtpSink.TokenIn(await host.JoinAsync(email));
        var id = await host.IdOfAsync(email);
        await host.ExecuteAsync("UPDATE one_time_links SET expires_at = now() - interval '1 second' WHERE member_id = @p0", id);

        var response = await host.VerifyAsync(token);

        Assert.Contains("expired", (await Residents.ProblemErrorsAsync(response)).GetProperty("token")[0].GetString());
        Assert.Equal("Pending", await host.Database.ScalarAsync<string>("SELECT status FROM members WHERE id = @p0", id));
        Assert.Equal(0, await host.OutboxCountAsync("MemberVerified", id));
    }

    [Fact]
    public async Task An_expired_sign_in_link_is_a_400()
    {
        var resident = await host.SignedInAsync();
        var token = SmtpSink.TokenIn(await host.RequestSignInLinkAsync(resident.Email, expectedMessages: 3));
        await host.ExecuteAsync("UPDATE one_time_links SET expires_at = now() - interval '1 second' WHERE member_id = @p0 AND used_at IS NULL", resident.Id);

        var response = await host.StartSessionAsync(token);

        Assert.Contains("expired", (await Residents.ProblemErrorsAsync(response)).GetProperty("token")[0].GetString());
    }
}

/// <summary>Membership writing its email into a mailbox folder, as a local run does.</summary>
public sealed class MailboxMembershipHost : MembershipHost
{
    public string MailboxPath { get; } = Path.Combine(Path.GetTempPath(), "panel-mailbox-" + Guid.NewGuid().ToString("N"));

    protected override void Configure(IDictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings["Email:Smtp:Host"] = "";
        settings["Email:MailboxPath"] = MailboxPath;
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

public sealed class DevMailboxTests(MailboxMembershipHost host) : IClassFixture<MailboxMembershipHost>
{
    private static string Coordinator => TestTokens.Staff(ServiceNames.Membership, "Coordinator");

    [Fact]
    public async Task In_development_the_mailbox_lists_the_emails_with_their_links_newest_first()
    {
        await using var development = host.Factory.WithWebHostBuilder(b => b.UseEnvironment("Development"));
        HttpClient Client(string token)
        {
            var client = development.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            return client;
        }

        var first = Residents.NewEmail();
        var second = Residents.NewEmail();
        (await Client(TestTokens.Public(ServiceNames.Membership)).PostAsJsonAsync("/api/membership/members", Residents.Join(first, "sv"))).EnsureSuccessStatusCode();
        await Eventually.UntilAsync(() => Task.FromResult(Directory.Exists(host.MailboxPath) ? Directory.GetFiles(host.MailboxPath, "*.eml").Length : 0),
            n => n >= 1, TimeSpan.FromSeconds(30), "the first email in the mailbox");
        (await Client(TestTokens.Public(ServiceNames.Membership)).PostAsJsonAsync("/api/membership/members", Residents.Join(second))).EnsureSuccessStatusCode();

        var mailbox = (await Eventually.UntilAsync(
            () => Client(Coordinator).GetFromJsonAsync<List<MailboxEntry>>("/api/membership/dev/mailbox"),
            m => m!.Count >= 2, TimeSpan.FromSeconds(30), "both emails in the mailbox"))!;
        var forbidden = await Client(TestTokens.Public(ServiceNames.Membership)).GetAsync("/api/membership/dev/mailbox");
        var itAdmin = await Client(TestTokens.Staff(ServiceNames.Membership, "ItAdmin")).GetAsync("/api/membership/dev/mailbox");
        var author = await Client(TestTokens.Staff(ServiceNames.Membership, "SurveyAuthor")).GetAsync("/api/membership/dev/mailbox");

        Assert.Equal([second, first], mailbox.Take(2).Select(m => m.To));
        Assert.StartsWith("Bekräfta", mailbox[1].Subject);
        Assert.Contains($"{MembershipHost.PublicBaseUrl}/verify?token=", mailbox[1].Text);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.OK, itAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, author.StatusCode);
        var token = System.Text.RegularExpressions.Regex.Match(mailbox[1].Text, "token=([A-Za-z0-9_-]+)").Groups[1].Value;
        Assert.Equal(HttpStatusCode.OK, (await Client(TestTokens.Public(ServiceNames.Membership)).PostAsJsonAsync("/api/membership/verifications", new { token })).StatusCode);
    }

    [Fact]
    public async Task Outside_development_there_is_no_mailbox()
    {
        var response = await host.Client(Coordinator).GetAsync("/api/membership/dev/mailbox");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private sealed record MailboxEntry(string Id, string To, string Subject, DateTimeOffset SentAt, string Text);
}

public sealed class SmtpDevMailboxTests(MembershipHost host) : IClassFixture<MembershipHost>
{
    [Fact]
    public async Task With_an_smtp_server_configured_there_is_no_mailbox_even_in_development()
    {
        await using var development = host.Factory.WithWebHostBuilder(b => b.UseEnvironment("Development"));
        var client = development.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Staff(ServiceNames.Membership, "Coordinator"));

        var response = await client.GetAsync("/api/membership/dev/mailbox");
        var consent = await client.GetAsync("/api/membership/consent");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
    }
}
