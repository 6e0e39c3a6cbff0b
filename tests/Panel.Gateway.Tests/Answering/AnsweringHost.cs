using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Panel.Gateway.Tests.Residents;
using Panel.Gateway.Tests.Support;

namespace Panel.Gateway.Tests.Answering;

/// <summary>
/// The gateway in front of the real services, for the answering pages (invitation, open link, my panel, assisted):
/// every call the gateway's clients make to Surveys and Membership is recorded (what the gateway sends, where the
/// token travels) and a test may put a failure in front of the real service (<see cref="Faults"/>: a 5xx or a
/// malformed body, what the real service cannot be made to answer). Every log line the gateway writes is kept.
/// The mixer stays off (an answer stays where the test reads it), nobody's invitations run out (contact fatigue),
/// and an open-link survey takes one new draft and one answer a minute (its limit, reached on purpose).
/// </summary>
public sealed class AnsweringHost : LiveGatewayHost
{
    /// <summary>Where <see cref="PanelMembersAsync"/> puts its members, and the members a panel survey invites live.</summary>
    public const string PanelMunicipality = "Orivesi";

    private readonly ServiceCalls _recorded = new();
    private Task? _panel;

    public LogCapture Logs { get; } = new();

    /// <summary>Failures put in front of the services: the first rule that answers a request answers it instead.</summary>
    public ConcurrentDictionary<string, Func<RecordedCall, HttpResponseMessage?>> Faults => _recorded.Faults;

    /// <summary>The calls the gateway's clients made to Surveys and Membership, with the services' answers.</summary>
    public IReadOnlyList<RecordedCall> Calls => _recorded.All;

    protected override void ConfigureService(string service, IDictionary<string, string?> settings)
    {
        if (service == ServiceNames.Surveys)
        {
            settings["Surveys:MixerEnabled"] = "false";
            settings["Surveys:OpenLinkResponsesPerMinute"] = "1";
        }
        else if (service == ServiceNames.Membership)
        {
            settings["Invitations:MaxPerMember"] = "100";
        }
    }

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        _recorded.RecordClients(services, ServiceNames.Surveys, ServiceNames.Membership);
    }

    protected override Task StartedAsync()
    {
        Services.GetRequiredService<ILoggerFactory>().AddProvider(Logs);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Five confirmed members of <see cref="PanelMunicipality"/> (made once): with them a survey for that municipality
    /// reaches Membership's minimum group size k, so Membership invites, whoever else the test adds.
    /// </summary>
    public Task PanelMembersAsync() => _panel ??= Task.WhenAll(Enumerable.Range(0, 5).Select(_ => this.VerifiedMemberAsync(LiveResidents.NewEmail(), PanelMunicipality)));

    /// <summary>Opens an invitation link as the email's reader does: the link, then the page it redirects to.</summary>
    public async Task<(Browser Browser, Page Page)> OpenInvitationAsync(string token, Browser? browser = null)
    {
        browser ??= NewBrowser();
        var link = await browser.GetAsync("/answer?t=" + Uri.EscapeDataString(token));
        Assert.True(link.Status == HttpStatusCode.Redirect, $"The link did not redirect: {(int)link.Status}\n{link.Html}");
        Assert.Equal("/answer", link.Location!.PathAndQuery);
        return (browser, await browser.GetAsync("/answer"));
    }
}

/// <summary>Every log line written, with its category, for asserting that no secret reaches the logs.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
    }
}

/// <summary>The answering pages' tests (residents' and assisted) share one gateway in front of the real services.</summary>
[CollectionDefinition(Name)]
public sealed class AnsweringCollection : ICollectionFixture<AnsweringHost>
{
    public const string Name = "answering";
}

/// <summary>Posting a page's form with fields of several values (checkboxes), as a browser does.</summary>
public static class AnswerForms
{
    /// <summary>Posts the form's hidden fields and <paramref name="fields"/>; a field given replaces a hidden one of its name.</summary>
    public static async Task<Page> PostAsync(this Browser browser, Page page, string formName, params (string Name, string Value)[] fields)
    {
        var form = page.Form(formName);
        var given = fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var values = form.Hidden.Where(h => !given.Contains(h.Key)).Select(h => KeyValuePair.Create(h.Key, h.Value))
            .Concat(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)))
            .ToList();
        using var content = new FormUrlEncodedContent(values);
        var address = string.IsNullOrEmpty(form.Action) ? page.Url : new Uri(page.Url, form.Action);
        var response = await browser.Http.PostAsync(address, content);
        return new Page(address, response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Posts a form this browser never rendered (a forged or stale post): the browser's antiforgery token comes
    /// from the join page, as antiforgery tokens are per browser, not per form.
    /// </summary>
    public static async Task<Page> PostFreshAsync(this Browser browser, string path, string handler, params (string Name, string Value)[] fields)
    {
        var join = await browser.GetAsync("/join");
        var token = join.Form("join").Hidden["__RequestVerificationToken"];
        var values = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", token), new("_handler", handler) };
        values.AddRange(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));
        using var content = new FormUrlEncodedContent(values);
        var address = new Uri(browser.Http.BaseAddress!, path);
        var response = await browser.Http.PostAsync(address, content);
        return new Page(address, response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Presses one of the answer form's buttons (next, previous, save, submit, lang:sv) with the page's answers.</summary>
    public static Task<Page> PressAsync(this Browser browser, Page page, string action, params (string Name, string Value)[] fields) =>
        browser.PostAsync(page, "answer", [.. fields, ("action", action)]);
}
