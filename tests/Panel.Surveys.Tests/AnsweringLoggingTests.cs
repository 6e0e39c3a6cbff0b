using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Panel.TestSupport;
using static Panel.Surveys.Tests.Answering;

namespace Panel.Surveys.Tests;

/// <summary>Keeps every log record a host writes: message, state values, scopes, exception.</summary>
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

/// <summary>The Surveys host with every log record captured, down to Debug.</summary>
public sealed class LoggedSurveysHost : SurveysHost
{
    public CapturingLoggerProvider Logs { get; } = new();

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Logging:LogLevel:Default"] = "Debug";
        settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug";
        settings["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Debug";
        settings["Logging:LogLevel:MassTransit"] = "Debug";
    }

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(Logs);
}

public sealed class AnsweringLoggingTests(LoggedSurveysHost host) : IClassFixture<LoggedSurveysHost>
{
    [Fact]
    public async Task Logs_never_hold_an_invitation_token_its_hash_a_resume_code_or_free_text()
    {
        var (survey, token) = await host.InvitedAsync();
        var hash = Hash(token);
        var resident = host.Public();
        (await resident.PostJsonAsync(Form, Request(token))).EnsureSuccessStatusCode();
        (await resident.PutJsonAsync(Draft, Request(token, new System.Text.Json.Nodes.JsonObject { ["used"] = "yes" }, page: "p1"))).EnsureSuccessStatusCode();
        (await resident.PostJsonAsync(Submit, Request(token, new System.Text.Json.Nodes.JsonObject { ["nps"] = 99 }))).Dispose();
        (await resident.PostJsonAsync(Submit, Request(token, Valid()))).EnsureSuccessStatusCode();
        (await resident.PostJsonAsync(Submit, Request(token, Valid()))).Dispose();
        (await resident.PostJsonAsync(Form, Request(token + "x"))).Dispose();
        (await resident.PostAsync(Form, Samples.Json($$"""{"token": "{{token}}", "answers": 5}"""))).Dispose();
        var (_, publicId) = await host.OpenLinkSurveyAsync();
        var saved = await (await resident.PutJsonAsync(OpenDraft(publicId), new System.Text.Json.Nodes.JsonObject { ["answers"] = Valid() }))
            .BodyAsync(System.Net.HttpStatusCode.OK);
        var code = saved.GetProperty("resumeCode").GetString()!;
        (await resident.PostJsonAsync(OpenSubmit(publicId), new System.Text.Json.Nodes.JsonObject { ["resumeCode"] = code })).EnsureSuccessStatusCode();
        await host.CloseAndMixAsync(survey);
        await Eventually.UntilAsync(
            () => host.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL"),
            n => n == 0, TimeSpan.FromSeconds(30), "the events to be relayed");

        var logs = host.Logs.Records.ToList();
        Assert.Contains(logs, l => l.Contains("/api/surveys/answering/invitation/submit", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Contains("Response mixer moved", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Contains(survey.ToString(), StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains(token, StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains(hash, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(logs, l => l.Contains(code, StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains("matti", StringComparison.OrdinalIgnoreCase) || l.Contains("Call me on", StringComparison.Ordinal));
    }
}
