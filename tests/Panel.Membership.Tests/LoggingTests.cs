using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Panel.TestSupport;

namespace Panel.Membership.Tests;

/// <summary>Keeps every log record a host writes: message, state values, exception.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Records { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Records);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> records) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            records.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            records.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}

/// <summary>
/// The in-process host with its sender and relay off, and a second instance over the same database
/// and broker that does all the work with every log record captured, down to Debug.
/// </summary>
public sealed class LoggedMembershipHost : MembershipHost
{
    public CapturingLoggerProvider Logs { get; } = new();
    public WebApplicationFactory<Program> Logged { get; private set; } = default!;

    protected override void Configure(IDictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings["Email:SenderEnabled"] = "false";
        settings["Messaging:RelayEnabled"] = "false";
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Logged = Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Email:SenderEnabled", "true");
            b.UseSetting("Messaging:RelayEnabled", "true");
            b.UseSetting("Logging:LogLevel:Default", "Debug");
            b.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Debug");
            b.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Debug");
            b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(Logs));
        });
        _ = Logged.Server;
    }

    public HttpClient LoggedClient(string token)
    {
        var client = Logged.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    public override async Task DisposeAsync()
    {
        await Logged.DisposeAsync();
        await base.DisposeAsync();
    }
}

public sealed class LoggingTests(LoggedMembershipHost host) : IClassFixture<LoggedMembershipHost>
{
    [Fact]
    public async Task Logs_never_contain_the_email_address_or_a_token_through_a_whole_membership()
    {
        var email = $"Logged.Resident-{Guid.NewGuid():N}@example.fi";
        var anyone = host.LoggedClient(TestTokens.Public(ServiceNames.Membership));

        // Joining while the SMTP server is down makes the sender fail and retry, which it logs.
        await host.Smtp.StopAsync();
        (await anyone.PostAsJsonAsync("/api/membership/members", Residents.Join(email))).EnsureSuccessStatusCode();
        (await anyone.PostAsJsonAsync("/api/membership/members", Residents.Join(email))).EnsureSuccessStatusCode();
        var id = await host.IdOfAsync(email.ToLowerInvariant());
        await Eventually.UntilAsync(
            () => host.Database.ScalarAsync<int>("SELECT attempts FROM email_outbox WHERE member_id = @p0", id),
            n => n >= 1, TimeSpan.FromSeconds(30), "a failed send");
        await host.Smtp.StartAgainAsync();
        var verification = SmtpSink.TokenIn(await host.Smtp.WaitForMessageToAsync(email, Residents.MailTimeout));
        (await anyone.PostAsJsonAsync("/api/membership/verifications", new { token = verification })).EnsureSuccessStatusCode();
        (await anyone.PostAsJsonAsync("/api/membership/verifications", new { token = verification })).Dispose();
        (await anyone.PostAsJsonAsync("/api/membership/sign-in-links", new { email })).EnsureSuccessStatusCode();
        var signIn = SmtpSink.TokenIn((await host.Smtp.WaitForMessagesToAsync(email, 2, Residents.MailTimeout))[1]);
        var session = await (await anyone.PostAsJsonAsync("/api/membership/sessions", new { token = signIn })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, session.GetProperty("panelistId").GetGuid());
        var resident = host.LoggedClient(TestTokens.Resident(ServiceNames.Membership, id));
        (await resident.GetAsync("/api/membership/me")).EnsureSuccessStatusCode();
        (await resident.PutAsJsonAsync("/api/membership/me", new { phone = "+358 50 765 4321", birthYear = 1980, municipality = "Nokia", language = "fi", contactChannel = "sms" })).EnsureSuccessStatusCode();
        (await resident.GetAsync("/api/membership/me/export")).EnsureSuccessStatusCode();
        (await resident.PostAsJsonAsync("/api/membership/me/erase", new { confirm = true })).EnsureSuccessStatusCode();
        await Eventually.UntilAsync(
            () => host.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL"),
            n => n == 0, TimeSpan.FromSeconds(30), "the events to be relayed");

        var logs = host.Logs.Records.ToList();
        Assert.Contains(logs, l => l.Contains("Sending email", StringComparison.Ordinal) && l.Contains("will retry", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Contains("Sent 1 emails", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Contains("/api/membership/me/erase", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains(email, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(logs, l => l.Contains(verification, StringComparison.Ordinal) || l.Contains(signIn, StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains("765 4321", StringComparison.Ordinal));
    }
}
