using System.Net;
using System.Text.Json;
using Panel.Gateway.Tests.Support;

namespace Panel.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class JoinPageTests(GatewayHost host)
{
    private static string Text(string key) => GatewayHost.Texts.Get("fi", key);

    private static string NewEmail(string prefix = "resident") => $"{prefix}-{Guid.NewGuid():N}@example.fi";

    private static Dictionary<string, string> ValidFields(string email) => new()
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

    private List<JsonElement> JoinsSeenFor(string email) =>
        [.. host.Backend.RequestsTo("/api/membership/members")
            .Select(r => JsonDocument.Parse(r.Body).RootElement.Clone())
            .Where(b => b.TryGetProperty("email", out var e) && e.GetString() == email)];

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
        var seen = host.Backend.RequestsTo("/api/membership/join-options").Last();
        var token = await host.ValidTokenAsync(seen.BearerToken, "panel-membership");
        Assert.Equal("public", token.Claim("act_kind"));
    }

    [Fact]
    public async Task A_valid_join_is_sent_to_the_membership_service_and_the_resident_is_thanked()
    {
        var email = NewEmail();
        var browser = host.NewBrowser();
        var form = await browser.GetAsync("/join?c=SPRING-24");

        var page = await browser.SubmitAsync(form, "join", ValidFields(email));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Text("join.thanksTitle"), page.Text, StringComparison.Ordinal);
        Assert.Contains(Text("join.thanksBody"), page.Text, StringComparison.Ordinal);
        var body = Assert.Single(JoinsSeenFor(email));
        Assert.Equal(JsonValueKind.Number, body.GetProperty("birthYear").ValueKind);
        Assert.Equal(1980, body.GetProperty("birthYear").GetInt32());
        Assert.Equal("Nokia", body.GetProperty("municipality").GetString());
        Assert.Equal("woman", body.GetProperty("gender").GetString());
        Assert.Equal("sv", body.GetProperty("language").GetString());
        Assert.True(body.GetProperty("isClient").GetBoolean());
        Assert.True(body.GetProperty("consent").GetBoolean());
        Assert.Equal("SPRING-24", body.GetProperty("campaignCode").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("phone").ValueKind);
    }

    [Fact]
    public async Task A_field_the_service_refuses_is_summarised_and_tied_to_its_input()
    {
        var email = NewEmail(EchoBackend.RejectedEmailMarker);
        var browser = host.NewBrowser();
        var form = await browser.GetAsync("/join");

        var page = await browser.SubmitAsync(form, "join", ValidFields(email));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Single(JoinsSeenFor(email));
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
        Assert.Empty(JoinsSeenFor(email));
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
        Assert.Empty(JoinsSeenFor(email));
    }

    [Fact]
    public async Task A_join_post_without_the_antiforgery_token_is_refused()
    {
        var email = NewEmail();
        var browser = host.NewBrowser();
        await browser.GetAsync("/join");

        var page = await browser.PostAsync(new Uri(browser.Http.BaseAddress!, "/join"), new Dictionary<string, string>(ValidFields(email)) { ["_handler"] = "join" });

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Empty(JoinsSeenFor(email));
    }
}
