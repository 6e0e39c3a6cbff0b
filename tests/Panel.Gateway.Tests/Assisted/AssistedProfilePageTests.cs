using System.Net;
using System.Text.Encodings.Web;
using Panel.Gateway.Tests.Answering;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests.Assisted;

/// <summary>
/// The resident's background on the assisted answers page: every field is a choice among the values Surveys accepts
/// (the county's municipalities among them), in Finnish, Swedish and English; nothing is typed by hand.
/// </summary>
[Collection(AnsweringCollection.Name)]
public sealed class AssistedProfilePageTests(AnsweringHost host)
{
    private static readonly string[] Fields = ["ageBand", "municipality", "gender", "language", "isClient"];

    /// <summary>Some of the county's municipalities, as Surveys' profile values give them.</summary>
    private static readonly string[] Municipalities = ["Tampere", "Nokia", "Pälkäne"];

    private async Task<Guid> SurveyAsync() => (await host.SurveyAsync(AnsweringSurveys.Assisted())).Id;

    private static string Path(Guid id) => $"/staff/surveys/{id}/assisted";

    private async Task<Browser> CoordinatorAsync()
    {
        var user = await host.CreateStaffAsync([PanelRoles.Coordinator]);
        return await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword);
    }

    [Theory]
    [InlineData("fi")]
    [InlineData("sv")]
    [InlineData("en")]
    public async Task Every_profile_field_is_a_list_of_the_values_surveys_accepts_in_the_pages_language(string lang)
    {
        var id = await SurveyAsync();
        var browser = await CoordinatorAsync();

        var page = await browser.GetAsync($"{Path(id)}?lang={lang}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        foreach (var field in Fields)
        {
            Assert.Contains($"<select id=\"profile-{field}\" name=\"profile.{field}\"", page.Html, StringComparison.Ordinal);
            Assert.Contains(GatewayHost.Texts.Get(lang, $"assisted.profile.{field}"), page.Text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("<input type=\"text\" id=\"profile-", page.Html, StringComparison.Ordinal);
        Assert.All(Municipalities.Select(HtmlEncoder.Default.Encode),
            m => Assert.Contains($"<option value=\"{m}\">{m}</option>", page.Html, StringComparison.Ordinal));
        Assert.Contains(GatewayHost.Texts.Get(lang, "assisted.profile.notGiven"), page.Text, StringComparison.Ordinal);
        Assert.Contains(GatewayHost.Texts.Get(lang, "gender.woman"), page.Text, StringComparison.Ordinal);
        Assert.Contains(host.Calls, r => r.Path == "/api/surveys/assisted-profile-values");
    }

    [Fact]
    public async Task Without_the_values_surveys_accepts_the_page_offers_no_form_rather_than_fields_to_type_into()
    {
        var id = await SurveyAsync();
        var browser = await CoordinatorAsync();
        // Surveys cannot say which values it accepts (a 503 put in front of it).
        host.Faults["profile-values"] = call => call.Path == "/api/surveys/assisted-profile-values"
            ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
            : null;
        try
        {
            var page = await browser.GetAsync(Path(id));

            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.True(page.HasElement("unavailable"));
            Assert.False(page.HasForm("assisted"));
            Assert.False(page.HasElement("profile-municipality"));
        }
        finally
        {
            host.Faults.TryRemove("profile-values", out _);
        }
    }

    [Fact]
    public async Task A_municipality_the_list_does_not_offer_is_refused_and_named_and_nothing_is_saved()
    {
        var id = await SurveyAsync();
        var browser = await CoordinatorAsync();
        var page = await browser.GetAsync(Path(id));

        // A hand-made post: the select offers no such value.
        var refused = await browser.PostAsync(page, "assisted", ("channel", "paper"), ("q.uses", "no"), ("q.visits", "1"),
            ("profile.ageBand", "75-84"), ("profile.municipality", "Tampere 131052-308T"), ("profile.language", "fi"));

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal(0, await host.Surveys.Database.ScalarAsync<long>("SELECT count(*) FROM pending_responses WHERE survey_id = @p0", id));
        Assert.Contains(GatewayHost.Texts.Get("fi", "assisted.error.municipality"), refused.Text, StringComparison.Ordinal);
        Assert.Equal("true", refused.Element("profile-municipality").GetValueOrDefault("aria-invalid"));
        Assert.DoesNotContain("131052-308T", refused.Html, StringComparison.Ordinal);
    }
}
