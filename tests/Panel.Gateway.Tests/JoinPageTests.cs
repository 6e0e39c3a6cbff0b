using System.Net;
using Panel.Gateway.Tests.Residents;
using Panel.Gateway.Tests.Support;

namespace Panel.Gateway.Tests;

[Collection(LiveGatewayCollection.Name)]
public sealed class JoinPageTests(LiveGatewayHost host)
{
    private static string Text(string key) => GatewayHost.Texts.Get("fi", key);

    private static string NewEmail(string prefix = "resident") => $"{prefix}-{Guid.NewGuid():N}@example.fi";

    internal static Dictionary<string, string> ValidFields(string email) => new()
    {
        ["Form.Email"] = email,
        ["Form.Phone"] = "",
        ["Form.BirthYear"] = "1980",
        ["Form.Municipality"] = "Nokia",
        ["Form.Gender"] = "woman",
        ["Form.Language"] = "sv",
        ["Form.IsClient"] = "yes",
        ["Form.Consent"] = "true",
    };

    /// <summary>How many members Membership holds with this email (each test's email is its own).</summary>
    private Task<long> MembersWithAsync(string email) =>
        host.Membership.Database.ScalarAsync<long>("SELECT count(*) FROM members WHERE email = @p0", email);

    /// <summary>What Membership stored for the member, one field after another.</summary>
    private Task<string> StoredAsync(string email) =>
        host.Membership.Database.ScalarAsync<string>(
            "SELECT concat_ws('|', birth_year, municipality, gender, language, is_client::text, coalesce(phone, '(none)'), campaign_code, (consent_version IS NOT NULL)::text, status) FROM members WHERE email = @p0",
            email);

    [Fact]
    public async Task The_join_page_offers_the_municipalities_from_the_membership_service_and_a_consent_checkbox()
    {
        var page = await host.NewBrowser().GetAsync("/join");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("<option value=\"Tampere\">Tampere</option>", page.Html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"Nokia\">Nokia</option>", page.Html, StringComparison.Ordinal);
        var consent = page.Element("consent");
        Assert.Equal("checkbox", consent["type"]);
        Assert.Equal("Form.Consent", consent["name"]);
        Assert.Contains(Text("join.consent"), page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_join_is_stored_by_the_membership_service_and_the_resident_is_thanked()
    {
        var email = NewEmail();
        var browser = host.NewBrowser();
        var form = await browser.GetAsync("/join?c=SPRING-24");

        var page = await browser.SubmitAsync(form, "join", ValidFields(email));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Text("join.thanksTitle"), page.Text, StringComparison.Ordinal);
        Assert.Contains(Text("join.thanksBody"), page.Text, StringComparison.Ordinal);
        // Stored as a member waiting for the emailed confirmation, in the language chosen, with the campaign of the link.
        Assert.Equal("1980|Nokia|woman|sv|true|(none)|SPRING-24|true|Pending", await StoredAsync(email));
        var verification = await host.Membership.Smtp.WaitForMessageToAsync(email, LiveResidents.MailTimeout);
        Assert.Contains("/verify?token=", Panel.TestSupport.SmtpSink.LinkIn(verification).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_field_the_service_refuses_is_summarised_and_tied_to_its_input()
    {
        // An address Membership does not accept (no @); the page itself does not check it.
        var email = $"rejected-{Guid.NewGuid():N}.example.fi";
        var browser = host.NewBrowser();
        var form = await browser.GetAsync("/join");

        var page = await browser.SubmitAsync(form, "join", ValidFields(email));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(0, await MembersWithAsync(email));
        Assert.DoesNotContain(Text("join.thanksTitle"), page.Text, StringComparison.Ordinal);
        Assert.Equal("alert", page.Element("error-summary")["role"]);
        Assert.Contains("<a href=\"#email\">", page.Html, StringComparison.Ordinal);
        var input = page.Element("email");
        Assert.Equal("true", input["aria-invalid"]);
        Assert.Equal(email, input["value"]);
        var describedBy = input["aria-describedby"];
        Assert.True(page.HasElement(describedBy), $"aria-describedby names '{describedBy}', which is not on the page.");
        Assert.Contains(Text("join.error.Email"), page.Text, StringComparison.Ordinal);
        Assert.False(page.Element("municipality").ContainsKey("aria-invalid"));
    }

    [Fact]
    public async Task A_birth_year_that_is_not_a_number_is_refused_by_the_page_without_calling_the_service()
    {
        var email = NewEmail();
        var browser = host.NewBrowser();
        var form = await browser.GetAsync("/join");

        var page = await browser.SubmitAsync(form, "join", new Dictionary<string, string>(ValidFields(email)) { ["Form.BirthYear"] = "nineteen-eighty" });

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Text("join.birthYearNumber"), page.Text, StringComparison.Ordinal);
        var input = page.Element("birthYear");
        Assert.Equal("true", input["aria-invalid"]);
        Assert.Contains("birthYear-error", input["aria-describedby"].Split(' '));
        Assert.True(page.HasElement("birthYear-error"));
        Assert.Equal(0, await MembersWithAsync(email));
    }

    [Fact]
    public async Task A_filled_honeypot_field_is_thanked_but_nothing_is_sent()
    {
        var email = NewEmail();
        var browser = host.NewBrowser();
        var form = await browser.GetAsync("/join");

        var page = await browser.SubmitAsync(form, "join", new Dictionary<string, string>(ValidFields(email)) { ["Form.Website"] = "http://spam.example" });

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Text("join.thanksTitle"), page.Text, StringComparison.Ordinal);
        Assert.Equal(0, await MembersWithAsync(email));
    }

    [Fact]
    public async Task A_join_post_without_the_antiforgery_token_is_refused()
    {
        var email = NewEmail();
        var browser = host.NewBrowser();
        await browser.GetAsync("/join");

        var page = await browser.PostAsync(new Uri(browser.Http.BaseAddress!, "/join"), new Dictionary<string, string>(ValidFields(email)) { ["_handler"] = "join" });

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal(0, await MembersWithAsync(email));
    }
}
