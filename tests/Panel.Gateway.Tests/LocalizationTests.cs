using System.Net;
using Panel.Gateway.Localization;
using Panel.Gateway.Tests.Support;

namespace Panel.Gateway.Tests;

public sealed class UiTextTests
{
    [Fact]
    public void Every_language_has_the_same_keys_and_no_empty_text()
    {
        var texts = new UiText();
        var finnish = texts.Keys("fi").Order(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(finnish);
        foreach (var language in new[] { "sv", "en" })
        {
            var keys = texts.Keys(language).ToHashSet(StringComparer.Ordinal);
            Assert.True(keys.SetEquals(finnish),
                $"{language}: missing [{string.Join(", ", finnish.Except(keys))}], extra [{string.Join(", ", keys.Except(finnish))}]");
        }

        foreach (var language in UiText.Languages)
        {
            Assert.All(texts.Keys(language), key => Assert.False(string.IsNullOrWhiteSpace(texts.Get(language, key)), $"{language}: {key} is empty"));
        }
    }

    [Fact]
    public void The_ui_is_offered_in_finnish_swedish_and_english_with_finnish_first()
    {
        Assert.Equal(["fi", "sv", "en"], UiText.Languages);
        Assert.Equal("fi", UiText.DefaultLanguage);
    }
}

[Collection(GatewayCollection.Name)]
public sealed class LocalizationTests(GatewayHost host)
{
    [Fact]
    public async Task Pages_are_finnish_by_default()
    {
        var page = await host.NewBrowser().GetAsync("/");

        Assert.Contains("<html lang=\"fi\"", page.Html, StringComparison.Ordinal);
        Assert.Contains(GatewayHost.Texts.Get("fi", "home.title"), page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_lang_query_renders_the_page_in_swedish()
    {
        var page = await host.NewBrowser().GetAsync("/?lang=sv");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("<html lang=\"sv\"", page.Html, StringComparison.Ordinal);
        Assert.Contains(GatewayHost.Texts.Get("sv", "home.title"), page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayHost.Texts.Get("fi", "home.title"), page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Choosing_a_language_remembers_it_and_returns_to_the_page()
    {
        var browser = host.NewBrowser();

        var chosen = await browser.GetAsync("/language/en?returnUrl=/join");
        var join = await browser.GetAsync("/join");

        Assert.Equal(HttpStatusCode.Redirect, chosen.Status);
        Assert.Equal("/join", chosen.Location!.PathAndQuery);
        Assert.Equal("localhost", chosen.Location.Host);
        Assert.Contains(chosen.SetCookies, c => c.StartsWith(".AspNetCore.Culture=c%3Den%7Cuic%3Den", StringComparison.Ordinal));
        Assert.Contains("<html lang=\"en\"", join.Html, StringComparison.Ordinal);
        Assert.Contains(GatewayHost.Texts.Get("en", "join.title"), join.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("https://evil.example/join")]
    [InlineData("/\\evil.example")]
    public async Task Choosing_a_language_never_redirects_to_another_site(string returnUrl)
    {
        var page = await host.NewBrowser().GetAsync("/language/sv?returnUrl=" + Uri.EscapeDataString(returnUrl));

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal("localhost", page.Location!.Host);
        Assert.Equal("/", page.Location.PathAndQuery);
    }

    [Fact]
    public async Task An_unknown_language_sets_nothing()
    {
        var page = await host.NewBrowser().GetAsync("/language/de?returnUrl=/join");

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.DoesNotContain(page.SetCookies, c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal));
    }
}
