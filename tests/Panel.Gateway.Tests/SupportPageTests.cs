using System.Net;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class SupportPageTests(GatewayHost host)
{
    private const string LookupPath = "/api/membership/support/lookup";

    private static string Text(string key, string language = "fi") => GatewayHost.Texts.Get(language, key);

    private static string ResendPath(Guid id) => $"/api/membership/support/{id}/resend-verification";

    private static string ErasePath(Guid id) => $"/api/membership/support/{id}/erase";

    private async Task<(Browser Browser, Page Page)> FindAsync(string email, string reason = "Jäsen soitti tukeen, tiketti 42", Browser? browser = null)
    {
        browser ??= await host.SignedInAsync();
        var form = await browser.GetAsync("/staff/support");
        var page = await browser.SubmitAsync(form, "lookup", new Dictionary<string, string>
        {
            ["Lookup.Email"] = email,
            ["Lookup.Reason"] = reason,
        });
        return (browser, page);
    }

    [Fact]
    public async Task Finding_a_member_sends_the_exact_email_and_reason_and_shows_the_status_and_actions()
    {
        var (_, page) = await FindAsync("  Pending.Member@example.fi ");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var body = host.Backend.BodiesSentTo(LookupPath).Last();
        Assert.Equal("Pending.Member@example.fi", body.GetProperty("email").GetString());
        Assert.Equal("Jäsen soitti tukeen, tiketti 42", body.GetProperty("reason").GetString());
        Assert.Equal("staff", (await host.ValidTokenAsync(host.Backend.RequestsTo(LookupPath).Last().BearerToken, "panel-membership")).Claim("act_kind"));
        Assert.Contains(Text("support.foundTitle"), page.Text, StringComparison.Ordinal);
        Assert.Contains($"<dd>{Text("health.state.pending")}</dd>", page.Text, StringComparison.Ordinal);
        Assert.Contains($"<dd>{Text("support.notVerified")}</dd>", page.Text, StringComparison.Ordinal);
        Assert.Contains($"<code>{EchoBackend.PendingMemberId}</code>", page.Text, StringComparison.Ordinal);
        // The actions carry the member's id; the reason starts as the lookup's.
        Assert.Equal(EchoBackend.PendingMemberId.ToString(), page.Form("resend").Hidden["Resend.PanelistId"]);
        Assert.Equal(EchoBackend.PendingMemberId.ToString(), page.Form("erase-start").Hidden["StartErase.PanelistId"]);
        Assert.Contains(">Jäsen soitti tukeen, tiketti 42</textarea>", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_active_member_is_offered_erasure_but_not_a_new_verification_email()
    {
        var (_, page) = await FindAsync(EchoBackend.ActiveMemberEmail);

        Assert.Contains($"<dd>{Text("health.state.active")}</dd>", page.Text, StringComparison.Ordinal);
        Assert.False(page.HasForm("resend"));
        Assert.Contains(Text("support.resendNotPending"), page.Text, StringComparison.Ordinal);
        Assert.True(page.HasForm("erase-start"));
    }

    [Fact]
    public async Task An_email_nobody_has_is_said_to_be_not_found_and_nothing_else()
    {
        var (_, page) = await FindAsync("nobody-" + Guid.NewGuid().ToString("N") + "@example.fi");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Text("support.notFound"), page.Text, StringComparison.Ordinal);
        Assert.False(page.HasForm("resend"));
        Assert.False(page.HasForm("erase-start"));
    }

    [Theory]
    [InlineData("member@example.fi", "", "Reason", "reason")]
    [InlineData("member@example.fi", "abc", "Reason", "reason")]
    [InlineData("", "Jäsen pyysi apua", "Email", "email")]
    public async Task A_lookup_without_an_email_or_a_reason_is_refused_before_anything_is_sent(string email, string reason, string field, string id)
    {
        var before = host.Backend.RequestsTo(LookupPath).Count;

        var (_, page) = await FindAsync(email, reason);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(before, host.Backend.RequestsTo(LookupPath).Count);
        Assert.Equal("true", page.Element(id)["aria-invalid"]);
        Assert.Contains(Text($"support.error.{field.ToLowerInvariant()}"), page.Text, StringComparison.Ordinal);
        Assert.True(page.HasElement("error-summary"));
    }

    [Fact]
    public async Task An_email_membership_refuses_is_shown_at_the_email_field()
    {
        var (_, page) = await FindAsync($"{EchoBackend.RejectedEmailMarker}@example.fi");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("true", page.Element("email")["aria-invalid"]);
        Assert.StartsWith("email-error", page.Element("email")["aria-describedby"], StringComparison.Ordinal);
        Assert.Contains($"<p id=\"email-error\" class=\"field-error\"><span>{Text("support.error.email")}</span></p>", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resending_the_verification_posts_the_reason_for_that_member_and_says_it_is_queued()
    {
        var (browser, found) = await FindAsync(EchoBackend.PendingMemberEmail);

        var posted = await browser.SubmitAsync(found, "resend", new Dictionary<string, string> { ["Resend.Reason"] = "Viesti ei tullut perille" });

        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        Assert.Equal("/staff/support?done=resent", posted.Location!.PathAndQuery);
        Assert.Equal("Viesti ei tullut perille", host.Backend.BodiesSentTo(ResendPath(EchoBackend.PendingMemberId)).Last().GetProperty("reason").GetString());
        var done = await browser.GetAsync(posted.Location.PathAndQuery);
        Assert.Contains(Text("support.done.resent"), done.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("active", "support.error.notPending")]
    [InlineData("limited", "support.error.rateLimited")]
    [InlineData("unknown", "support.error.noMember")]
    public async Task A_resend_membership_refuses_is_explained(string who, string message)
    {
        var (browser, found) = await FindAsync(EchoBackend.PendingMemberEmail);
        var id = who switch { "active" => EchoBackend.ActiveMemberId, "limited" => EchoBackend.RateLimitedMemberId, _ => Guid.NewGuid() };

        var page = await browser.SubmitAsync(found, "resend", new Dictionary<string, string>
        {
            ["Resend.PanelistId"] = id.ToString(),
            ["Resend.Reason"] = "Uusi yritys",
        });

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Single(host.Backend.RequestsTo(ResendPath(id)));
        Assert.Contains(Text(message), page.Text, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erasing_asks_for_confirmation_on_a_separate_step_and_then_posts_the_erasure()
    {
        var (browser, found) = await FindAsync(EchoBackend.ActiveMemberEmail, "Jäsen pyysi poistoa puhelimessa");
        var erasePath = ErasePath(EchoBackend.ActiveMemberId);
        var before = host.Backend.RequestsTo(erasePath).Count;

        var confirm = await browser.SubmitAsync(found, "erase-start", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        Assert.Equal(before, host.Backend.RequestsTo(erasePath).Count);
        Assert.Contains(Text("support.eraseTitle"), confirm.Text, StringComparison.Ordinal);
        Assert.Equal(EchoBackend.ActiveMemberId.ToString(), confirm.Form("erase").Hidden["Erase.PanelistId"]);
        Assert.Contains(">Jäsen pyysi poistoa puhelimessa</textarea>", confirm.Text, StringComparison.Ordinal);
        Assert.False(confirm.HasForm("lookup"));

        // Unconfirmed: nothing is sent, the box is marked.
        var unconfirmed = await browser.SubmitAsync(confirm, "erase", new Dictionary<string, string> { ["Erase.Reason"] = "Jäsen pyysi poistoa puhelimessa" });
        Assert.Equal(HttpStatusCode.OK, unconfirmed.Status);
        Assert.Equal(before, host.Backend.RequestsTo(erasePath).Count);
        Assert.Equal("true", unconfirmed.Element("erase-confirm")["aria-invalid"]);
        Assert.Contains(Text("support.error.confirm"), unconfirmed.Text, StringComparison.Ordinal);

        var erased = await browser.SubmitAsync(unconfirmed, "erase", new Dictionary<string, string>
        {
            ["Erase.Reason"] = "Jäsen pyysi poistoa puhelimessa",
            ["Erase.Confirm"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, erased.Status);
        Assert.Equal("/staff/support?done=erased", erased.Location!.PathAndQuery);
        var body = host.Backend.BodiesSentTo(erasePath).Last();
        Assert.Equal("Jäsen pyysi poistoa puhelimessa", body.GetProperty("reason").GetString());
        Assert.True(body.GetProperty("confirm").GetBoolean());
        Assert.Contains(Text("support.done.erased"), (await browser.GetAsync("/staff/support?done=erased")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_offers_no_way_to_browse_or_list_members()
    {
        var browser = await host.SignedInAsync();

        var page = await browser.GetAsync("/staff/support");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(["lookup"], page.Forms.Select(f => f.Hidden.GetValueOrDefault("_handler")).Where(h => h is not null && h != "").ToList());
        Assert.DoesNotContain("<table", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Backend.Requests, r => r.Path.StartsWith("/api/membership/members", StringComparison.Ordinal) && r.Method == "GET");
    }

    [Fact]
    public async Task An_it_administrator_may_look_members_up()
    {
        var user = await host.CreateStaffAsync(PanelRoles.ItAdmin);
        var browser = await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);

        var (_, page) = await FindAsync(EchoBackend.PendingMemberEmail, browser: browser);

        Assert.Contains(Text("support.foundTitle"), page.Text, StringComparison.Ordinal);
        var token = await host.ValidTokenAsync(host.Backend.RequestsTo(LookupPath).Last().BearerToken, "panel-membership");
        Assert.Equal([PanelRoles.ItAdmin], token.Roles());
    }

    [Theory]
    [InlineData(PanelRoles.ReportReader)]
    [InlineData(PanelRoles.DomainContact)]
    [InlineData(PanelRoles.Communications)]
    public async Task Other_staff_are_sent_to_the_denied_page(string role)
    {
        var user = await host.CreateStaffAsync(role);
        var browser = await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);

        var page = await browser.GetAsync("/staff/support");

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal("/staff/denied", page.Location!.AbsolutePath);
    }

    [Fact]
    public async Task A_signed_in_resident_is_no_staff_member()
    {
        var (browser, _) = await host.ResidentSignedInAsync();

        var page = await browser.GetAsync("/staff/support");

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal("/staff/sign-in", page.Location!.AbsolutePath);
    }
}
