using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Panel.Gateway.Tests.Residents;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests;

[Collection(LiveGatewayCollection.Name)]
public sealed class ConsentAdminTests(LiveGatewayHost host)
{
    private const string ConsentsPath = "/api/membership/consents";

    /// <summary>Every published version as Membership answers it, newest first.</summary>
    private static async Task<JsonArray> HistoryAsync(Browser coordinator) =>
        (await coordinator.Http.GetFromJsonAsync<JsonArray>(ConsentsPath))!;

    private static bool Published(JsonArray history, string language, string text) =>
        history.Any(v => v!["texts"]![language]!.ToString() == text);

    private static string Text(string key, string language = "fi") => GatewayHost.Texts.Get(language, key);

    private static string Format(string key, params object[] args) => string.Format(CultureInfo.InvariantCulture, Text(key), args);

    private static Dictionary<string, string> Texts(string fi, string sv, string en, bool confirm = true)
    {
        var fields = new Dictionary<string, string> { ["Form.Fi"] = fi, ["Form.Sv"] = sv, ["Form.En"] = en };
        if (confirm)
        {
            fields["Form.Confirm"] = "true";
        }

        return fields;
    }

    [Fact]
    public async Task A_coordinator_sees_the_current_version_in_three_languages_and_the_history()
    {
        // The current version was published by a coordinator whose account has been removed since.
        var coordinator = await host.CreateStaffAsync(PanelRoles.Coordinator);
        var version = await (await host.SignedInAsync(coordinator.Email!, GatewayHost.StaffPassword)).PublishConsentAsync(
            "Suostun tietojeni käyttöön.\nVoin perua suostumuksen.",
            "Jag samtycker till att mina uppgifter används.\nJag kan återkalla samtycket.",
            "I agree to the use of my data.\nI may withdraw my consent.");
        await host.WithUsersAsync(users => users.DeleteAsync(coordinator));
        var browser = await host.SignedInAsync();

        var page = await browser.GetAsync("/staff/consent");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Format("consentAdmin.current", version), page.Text, StringComparison.Ordinal);
        // Each language in its own block with its lang attribute, a paragraph per line; Finnish (the page's language) open.
        Assert.Contains("<div class=\"consent-text\" lang=\"fi\" id=\"current-fi\"><p>Suostun tietojeni käyttöön.</p><p>Voin perua suostumuksen.</p>", page.Text, StringComparison.Ordinal);
        Assert.Contains("<div class=\"consent-text\" lang=\"sv\" id=\"current-sv\"><p>Jag samtycker", page.Text, StringComparison.Ordinal);
        Assert.Contains("<div class=\"consent-text\" lang=\"en\" id=\"current-en\"><p>I agree", page.Text, StringComparison.Ordinal);
        Assert.Matches("<details open[^>]*>\\s*<summary>Suomi</summary>", page.Html);
        // The form starts from the current texts.
        Assert.True(page.HasForm("publish"));
        Assert.Matches("<textarea id=\"text-sv\" name=\"Form.Sv\"[^>]*>Jag samtycker till att mina uppgifter används.\n", page.Text);
        // The history names the publisher; an account that no longer exists by its id.
        Assert.Contains(coordinator.Id, page.Text, StringComparison.Ordinal);
        Assert.Contains(Text("consentAdmin.historyTitle"), page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publishing_stores_the_three_texts_as_a_new_version_and_says_members_are_asked_to_accept_it()
    {
        var browser = await host.SignedInAsync();
        var form = await browser.GetAsync("/staff/consent");
        var fi = $"Uusi suostumusteksti {Guid.NewGuid():N}.\nToinen kappale.";

        var posted = await browser.SubmitAsync(form, "publish", Texts(fi, "Ny samtyckestext för panelen.", "A new consent text for the panel."));

        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        var version = Regex.Match(posted.Location!.Query, "published=(\\d+)").Groups[1].Value;
        Assert.NotEmpty(version);
        // Membership's newest version is this one, with the three texts, published by the administrator.
        var newest = (await HistoryAsync(browser))[0]!;
        Assert.Equal(version, newest["version"]!.ToString());
        var texts = newest["texts"]!;
        Assert.Equal(fi, texts["fi"]!.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal("Ny samtyckestext för panelen.", texts["sv"]!.ToString());
        Assert.Equal("A new consent text for the panel.", texts["en"]!.ToString());
        var adminId = await host.WithUsersAsync(async users => (await users.FindByEmailAsync(GatewayHost.AdminEmail))!.Id);
        Assert.Equal(adminId, newest["publishedBy"]!.ToString());

        var page = await browser.GetAsync(posted.Location.PathAndQuery);
        Assert.Contains(Format("consentAdmin.published", version), page.Text, StringComparison.Ordinal);
        Assert.Contains("role=\"status\"", page.Html, StringComparison.Ordinal);
        // The new version is in the history under the administrator's email, with its texts.
        Assert.Contains($"({GatewayHost.AdminEmail})", page.Text, StringComparison.Ordinal);
        Assert.Contains($"<div class=\"consent-text\" lang=\"sv\" id=\"v{version}-sv\"><p>Ny samtyckestext för panelen.</p>", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_is_published_until_the_coordinator_confirms_that_members_must_accept_again()
    {
        var browser = await host.SignedInAsync();
        var form = await browser.GetAsync("/staff/consent");
        var fi = $"Vahvistamaton suostumusteksti {Guid.NewGuid():N}.";

        var page = await browser.SubmitAsync(form, "publish",
            Texts(fi, "Obekräftad samtyckestext här.", "An unconfirmed consent text.", confirm: false));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.False(Published(await HistoryAsync(browser), "fi", fi));
        Assert.Equal("true", page.Element("confirm")["aria-invalid"]);
        Assert.Contains(Text("consentAdmin.error.confirm"), page.Text, StringComparison.Ordinal);
        // What the coordinator wrote is still there.
        Assert.Contains(">Obekräftad samtyckestext här.</textarea>", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_text_membership_refuses_is_shown_at_that_languages_field()
    {
        var browser = await host.SignedInAsync();
        var form = await browser.GetAsync("/staff/consent");

        var fi = $"Riittävän pitkä suomenkielinen teksti {Guid.NewGuid():N}.";

        var page = await browser.SubmitAsync(form, "publish", Texts(fi, "För kort", "A long enough English consent text."));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.False(Published(await HistoryAsync(browser), "fi", fi));
        var message = string.Format(CultureInfo.InvariantCulture, Text("consentAdmin.error.text"), Text("language.name", "sv"));
        Assert.Equal("true", page.Element("text-sv")["aria-invalid"]);
        Assert.StartsWith("text-sv-error", page.Element("text-sv")["aria-describedby"], StringComparison.Ordinal);
        Assert.Contains($"<p id=\"text-sv-error\" class=\"field-error\"><span>{message}</span></p>", page.Text, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"#text-sv\">{message}</a>", page.Text, StringComparison.Ordinal);
        Assert.False(page.Element("text-fi").ContainsKey("aria-invalid"));
        Assert.False(page.Element("text-en").ContainsKey("aria-invalid"));
    }

    [Fact]
    public async Task An_it_administrator_reads_the_texts_and_history_but_cannot_publish()
    {
        var user = await host.CreateStaffAsync(PanelRoles.ItAdmin);
        var browser = await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);

        var page = await browser.GetAsync("/staff/consent?lang=en");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Text("consentAdmin.historyTitle", "en"), page.Text, StringComparison.Ordinal);
        Assert.False(page.HasForm("publish"));
        Assert.DoesNotContain("<textarea", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_reader_is_sent_to_the_denied_page()
    {
        var user = await host.CreateStaffAsync(PanelRoles.ReportReader);
        var browser = await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);

        var page = await browser.GetAsync("/staff/consent");

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal("/staff/denied", page.Location!.AbsolutePath);
    }
}
