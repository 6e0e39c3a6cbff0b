using System.Net;
using Panel.Gateway.Tests.Residents;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests;

[Collection(LiveGatewayCollection.Name)]
public sealed class SupportPageTests(LiveGatewayHost host)
{
    internal static string Text(string key, string language = "fi") => GatewayHost.Texts.Get(language, key);

    /// <summary>A member who joined and has not confirmed the email yet (Pending).</summary>
    private async Task<(string Email, Guid Id)> PendingMemberAsync()
    {
        var email = LiveResidents.NewEmail("pending");
        await host.JoinAsync(email);
        return (email, await host.MemberIdAsync(email));
    }

    private async Task<(string Email, Guid Id)> ActiveMemberAsync()
    {
        var email = LiveResidents.NewEmail("active");
        return (email, await host.VerifiedMemberAsync(email));
    }

    /// <summary>The newest audit entry Membership wrote with this reason: who (subject, roles), what, how, whom.</summary>
    private Task<string> AuditedAsync(string reason) =>
        host.Membership.Database.ScalarAsync<string>(
            "SELECT coalesce((SELECT concat_ws('|', staff_subject, staff_roles, action, outcome, coalesce(member_id::text, '-')) FROM audit_log WHERE reason = @p0 ORDER BY id DESC LIMIT 1), 'none')",
            reason);

    private Task<long> AuditEntriesAsync() => host.Membership.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log");

    private Task<long> MembersAsync(Guid id) => host.Membership.Database.ScalarAsync<long>("SELECT count(*) FROM members WHERE id = @p0", id);

    private Task<string> AdminIdAsync() => host.WithUsersAsync(async users => (await users.FindByEmailAsync(GatewayHost.AdminEmail))!.Id);

    private static string Unique(string reason) => $"{reason} {Guid.NewGuid().ToString("N")[..8]}";

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
    public async Task Finding_a_member_by_the_email_and_reason_audits_the_access_and_shows_the_status_and_actions()
    {
        var (email, id) = await PendingMemberAsync();
        var reason = Unique("Jäsen soitti tukeen, tiketti 42");

        // The address as the member spelled it on the phone: Membership finds the member by the exact address.
        var (_, page) = await FindAsync($"  {email.ToUpperInvariant()} ", reason);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        // Membership wrote the access down under the administrator's subject and roles, with the reason.
        Assert.Equal($"{await AdminIdAsync()}|{PanelRoles.Coordinator},{PanelRoles.ItAdmin}|member.lookup|found|{id}", await AuditedAsync(reason));
        Assert.Contains(Text("support.foundTitle"), page.Text, StringComparison.Ordinal);
        Assert.Contains($"<dd>{Text("health.state.pending")}</dd>", page.Text, StringComparison.Ordinal);
        Assert.Contains($"<dd>{Text("support.notVerified")}</dd>", page.Text, StringComparison.Ordinal);
        Assert.Contains($"<code>{id}</code>", page.Text, StringComparison.Ordinal);
        // The actions carry the member's id; the reason starts as the lookup's.
        Assert.Equal(id.ToString(), page.Form("resend").Hidden["Resend.PanelistId"]);
        Assert.Equal(id.ToString(), page.Form("erase-start").Hidden["StartErase.PanelistId"]);
        Assert.Contains($">{reason}</textarea>", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_active_member_is_offered_erasure_but_not_a_new_verification_email()
    {
        var (_, page) = await FindAsync((await ActiveMemberAsync()).Email);

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

    [Fact]
    public async Task An_email_membership_refuses_is_shown_at_the_email_field()
    {
        // Longer than an address can be (254): the page sends it, Membership refuses it.
        var browser = await host.SignedInAsync();
        var before = await AuditEntriesAsync();

        var (_, page) = await FindAsync(new string('a', 250) + "@example.fi", browser: browser);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(before, await AuditEntriesAsync());
        Assert.Equal("true", page.Element("email")["aria-invalid"]);
        Assert.StartsWith("email-error", page.Element("email")["aria-describedby"], StringComparison.Ordinal);
        Assert.Contains($"<p id=\"email-error\" class=\"field-error\"><span>{Text("support.error.email")}</span></p>", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resending_the_verification_sends_that_member_a_new_email_audited_with_the_reason_and_says_it_is_queued()
    {
        var (email, id) = await PendingMemberAsync();
        // The first email went an hour ago, so the limits allow another.
        await host.Membership.Database.ScalarAsync<long>(
            "WITH moved AS (UPDATE email_outbox SET created_at = created_at - interval '1 hour' WHERE member_id = @p0 RETURNING 1) SELECT count(*) FROM moved", id);
        var (browser, found) = await FindAsync(email);
        var reason = Unique("Viesti ei tullut perille");

        var posted = await browser.SubmitAsync(found, "resend", new Dictionary<string, string> { ["Resend.Reason"] = reason });

        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        Assert.Equal("/staff/support?done=resent", posted.Location!.PathAndQuery);
        Assert.EndsWith($"|member.resend-verification|queued|{id}", await AuditedAsync(reason), StringComparison.Ordinal);
        var emails = await host.Membership.Smtp.WaitForMessagesToAsync(email, 2, LiveResidents.MailTimeout);
        Assert.Contains("/verify?token=", Panel.TestSupport.SmtpSink.LinkIn(emails[1]).ToString(), StringComparison.Ordinal);
        var done = await browser.GetAsync(posted.Location.PathAndQuery);
        Assert.Contains(Text("support.done.resent"), done.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("active", "support.error.notPending", "wrong-state")]
    [InlineData("limited", "support.error.rateLimited", "rate-limited")]
    [InlineData("unknown", "support.error.noMember", "not-found")]
    public async Task A_resend_membership_refuses_is_explained(string who, string message, string outcome)
    {
        // The member found joined just now: a second verification email within minutes is over the limit.
        var (email, pending) = await PendingMemberAsync();
        var (browser, found) = await FindAsync(email);
        var id = who switch { "active" => (await ActiveMemberAsync()).Id, "limited" => pending, _ => Guid.NewGuid() };
        var reason = Unique("Uusi yritys");

        var page = await browser.SubmitAsync(found, "resend", new Dictionary<string, string>
        {
            ["Resend.PanelistId"] = id.ToString(),
            ["Resend.Reason"] = reason,
        });

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.EndsWith($"|member.resend-verification|{outcome}|{(who == "unknown" ? "-" : id)}", await AuditedAsync(reason), StringComparison.Ordinal);
        Assert.Contains(Text(message), page.Text, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erasing_asks_for_confirmation_on_a_separate_step_and_then_erases_the_member()
    {
        var (email, id) = await ActiveMemberAsync();
        var reason = Unique("Jäsen pyysi poistoa puhelimessa");
        var (browser, found) = await FindAsync(email, reason);

        var confirm = await browser.SubmitAsync(found, "erase-start", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        Assert.Equal(1, await MembersAsync(id));
        Assert.Contains(Text("support.eraseTitle"), confirm.Text, StringComparison.Ordinal);
        Assert.Equal(id.ToString(), confirm.Form("erase").Hidden["Erase.PanelistId"]);
        Assert.Contains($">{reason}</textarea>", confirm.Text, StringComparison.Ordinal);
        Assert.False(confirm.HasForm("lookup"));

        // Unconfirmed: nothing is erased, the box is marked.
        var unconfirmed = await browser.SubmitAsync(confirm, "erase", new Dictionary<string, string> { ["Erase.Reason"] = reason });
        Assert.Equal(HttpStatusCode.OK, unconfirmed.Status);
        Assert.Equal(1, await MembersAsync(id));
        Assert.Equal("true", unconfirmed.Element("erase-confirm")["aria-invalid"]);
        Assert.Contains(Text("support.error.confirm"), unconfirmed.Text, StringComparison.Ordinal);

        var erased = await browser.SubmitAsync(unconfirmed, "erase", new Dictionary<string, string>
        {
            ["Erase.Reason"] = reason,
            ["Erase.Confirm"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, erased.Status);
        Assert.Equal("/staff/support?done=erased", erased.Location!.PathAndQuery);
        Assert.Equal(0, await MembersAsync(id));
        // Audited with the reason; the entry no longer points at the erased member.
        Assert.EndsWith("|member.erase|erased|-", await AuditedAsync(reason), StringComparison.Ordinal);
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
        // Nor does Membership: there is no list of members to ask for.
        var list = await browser.Http.GetAsync("/api/membership/members");
        Assert.True(list.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"GET /api/membership/members answered {(int)list.StatusCode}.");
    }

    [Fact]
    public async Task An_it_administrator_may_look_members_up()
    {
        var user = await host.CreateStaffAsync(PanelRoles.ItAdmin);
        var browser = await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);

        var (email, id) = await PendingMemberAsync();
        var reason = Unique("Tarkistus IT-tuelta");

        var (_, page) = await FindAsync(email, reason, browser);

        Assert.Contains(Text("support.foundTitle"), page.Text, StringComparison.Ordinal);
        // Membership saw the IT administrator's own subject and only that role.
        Assert.Equal($"{user.Id}|{PanelRoles.ItAdmin}|member.lookup|found|{id}", await AuditedAsync(reason));
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
        var browser = (await host.SignedInResidentAsync()).Browser;

        var page = await browser.GetAsync("/staff/support");

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal("/staff/sign-in", page.Location!.AbsolutePath);
    }
}

/// <summary>What the support page refuses without asking Membership at all: the echo records every request.</summary>
[Collection(GatewayCollection.Name)]
public sealed class SupportPageRequestTests(GatewayHost host)
{
    private const string LookupPath = "/api/membership/support/lookup";

    [Theory]
    [InlineData("member@example.fi", "", "Reason", "reason")]
    [InlineData("member@example.fi", "abc", "Reason", "reason")]
    [InlineData("", "Jäsen pyysi apua", "Email", "email")]
    public async Task A_lookup_without_an_email_or_a_reason_is_refused_before_anything_is_sent(string email, string reason, string field, string id)
    {
        var before = host.Backend.RequestsTo(LookupPath).Count;
        var browser = await host.SignedInAsync();
        var form = await browser.GetAsync("/staff/support");

        var page = await browser.SubmitAsync(form, "lookup", new Dictionary<string, string>
        {
            ["Lookup.Email"] = email,
            ["Lookup.Reason"] = reason,
        });

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(before, host.Backend.RequestsTo(LookupPath).Count);
        Assert.Equal("true", page.Element(id)["aria-invalid"]);
        Assert.Contains(SupportPageTests.Text($"support.error.{field.ToLowerInvariant()}"), page.Text, StringComparison.Ordinal);
        Assert.True(page.HasElement("error-summary"));
    }
}
