using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Panel.Contracts;
using Panel.Membership.Invitations;
using Panel.TestSupport;

namespace Panel.Membership.Tests;

/// <summary>
/// Membership doing all the invitation work in one instance whose every log record (down to Debug, ASP.NET Core and
/// EF Core included) is captured. The plain instance of the fixture is kept off the survey's bus (a virtual host of
/// its own) and sends nothing, so every event and email is handled by the logged instance.
/// </summary>
public sealed class LoggedInvitationHost : MembershipHost
{
    private TestVirtualHost _elsewhere = default!;

    public CapturingLoggerProvider Logs { get; } = new();
    public WebApplicationFactory<Program> Logged { get; private set; } = default!;

    protected override void Configure(IDictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings[$"ConnectionStrings:{ConnectionNames.EventBus}"] = _elsewhere.AmqpUri.ToString();
        settings["Email:SenderEnabled"] = "false";
        settings["Messaging:RelayEnabled"] = "false";
        settings["Invitations:RemindersEnabled"] = "false";
    }

    public override async Task InitializeAsync()
    {
        _elsewhere = await TestVirtualHost.CreateAsync();
        await base.InitializeAsync();
        Logged = Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting($"ConnectionStrings:{ConnectionNames.EventBus}", Bus.AmqpUri.ToString());
            b.UseSetting("Email:SenderEnabled", "true");
            b.UseSetting("Messaging:RelayEnabled", "true");
            b.UseSetting("Invitations:SampleSeed", InvitationHost.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.UseSetting("Logging:LogLevel:Default", "Debug");
            b.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Debug");
            b.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Debug");
            b.UseSetting("Logging:LogLevel:MassTransit", "Debug");
            b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(Logs));
        });
        _ = Logged.Server;
    }

    public Task PublishAsync<T>(T message) where T : class => Logged.Services.GetRequiredService<IBus>().Publish(message);

    public override async Task DisposeAsync()
    {
        await Logged.DisposeAsync();
        await base.DisposeAsync();
        await _elsewhere.DisposeAsync();
    }
}

public sealed class InvitationLoggingTests(LoggedInvitationHost host) : IClassFixture<LoggedInvitationHost>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Logs_never_contain_an_invitation_token_its_link_or_its_protected_form_from_issuing_to_closing()
    {
        var campaign = Panelists.NewCampaign();
        var members = new List<Guid>();
        foreach (var language in new[] { "fi", "sv", "en", "fi", "sv" }) // k = 5: fewer are never invited
        {
            members.Add(await host.AddAsync(campaign, language: language));
        }

        var emails = new List<string>();
        foreach (var id in members)
        {
            emails.Add(await host.EmailOfAsync(id));
        }

        // Issued while the SMTP server is down: the sender fails, logs it, and retries.
        var survey = Guid.NewGuid();
        await host.Smtp.StopAsync();
        await host.PublishAsync(Panelists.Opened(survey, Panelists.Group(campaign, afterDays: 1, maxReminders: 1)));
        await host.IssuedAsync(survey);
        // Surveys' acknowledgement releases the emails (published on the logged host's bus).
        foreach (var chunk in await host.IssuedChunksAsync(survey))
        {
            await host.PublishAsync(new SurveyInvitationsStored(survey, chunk));
        }
        await Eventually.UntilAsync(
            () => host.Database.ScalarAsync<long>("SELECT count(*) FROM email_outbox WHERE invitation_id IS NOT NULL AND attempts > 0 AND member_id = ANY(@p0)", members.ToArray()),
            n => n >= 1, Timeout, "a failed send of an invitation");
        var protectedTokens = (await host.Database.ScalarAsync<string>(
            "SELECT string_agg(protected_token, ' ') FROM invitations WHERE survey_id = @p0", survey)).Split(' ');
        await host.Smtp.StartAgainAsync();

        var tokens = new List<string>();
        foreach (var email in emails)
        {
            tokens.Add(Panelists.AnswerToken(await host.Smtp.WaitForMessageToAsync(email, Timeout)));
        }

        await Eventually.UntilAsync(() => host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE survey_id = @p0 AND sent_at IS NOT NULL", survey),
            n => n == 5, Timeout, "the invitations to be recorded as sent");

        // Opened, answered, listed on "my panel" (the token is in that response's body), reminded, closed.
        await host.PublishAsync(new InvitationOpened(survey, Panelists.Hash(tokens[0])));
        await host.PublishAsync(new InvitationAnswered(survey, Panelists.Hash(tokens[1])));
        await Eventually.UntilAsync(() => host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE survey_id = @p0 AND (opened OR answered)", survey),
            n => n == 2, Timeout, "the opening and the answer to be recorded");
        var resident = host.Logged.CreateClient();
        resident.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Resident(ServiceNames.Membership, members[2]));
        var mine = await resident.GetFromJsonAsync<JsonElement>("/api/membership/me/invitations");
        Assert.Equal(tokens[2], mine.EnumerateArray().Single(i => i.GetProperty("surveyId").GetGuid() == survey).GetProperty("token").GetString());

        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(1.5));
        var reminders = new InvitationReminders(
            host.Logged.Services.GetRequiredService<IServiceScopeFactory>(),
            host.Logged.Services.GetRequiredService<IOptions<InvitationOptions>>(),
            host.Logged.Services.GetRequiredService<IOptions<MembershipOptions>>(),
            clock,
            host.Logged.Services.GetRequiredService<ILogger<InvitationReminders>>());
        Assert.True(await reminders.RunOnceAsync(CancellationToken.None) >= 2);
        await host.Smtp.WaitForMessagesToAsync(emails[0], 2, Timeout);
        await host.Smtp.WaitForMessagesToAsync(emails[2], 2, Timeout);

        await host.PublishAsync(new SurveyClosed(survey, ClosedEarly: true, DateTimeOffset.UtcNow));
        await Eventually.UntilAsync(() => host.Database.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE survey_id = @p0 AND protected_token IS NOT NULL", survey),
            n => n == 0, Timeout, "the closing to clear the tokens");

        var logs = host.Logs.Records.ToList();
        // The capture saw the work (so the assertions below can fail).
        Assert.Contains(logs, l => l.Contains("Issued 5 invitations", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Contains("Sending email", StringComparison.Ordinal) && l.Contains("will retry", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Contains("/api/membership/me/invitations", StringComparison.Ordinal));
        foreach (var token in tokens)
        {
            Assert.DoesNotContain(logs, l => l.Contains(token, StringComparison.Ordinal) || l.Contains(Uri.EscapeDataString(token), StringComparison.Ordinal));
        }

        Assert.DoesNotContain(logs, l => l.Contains("answer?t=", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => protectedTokens.Any(p => l.Contains(p, StringComparison.Ordinal)));
        Assert.DoesNotContain(logs, l => emails.Any(e => l.Contains(e, StringComparison.OrdinalIgnoreCase)));
    }
}
